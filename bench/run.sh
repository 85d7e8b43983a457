#!/usr/bin/env bash
# The benchmark: the service as it ships against a bare minimal API and an Express peer, side by side
# in one run, alternating, with every figure a ratio to the bare baseline of the same round: throughput,
# latency, and server CPU time per request (user + system time of the server process from /proc over
# the run, divided by the requests it served: far steadier than throughput on a shared machine). The
# Redis store runs beside the in-memory one, on a local redis-server. Then the limiter under a
# million-address flood, the proxied path against a loopback provider (bench/proxied.sh: YARP and
# Portkey's gateway beside the service), and the in-process microbenchmarks. Prints a markdown table
# and saves it under bench/results/.
#
# Usage: bench/run.sh            (ROUNDS=5 DURATION=5 CONNECTIONS=32 FLOOD_CLIENTS=1000000 to change)
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
repo=$(cd .. && pwd)

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
FLOOD_CLIENTS=${FLOOD_CLIENTS:-1000000}
KEY=bench-key-$(openssl rand -hex 24)
work=$(mktemp -d /tmp/nexteleven-bench.XXXXXX)
# shellcheck source=lib.sh
source "$bench/lib.sh"

# --- tools -------------------------------------------------------------------------------------
need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need curl || ! need bc; then
  say "installing wrk, curl and bc (Debian packages)"
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk curl bc >/dev/null
  else
    say "missing wrk, curl or bc: run 'sudo apt-get install -y wrk curl bc'"; exit 1
  fi
fi
need node && need npm || { say "missing Node.js and npm, needed for the Express peer and Portkey's gateway"; exit 1; }
if ! need redis-server; then
  say "installing redis-server (Debian package)"
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    say "missing redis-server: run 'sudo apt-get install -y redis-server'"; exit 1
  fi
fi

# --- build -------------------------------------------------------------------------------------
say "building (Release)"
dotnet publish "$repo/NextEleven.Api" -c Release -o "$work/api" --nologo -v quiet >/dev/null
dotnet publish "$bench/Baseline" -c Release -o "$work/baseline" --nologo -v quiet >/dev/null
(cd "$bench/peer" && npm install --no-audit --no-fund --silent >/dev/null)

# --- servers -----------------------------------------------------------------------------------
service() { # service NAME PORT [VAR=VALUE...]: the published service as it ships, in Production
  local name=$1 port=$2; shift 2
  start "$name" "$port" env -C "$work/api" ASPNETCORE_ENVIRONMENT=Production NEXTELEVEN_API_KEY="$KEY" "$@" \
    dotnet NextEleven.Api.dll --urls "http://127.0.0.1:$port"
}

say "starting servers"
# A Redis of the benchmark's own on a spare port, no persistence: the shared store as an operator runs it.
redis-server --bind 127.0.0.1 --port 5199 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do redis-cli -p 5199 ping >/dev/null 2>&1 && break; sleep 0.1; done
start baseline 5101 dotnet "$work/baseline/Baseline.dll" --urls http://127.0.0.1:5101
service chat 5102 RateLimit__PermitLimit=2000000000
# A token budget that never runs out: every chat call reserves and settles its tokens.
service budget 5110 RateLimit__PermitLimit=2000000000 RateLimit__Tokens__PermitLimit=2000000000
service limited 5103 RateLimit__PermitLimit=1
start peer 5104 env PORT=5104 NEXTELEVEN_API_KEY="$KEY" node "$bench/peer/server.js"
service redis 5108 RateLimit__PermitLimit=2000000000 ConnectionStrings__Redis=127.0.0.1:5199
service redis_limited 5109 RateLimit__PermitLimit=1 ConnectionStrings__Redis=127.0.0.1:5199 RateLimit__Redis__KeyPrefix=limited:
# The flood instance logs requests at Error only: a million 401 lines would measure the disk, not the limiter.
service flood 5107 TrustedProxies=127.0.0.1 Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware=Error

# --- load --------------------------------------------------------------------------------------
# load URL SCRIPT PID [VAR=VALUE...] -> "requests/s p50_ms p99_ms non2xx cpu_us_per_request requests"
# PID is the server's process: its user + system time over the run, divided by the requests wrk saw answered.
load() {
  local url=$1 script=$2 pid=$3; shift 3
  local out before after
  before=$(cpu_ticks "$pid")
  out=$(env "$@" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$bench/lua/$script" "$url")
  after=$(cpu_ticks "$pid")
  local rps p50 p99 non2xx requests cpu_us
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu_us=$(echo "scale=3; ($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc)
  echo "$rps $p50 $p99 ${non2xx:-0} $cpu_us $requests"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

scenarios=(bare chat budget limited unauthorized redis redis_limited peer)
declare -A url=(
  [bare]=http://127.0.0.1:5101/api/chat
  [chat]=http://127.0.0.1:5102/api/chat
  [budget]=http://127.0.0.1:5110/api/chat
  [limited]=http://127.0.0.1:5103/api/chat
  [unauthorized]=http://127.0.0.1:5102/api/chat
  [redis]=http://127.0.0.1:5108/api/chat
  [redis_limited]=http://127.0.0.1:5109/api/chat
  [peer]=http://127.0.0.1:5104/api/chat
)
declare -A keyfor=([bare]="" [chat]=$KEY [budget]=$KEY [limited]=$KEY [unauthorized]="" [redis]=$KEY [redis_limited]=$KEY [peer]=$KEY)
declare -A expect=([bare]=200 [chat]=200 [budget]=200 [limited]=429 [unauthorized]=401 [redis]=200 [redis_limited]=429 [peer]=200)
declare -A serverof=([bare]=baseline [chat]=chat [budget]=budget [limited]=limited [unauthorized]=chat [redis]=redis
  [redis_limited]=redis_limited [peer]=peer)
pid_of() { local name="pid_${serverof[$1]}"; echo "${!name}"; }

say "checking each scenario answers as it should"
for port in 5103 5109; do
  status_of -X POST "http://127.0.0.1:$port/api/chat" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"message":"x"}' >/dev/null
done
for port in 5108 5109; do
  curl -s -H "X-API-Key: $KEY" "http://127.0.0.1:$port/api/system/env-status" | grep -q '"rateLimitStore":"redis"' || { say "port $port is not on Redis"; exit 1; }
done
for s in "${scenarios[@]}"; do
  got=$(status_of -X POST "${url[$s]}" -H 'Content-Type: application/json' ${keyfor[$s]:+-H "X-API-Key: ${keyfor[$s]}"} -d '{"message":"Hello"}')
  [ "$got" = "${expect[$s]}" ] || { say "$s answered $got, expected ${expect[$s]}"; exit 1; }
done

say "warming up"
for s in "${scenarios[@]}"; do DURATION=2 load "${url[$s]}" chat.lua "$(pid_of "$s")" BENCH_KEY="${keyfor[$s]}" >/dev/null; done

say "measuring: $ROUNDS rounds of ${DURATION}s per scenario, alternating"
for round in $(seq 1 "$ROUNDS"); do
  for s in "${scenarios[@]}"; do
    load "${url[$s]}" chat.lua "$(pid_of "$s")" BENCH_KEY="${keyfor[$s]}" >"$work/round-$round-$s"
  done
  say "  round $round done"
done

# --- Redis calls of a client over its limit --------------------------------------------------------
# The script runs as EVALSHA (EVAL only when Redis lost it); count both across one more 429 run.
redis_script_calls() {
  redis-cli -p 5199 info commandstats | awk -F'[:=,]' '/^cmdstat_(evalsha|eval):/ {n += $3} END {print n + 0}'
}
calls_before=$(redis_script_calls)
over_limit=$(load "${url[redis_limited]}" chat.lua "$(pid_of redis_limited)" BENCH_KEY="$KEY")
calls_after=$(redis_script_calls)
calls_per_rejection=$(echo "scale=6; ($calls_after - $calls_before) / $(col 6 <<<"$over_limit")" | bc)

# --- the limiter at scale ----------------------------------------------------------------------
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
say "flooding with $FLOOD_CLIENTS distinct client addresses through a trusted proxy"
DURATION=2 load http://127.0.0.1:5107/api/chat chat.lua "$pid_flood" >/dev/null
sleep 2
rss_before=$(rss_kib "$pid_flood")
flood_start=$(date +%s.%N)
BENCH_CLIENTS=$FLOOD_CLIENTS BENCH_DONE_FILE="$work/flood.done" \
  wrk -t1 -c"$CONNECTIONS" -d600s -s "$bench/lua/flood.lua" http://127.0.0.1:5107/api/chat >"$work/flood.out" &
flood_pid=$!
while [ ! -e "$work/flood.done" ] && kill -0 "$flood_pid" 2>/dev/null; do sleep 0.2; done
flood_seconds=$(echo "$(date +%s.%N) - $flood_start" | bc)
kill "$flood_pid" 2>/dev/null || true
wait "$flood_pid" 2>/dev/null || true
[ -e "$work/flood.done" ] || { say "the flood did not complete"; exit 1; }
sleep 2
rss_after=$(rss_kib "$pid_flood")
ticks_before=$(cpu_ticks "$pid_flood")
sleep 10
ticks_after=$(cpu_ticks "$pid_flood")
idle_cpu=$(echo "scale=2; ($ticks_after - $ticks_before) * 100 / ($(getconf CLK_TCK) * 10)" | bc)
rss_per_client=$(echo "scale=1; ($rss_after - $rss_before) * 1024 / $FLOOD_CLIENTS" | bc)
overflow=""
for i in 1 2 3; do
  remaining=$(curl -s -D - -o /dev/null -X POST http://127.0.0.1:5107/api/chat -H 'Content-Type: application/json' \
    -H "X-Forwarded-For: 172.16.0.$i" -d '{"message":"x"}' | awk -F': ' 'tolower($1)=="x-ratelimit-remaining" {print $2}' | tr -d '\r')
  overflow="$overflow $remaining"
done
overflow_logged=$(grep -c 'overflow budget' "$work/flood.log" || true)

say "measuring the in-process limiter at $FLOOD_CLIENTS clients"
scale=$(dotnet run -c Release --project "$bench/LimiterScale" -- "$FLOOD_CLIENTS" 2>/dev/null)
heap_per_client=$(awk -F': *' '/managed heap per client/ {print $2}' <<<"$scale" | awk '{print $1}')
scale_idle=$(awk -F': *' '/idle CPU/ {print $2}' <<<"$scale" | awk '{print $1}')

# --- the proxied path --------------------------------------------------------------------------
say "measuring the proxied path (bench/proxied.sh): YARP, the service and Portkey's gateway against a loopback provider"
proxied=$(ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS "$bench/proxied.sh")

# --- microbenchmarks ---------------------------------------------------------------------------
say "running the microbenchmarks (BenchmarkDotNet)"
(cd "$bench/Micro" && dotnet run -c Release -- --filter '*' --artifacts "$work/bdn" >"$work/micro.log" 2>&1)
# Columns are found by name in each report, since parameters (Keys) add columns; a parameter joins the name.
micro_table() {
  for report in "$@"; do
    sed -e "s/&#39;//g" -e 's/\*\*//g' "$report" | awk -F'|' '
      /^\| Method/ { for (i = 2; i < NF; i++) { h = $i; gsub(/ /, "", h); col[h] = i }; next }
      /^\| *-/ { next }
      /^\| / {
        name = $col["Method"]; gsub(/^ +| +$/, "", name)
        if ("Keys" in col) { keys = $col["Keys"]; gsub(/ /, "", keys); name = name " (" keys " keys)" }
        mean = $col["Mean"]; gsub(/^ +| +$/, "", mean)
        allocated = $col["Allocated"]; gsub(/^ +| +$/, "", allocated)
        printf "| %s | %s | %s |\n", name, mean, allocated
      }'
  done
}
micro=$(micro_table "$work"/bdn/results/*-report-github.md)

# --- the table ---------------------------------------------------------------------------------
per_round() { # per_round SCENARIO COLUMN OP BASE -> median over rounds of (SCENARIO's COLUMN) OP (BASE's COLUMN)
  for r in $(seq 1 "$ROUNDS"); do
    echo "scale=4; $(col "$2" <"$work/round-$r-$1") $3 $(col "$2" <"$work/round-$r-$4")" | bc; done | median
}
row() { # row SCENARIO LABEL GOAL
  local s=$1
  local rps p50 p99 cpu
  rps=$(for r in $(seq 1 "$ROUNDS"); do col 1 <"$work/round-$r-$s"; done | median)
  p50=$(for r in $(seq 1 "$ROUNDS"); do col 2 <"$work/round-$r-$s"; done | median)
  p99=$(for r in $(seq 1 "$ROUNDS"); do col 3 <"$work/round-$r-$s"; done | median)
  cpu=$(for r in $(seq 1 "$ROUNDS"); do col 5 <"$work/round-$r-$s"; done | median)
  printf '| %s | %.1f | **%.2f×** | %.0f | %.2f× | %.2f | %.2f | %+.2f | %s |\n' "$2" "$cpu" "$(per_round "$s" 5 / bare)" \
    "$rps" "$(per_round "$s" 1 / bare)" "$p50" "$p99" "$(per_round "$s" 3 - bare)" "$3"
}
peer_ratio=$(for r in $(seq 1 "$ROUNDS"); do
  echo "scale=4; $(col 1 <"$work/round-$r-chat") / $(col 1 <"$work/round-$r-peer")" | bc; done | median)

stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cpu=$(lscpu 2>/dev/null | awk -F': *' '/Model name/ {print $2; exit}')
table=$(cat <<EOF
## NextEleven.Api benchmark, $stamp

Machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); .NET SDK $(dotnet --version); wrk 1 thread, $CONNECTIONS connections, ${DURATION}s per run, $ROUNDS alternating rounds; ratios are medians of per-round ratios to the bare baseline of the same round.
Command: \`bench/run.sh\` (ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS FLOOD_CLIENTS=$FLOOD_CLIENTS)

| scenario | CPU µs/request | CPU vs bare | req/s | req/s vs bare | p50 ms | p99 ms | p99 vs bare, ms | goal |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
$(row bare "bare minimal API (baseline)" "ceiling")
$(row chat "authenticated POST /api/chat, offline responder" "CPU ≤ 1.25×, req/s ≥ 0.85×, p99 ≤ +1 ms")
$(row budget "the same with a token budget (reserve, then settle)" "")
$(row limited "429 path (client over its limit)" "CPU ≤ 1.00×")
$(row unauthorized "401 path (no key)" "CPU ≤ 1.00×")
$(row redis "authenticated chat, Redis store" "req/s ≥ 0.6× of in-memory chat, p99 ≤ +1 ms of it")
$(row redis_limited "429 path, Redis store" "no Redis call")
$(row peer "Express 5 + express-rate-limit 8 (peer)" "")

Authenticated chat against the Express peer: **$(printf '%.1f' "$peer_ratio")×** its throughput.

| Redis store against the in-memory store, same rounds | figure | goal |
| --- | ---: | --- |
| throughput, authenticated chat | $(printf '%.2f' "$(per_round redis 1 / chat)")× | ≥ 0.6× |
| p99, authenticated chat | $(printf '%+.2f' "$(per_round redis 3 - chat)") ms | ≤ +1 ms |
| CPU per request, authenticated chat | $(printf '%.2f' "$(per_round redis 5 / chat)")× | |
| Redis script calls per request of a client over its limit | $calls_per_rejection | 0 |

| limiter at scale | figure | goal |
| --- | ---: | --- |
| flood of distinct clients through a trusted proxy | $FLOOD_CLIENTS in $(printf '%.0f' "$flood_seconds") s | |
| RSS growth per tracked client (out of process, garbage included) | $rss_per_client bytes | |
| managed heap per tracked client (in process, bench/LimiterScale) | $heap_per_client bytes | < 256 bytes |
| idle CPU for 10 s after the flood (out of process) | $idle_cpu % of a core | < 1 % |
| idle CPU for 10 s with $FLOOD_CLIENTS tracked (in process) | $scale_idle % of a core | < 1 % |
| new clients beyond the cap: X-RateLimit-Remaining of three new addresses | $overflow | one shared budget |
| cap reached, logged | $overflow_logged line(s) | once per window |

$proxied

| microbenchmark (BenchmarkDotNet, bench/Micro) | mean | allocated |
| --- | ---: | ---: |
$micro
EOF
)

mkdir -p "$bench/results"
printf '%s\n' "$table" >"$bench/results/$(date -u +%Y-%m-%d-%H%M).md"
printf '%s\n' "$table" >"$bench/results/latest.md"
printf '%s\n' "$table"
