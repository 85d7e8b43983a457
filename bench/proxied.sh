#!/usr/bin/env bash
# The proxied path: a chat call forwarded to a loopback OpenAI-compatible provider (bench/Upstream),
# through the service and through its peers, side by side in the same rounds, alternating: YARP as a
# pure pass-through (the forwarding floor: no auth, no limits, no parsing), the service on /api/v1 and
# /api/chat (JSON and stream, authenticated and limited as it ships), and Portkey's gateway (Node).
# Server CPU per request (user + system time of the gateway process from /proc over a run, divided by
# the requests it served), throughput, p50/p99 and each one's ratio to YARP's of the same round and
# kind (JSON or stream); time to first byte of a stream; then 1,000 slow clients each reading a long
# stream, against the service's memory. Prints a markdown table; bench/run.sh includes it.
#
# Usage: bench/proxied.sh        (ROUNDS=5 DURATION=5 CONNECTIONS=32 SLOW_STREAMS=1000 to change)
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
repo=$(cd .. && pwd)

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
SLOW_STREAMS=${SLOW_STREAMS:-1000}
KEY=bench-key-$(openssl rand -hex 24)
work=$(mktemp -d /tmp/nexteleven-proxied.XXXXXX)
# shellcheck source=lib.sh
source "$bench/lib.sh"
for tool in wrk curl bc node npm; do command -v "$tool" >/dev/null || { say "missing $tool (bench/run.sh installs wrk, curl and bc)"; exit 1; }; done

say "building the service, YARP and the loopback provider (Release); installing Portkey's gateway"
dotnet publish "$repo/NextEleven.Api" -c Release -o "$work/api" --nologo -v quiet >/dev/null
dotnet publish "$bench/Upstream" -c Release -o "$work/upstream" --nologo -v quiet >/dev/null
dotnet publish "$bench/Yarp" -c Release -o "$work/yarp" --nologo -v quiet >/dev/null
(cd "$bench/portkey" && npm install --no-audit --no-fund --silent >/dev/null)

say "starting servers"
start upstream 5305 dotnet "$work/upstream/Upstream.dll" --urls http://127.0.0.1:5305
start yarp 5306 dotnet "$work/yarp/Yarp.dll" --urls http://127.0.0.1:5306 --upstream http://127.0.0.1:5305
start service 5307 env -C "$work/api" ASPNETCORE_ENVIRONMENT=Production NEXTELEVEN_API_KEY="$KEY" RateLimit__PermitLimit=2000000000 \
  GROK_API_KEY=bench-provider-key Chat__Endpoint=http://127.0.0.1:5305/v1 Chat__Model=bench-model \
  dotnet NextEleven.Api.dll --urls http://127.0.0.1:5307
start portkey 5308 env NODE_ENV=production node "$bench/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" --port=5308 --headless
portkey_headers='x-portkey-provider: openai\nx-portkey-custom-host: http://127.0.0.1:5305/v1\nAuthorization: Bearer bench-provider-key'

v1_json='{"model":"bench-model","messages":[{"role":"user","content":"Write a haiku"}]}'
v1_stream='{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"Write a haiku"}]}'
chat_json='{"message":"Write a haiku"}'
chat_stream='{"message":"Write a haiku","stream":true}'
# name | label | server | URL | lua script | key | body | extra headers | the YARP scenario it is compared with
all_scenarios=(
  "yarp_json|YARP 2.3 pass-through, JSON (floor)|yarp|http://127.0.0.1:5306/v1/chat/completions|post.lua||$v1_json||yarp_json"
  "yarp_stream|YARP 2.3 pass-through, stream (floor)|yarp|http://127.0.0.1:5306/v1/chat/completions|stream.lua||$v1_stream||yarp_stream"
  "v1_json|NextEleven /api/v1/chat/completions, JSON|service|http://127.0.0.1:5307/api/v1/chat/completions|post.lua|$KEY|$v1_json||yarp_json"
  "v1_stream|NextEleven /api/v1/chat/completions, stream|service|http://127.0.0.1:5307/api/v1/chat/completions|stream.lua|$KEY|$v1_stream||yarp_stream"
  "chat_json|NextEleven /api/chat, JSON|service|http://127.0.0.1:5307/api/chat|post.lua|$KEY|$chat_json||yarp_json"
  "chat_stream|NextEleven /api/chat, stream|service|http://127.0.0.1:5307/api/chat|stream.lua|$KEY|$chat_stream||yarp_stream"
  "portkey_json|Portkey gateway 1.15.2 (Node $(node --version)), JSON|portkey|http://127.0.0.1:5308/v1/chat/completions|post.lua||$v1_json|$portkey_headers|yarp_json"
  "portkey_stream|Portkey gateway 1.15.2 (Node $(node --version)), stream|portkey|http://127.0.0.1:5308/v1/chat/completions|stream.lua||$v1_stream|$portkey_headers|yarp_stream"
)
declare -A label server url script key body headers floor

# Every scenario must answer a whole reply (JSON with a choice, or a stream ending in [DONE]) before it
# is measured, or its figures would measure an error path; a peer that fails is reported and left out.
say "checking each scenario answers as it should"
scenarios=()
failed_rows=""
for s in "${all_scenarios[@]}"; do
  IFS='|' read -r name l sv u sc k b h f <<<"$s"
  h=${h//\\n/$'\n'}
  label[$name]=$l server[$name]=$sv url[$name]=$u script[$name]=$sc key[$name]=$k body[$name]=$b headers[$name]=$h floor[$name]=$f
  curl_headers=(-H 'Content-Type: application/json')
  [ -n "$k" ] && curl_headers+=(-H "X-API-Key: $k")
  [ "$sc" = stream.lua ] && curl_headers+=(-H 'Accept: text/event-stream')
  while IFS= read -r line; do [ -n "$line" ] && curl_headers+=(-H "$line"); done <<<"$h"
  answer=$(curl -s -w '\n%{http_code}' -X POST "$u" "${curl_headers[@]}" -d "$b")
  status=$(tail -n1 <<<"$answer")
  if [ "$status" = 200 ] && { [ "$sc" = stream.lua ] && grep -q '\[DONE\]' <<<"$answer" || { [ "$sc" = post.lua ] && grep -qE '"(choices|reply)"' <<<"$answer"; }; }; then
    scenarios+=("$name")
  elif [ "$sv" = portkey ]; then
    say "$name failed: $status $(head -c 200 <<<"$answer" | tr '\n' ' ')"
    failed_rows+="| $l | failed: $status \`$(head -c 80 <<<"$answer" | tr '\n|' '  ')\` | | | | | | | |"$'\n'
  else
    say "$name answered $status: $(head -c 300 <<<"$answer")"; exit 1
  fi
done

run() { # run SCENARIO SECONDS -> "requests/s p50_ms p99_ms cpu_us_per_request"
  local s=$1 pidvar="pid_${server[$1]}" before after out requests
  before=$(cpu_ticks "${!pidvar}")
  out=$(BENCH_KEY=${key[$s]} BENCH_BODY=${body[$s]} BENCH_HEADERS=${headers[$s]} \
    wrk -t1 -c"$CONNECTIONS" -d"${2}s" --latency -s "$bench/lua/${script[$s]}" "${url[$s]}")
  after=$(cpu_ticks "${!pidvar}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  grep -q 'Non-2xx' <<<"$out" && { say "$s: $(grep 'Non-2xx' <<<"$out")"; exit 1; }
  echo "$(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)" \
    "$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms) $(echo "scale=3; ($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc)"
}

say "warming up"
for s in "${scenarios[@]}"; do run "$s" 3 >/dev/null; done
say "measuring: $ROUNDS rounds of ${DURATION}s per scenario, alternating"
for round in $(seq 1 "$ROUNDS"); do
  for s in "${scenarios[@]}"; do run "$s" "$DURATION" >"$work/round-$round-$s"; done
  say "  round $round done"
done

say "measuring time to first byte of a stream (median of 200 sequential requests)"
ttfb() { # ttfb SCENARIO -> median milliseconds to the first byte
  local s=$1 extra=()
  [ -n "${key[$s]}" ] && extra+=(-H "X-API-Key: ${key[$s]}")
  for _ in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -X POST "${url[$s]}" -H 'Content-Type: application/json' \
      -H 'Accept: text/event-stream' "${extra[@]}" -d "${body[$s]}"
  done | median | awk '{printf "%.3f", $1 * 1000}'
}
declare -A first_byte
for s in yarp_stream v1_stream chat_stream; do first_byte[$s]=$(ttfb "$s"); done

say "$SLOW_STREAMS slow clients, each reading a long stream (about 330 KB) at 80 KB/s"
sleep 2
long_body='{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"long"}]}'
slow=$(KEY=$KEY node "$bench/slow-streams.mjs" 5307 /api/v1/chat/completions "$long_body" "$pid_service" "$SLOW_STREAMS" 4096 50)
slow_yarp=$(node "$bench/slow-streams.mjs" 5306 /v1/chat/completions "$long_body" "$pid_yarp" "$SLOW_STREAMS" 4096 50)
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }
above_idle() { echo "scale=1; ($(field peak_kib "$1") - $(field idle_kib "$1")) / 1024" | bc; }

# --- the table ---------------------------------------------------------------------------------
each() { for r in $(seq 1 "$ROUNDS"); do col "$2" <"$work/round-$r-$1"; done | median; }
ratio() { for r in $(seq 1 "$ROUNDS"); do echo "scale=4; $(col "$2" <"$work/round-$r-$1") / $(col "$2" <"$work/round-$r-${floor[$1]}")" | bc; done | median; }
row() {
  local s=$1
  printf '| %s | %.1f | **%.2f×** | %.0f | %.2f× | %.2f | %.2f | %s |\n' "${label[$s]}" "$(each "$s" 4)" "$(ratio "$s" 4)" \
    "$(each "$s" 1)" "$(ratio "$s" 1)" "$(each "$s" 2)" "$(each "$s" 3)" "${first_byte[$s]:+${first_byte[$s]} ms}"
}
cat <<TABLE
| proxied path, loopback OpenAI-compatible provider | CPU µs/request | CPU vs YARP | req/s | req/s vs YARP | p50 ms | p99 ms | first byte, median |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(for s in "${scenarios[@]}"; do row "$s"; done)
${failed_rows%$'\n'}

Goals: CPU ≤ 1.5× YARP's on /api/v1 (JSON and stream) and /api/chat (stream); first byte of a stream within +0.3 ms of YARP's
(here $(printf '%+.3f' "$(echo "${first_byte[v1_stream]} - ${first_byte[yarp_stream]}" | bc)") ms on /api/v1, $(printf '%+.3f' "$(echo "${first_byte[chat_stream]} - ${first_byte[yarp_stream]}" | bc)") ms on /api/chat).

| $SLOW_STREAMS concurrent long streams, clients reading 4 KB every 50 ms | completed | failed | memory above idle, peak | seconds |
| --- | ---: | ---: | ---: | ---: |
| NextEleven /api/v1/chat/completions (goal: all complete, < 150 MB) | $(field completed "$slow") | $(field failed "$slow") | $(above_idle "$slow") MB | $(field seconds "$slow") |
| YARP 2.3 pass-through | $(field completed "$slow_yarp") | $(field failed "$slow_yarp") | $(above_idle "$slow_yarp") MB | $(field seconds "$slow_yarp") |
TABLE
