-- POST /api/chat with a tiny JSON body; the key (if any) comes from the environment.
wrk.method = "POST"
wrk.body = '{"message":"Hello"}'
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["X-API-Key"] = key
end
