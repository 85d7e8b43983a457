-- An address-spraying flood through a trusted proxy: every request claims a new X-Forwarded-For
-- client, BENCH_CLIENTS of them in all. wrk runs for its whole duration regardless, so when the last
-- answer is in, the thread stops and leaves BENCH_DONE_FILE for the script to end wrk.
local total = tonumber(os.getenv("BENCH_CLIENTS"))
local done_file = os.getenv("BENCH_DONE_FILE")
local sent = 0
local done = 0
wrk.method = "POST"
wrk.body = '{"message":"Hello"}'
wrk.headers["Content-Type"] = "application/json"

request = function()
  local n = sent % total
  sent = sent + 1
  local address = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  wrk.headers["X-Forwarded-For"] = address
  return wrk.format()
end

response = function()
  done = done + 1
  if done == total then
    local marker = io.open(done_file, "w")
    marker:close()
    wrk.thread:stop()
  end
end
