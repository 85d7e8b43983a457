#!/usr/bin/env bash
# Before and after, side by side: the service built from a git revision (A) and from the working tree
# (B), each under the same loads in the same rounds, alternating, so that a change is measured against
# what it changes rather than against a figure from another hour of a shared machine. Prints, per
# scenario, server CPU µs per request (user + system time from /proc over a run, divided by the requests
# served) for A and B, and the median of each round's B/A ratio. Also runs B with two targets configured
# for one model (the first healthy) beside B with one provider: what fallback costs while all is well.
#
# Usage: bench/ab.sh [REV]      (REV defaults to HEAD; ROUNDS=5 DURATION=5 CONNECTIONS=32 to change;
#                               ONLY=routing measures the fallback comparison alone, ONLY=budget (a server
#                               suffix of the scenarios below) that scenario alone; ONLY=spend against a
#                               revision from before the ledger measures what the ledger and a spend budget cost)
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
repo=$(cd .. && pwd)

REV=${1:-HEAD}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
KEY=bench-key-$(openssl rand -hex 24)
work=$(mktemp -d /tmp/nexteleven-ab.XXXXXX)
# shellcheck source=lib.sh
source "$bench/lib.sh"
command -v wrk >/dev/null || { say "missing wrk: run 'sudo apt-get install -y wrk'"; exit 1; }

say "building A ($(git -C "$repo" rev-parse --short "$REV")), B (the working tree) and the loopback provider (Release)"
mkdir -p "$work/src-a"
git -C "$repo" archive "$REV" | tar -x -C "$work/src-a"
dotnet publish "$work/src-a/NextEleven.Api" -c Release -o "$work/a" --nologo -v quiet >/dev/null
dotnet publish "$repo/NextEleven.Api" -c Release -o "$work/b" --nologo -v quiet >/dev/null
dotnet publish "$bench/Upstream" -c Release -o "$work/upstream" --nologo -v quiet >/dev/null

service() { # service NAME SIDE PORT [VAR=VALUE...]: one side's published service as it ships, in Production
  local name=$1 side=$2 port=$3; shift 3
  start "$name" "$port" env -C "$work/$side" ASPNETCORE_ENVIRONMENT=Production NEXTELEVEN_API_KEY="$KEY" \
    RateLimit__PermitLimit=2000000000 "$@" dotnet NextEleven.Api.dll --urls "http://127.0.0.1:$port"
}
provider=(GROK_API_KEY=bench-provider-key Chat__Endpoint=http://127.0.0.1:5205/v1 Chat__Model=bench-model)

say "starting servers"
start upstream 5205 dotnet "$work/upstream/Upstream.dll" --urls http://127.0.0.1:5205
for side in a b; do
  base=$([ "$side" = a ] && echo 5210 || echo 5220)
  service "$side-chat" "$side" "$base"
  service "$side-budget" "$side" $((base + 1)) RateLimit__Tokens__PermitLimit=2000000000
  service "$side-limited" "$side" $((base + 2)) RateLimit__PermitLimit=1
  service "$side-proxied" "$side" $((base + 3)) "${provider[@]}"
  # Priced, with a spend budget no bench run exhausts: a revision from before spend budgets ignores both settings.
  service "$side-spend" "$side" $((base + 4)) Chat__Prices__nexteleven-offline-echo__Input=3 Chat__Prices__nexteleven-offline-echo__Output=15 \
    RateLimit__Spend__Limit=1000000000
done
# One provider, and two named providers with the first healthy (every call answered by the first
# target), each an instance of its own that serves only this comparison, so both are equally warm.
service b-single b 5231 "${provider[@]}"
service b-routed b 5230 Chat__Providers__first__Endpoint=http://127.0.0.1:5205/v1 Chat__Providers__first__ApiKey=bench-provider-key \
  Chat__Providers__second__Endpoint=http://127.0.0.1:5205/v1 Chat__Providers__second__ApiKey=bench-provider-key \
  Chat__Models__bench-model__Targets__0=first/bench-model Chat__Models__bench-model__Targets__1=second/bench-model Chat__Model=bench-model
curl -s -o /dev/null -X POST http://127.0.0.1:5212/api/chat -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"message":"x"}'
curl -s -o /dev/null -X POST http://127.0.0.1:5222/api/chat -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"message":"x"}'

# Each scenario must answer as it should on both sides, or the figures would measure an error path.
check() { # check PORT KEY BODY EXPECTED
  local got body=$3
  [ -n "$body" ] || body='{"message":"Hello"}'
  got=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/api/chat" -H 'Content-Type: application/json' \
    ${2:+-H "X-API-Key: $2"} -d "$body")
  [ "$got" = "$4" ] || { say "port $1 answered $got, expected $4"; exit 1; }
}

run() { # run SERVER PORT SCRIPT KEY BODY SECONDS -> CPU µs per request
  local name=$1 port=$2 script=$3 key=$4 body=$5 seconds=$6 pidvar="pid_${1//-/_}" before after out requests
  before=$(cpu_ticks "${!pidvar}")
  out=$(BENCH_KEY=$key BENCH_BODY=$body wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" -s "$bench/lua/$script" "http://127.0.0.1:$port/api/chat")
  after=$(cpu_ticks "${!pidvar}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "scale=2; ($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc
}

stream_body='{"message":"Write a haiku","stream":true}'
# scenario | server suffix | port offset | lua script | key | body | the status it must answer
all_scenarios=(
  "authenticated chat, offline responder|chat|0|chat.lua|$KEY||200"
  "the same with a token budget|budget|1|chat.lua|$KEY||200"
  "429 path (client over its limit)|limited|2|chat.lua|$KEY||429"
  "401 path (no key)|chat|0|chat.lua|||401"
  "proxied chat, JSON|proxied|3|chat.lua|$KEY||200"
  "proxied chat, stream|proxied|3|stream.lua|$KEY|$stream_body|200"
  "authenticated chat, priced, with a spend budget|spend|4|chat.lua|$KEY||200"
)
scenarios=()
for s in "${all_scenarios[@]}"; do
  IFS='|' read -r _ server _ <<<"$s"
  if [ -z "${ONLY:-}" ] || [ "$ONLY" = "$server" ]; then scenarios+=("$s"); fi
done
say "checking each scenario answers as it should"
for s in "${scenarios[@]}"; do
  IFS='|' read -r _ server offset script key body expected <<<"$s"
  check $((5210 + offset)) "$key" "$body" "$expected"
  check $((5220 + offset)) "$key" "$body" "$expected"
done
check 5230 "$KEY" "" 200
check 5231 "$KEY" "" 200

say "warming up"
for s in "${scenarios[@]}"; do
  IFS='|' read -r _ server offset script key body _ <<<"$s"
  run "a-$server" $((5210 + offset)) "$script" "$key" "$body" 2 >/dev/null
  run "b-$server" $((5220 + offset)) "$script" "$key" "$body" 2 >/dev/null
done
run b-single 5231 chat.lua "$KEY" "" 2 >/dev/null
run b-routed 5230 chat.lua "$KEY" "" 2 >/dev/null

say "measuring: $ROUNDS rounds of ${DURATION}s per scenario and side, alternating"
for round in $(seq 1 "$ROUNDS"); do
  i=0
  for s in "${scenarios[@]}"; do
    IFS='|' read -r _ server offset script key body _ <<<"$s"
    a=$(run "a-$server" $((5210 + offset)) "$script" "$key" "$body" "$DURATION")
    b=$(run "b-$server" $((5220 + offset)) "$script" "$key" "$body" "$DURATION")
    echo "$a" >>"$work/a-$i"; echo "$b" >>"$work/b-$i"
    echo "scale=4; $b / $a" | bc >>"$work/ratio-$i"
    i=$((i + 1))
  done
  if [ -z "${ONLY:-}" ] || [ "$ONLY" = routing ]; then
    single=$(run b-single 5231 chat.lua "$KEY" "" "$DURATION")
    routed=$(run b-routed 5230 chat.lua "$KEY" "" "$DURATION")
    echo "$single" >>"$work/single"; echo "$routed" >>"$work/routed"
    echo "scale=4; $routed / $single" | bc >>"$work/routed-ratio"
  fi
  say "  round $round done"
done

echo "## Before and after: $(git -C "$repo" rev-parse --short "$REV") (A) against the working tree (B)"
echo
echo "Command: \`bench/ab.sh $REV\` (ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS); medians over rounds."
echo
if [ ${#scenarios[@]} -gt 0 ]; then
  echo "| scenario | A: CPU µs/request | B: CPU µs/request | B/A, median of rounds |"
  echo "| --- | ---: | ---: | ---: |"
  i=0
  for s in "${scenarios[@]}"; do
    IFS='|' read -r label _ <<<"$s"
    printf '| %s | %s | %s | **%.3f×** (rounds: %s) |\n' "$label" "$(median <"$work/a-$i")" "$(median <"$work/b-$i")" "$(median <"$work/ratio-$i")" \
      "$(paste -sd' ' "$work/ratio-$i")"
    i=$((i + 1))
  done
  echo
fi
[ -z "${ONLY:-}" ] || [ "$ONLY" = routing ] || exit 0
echo "| B: fallback configured, first target healthy | one provider | two targets | two/one, median of rounds |"
echo "| --- | ---: | ---: | ---: |"
printf '| proxied chat, JSON | %s | %s | **%.3f×** (rounds: %s) |\n' "$(median <"$work/single")" "$(median <"$work/routed")" "$(median <"$work/routed-ratio")" \
  "$(paste -sd' ' "$work/routed-ratio")"
