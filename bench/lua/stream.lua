-- POST a streamed chat: /api/chat through the service, or the provider's own route directly.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "text/event-stream"
local key = os.getenv("BENCH_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["X-API-Key"] = key
end
wrk.body = os.getenv("BENCH_BODY")
