-- POST a streamed chat (Accept: text/event-stream), with the key (if any) and any extra headers from
-- BENCH_HEADERS ("Name: value" lines): /api/chat through the service, or a provider's route directly.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "text/event-stream"
local key = os.getenv("BENCH_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["X-API-Key"] = key
end
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end
wrk.body = os.getenv("BENCH_BODY")
