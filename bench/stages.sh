#!/usr/bin/env bash
# Where a guarded request's CPU goes, stage by stage: the service as it ships, and beside it builds of
# the service with one stage taken out of its source each (a copy of the source is patched; the
# repository is not touched), all under the same authenticated chat load, rounds alternating. Prints
# server CPU microseconds per request (user + system time from /proc over a run, divided by the
# requests served) for each, the bare minimal API of bench/Baseline first: the median over rounds, and
# the median of each round's difference to the shipped build measured in that same round (steadier on
# a shared machine than a difference of medians).
#
# Usage: bench/stages.sh            (ROUNDS=7 DURATION=4 CONNECTIONS=32 to change)
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
repo=$(cd .. && pwd)

ROUNDS=${ROUNDS:-7}
DURATION=${DURATION:-4}
CONNECTIONS=${CONNECTIONS:-32}
KEY=bench-key-$(openssl rand -hex 24)
work=$(mktemp -d /tmp/nexteleven-stages.XXXXXX)
# shellcheck source=lib.sh
source "$bench/lib.sh"
command -v wrk >/dev/null || { say "missing wrk: run 'sudo apt-get install -y wrk'"; exit 1; }

# name | what is taken out | the source file patched | sed expression applied to a copy of it ("" = as shipped)
defaults=NextEleven.Api/Hosting/ServiceDefaultsExtensions.cs
gate=NextEleven.Api/Gateway/ApiGateExtensions.cs
variants=(
  "shipped|nothing||"
  "no-request-log|the request-logging middleware|$defaults|s/^        app.UseRequestLogging();//"
  "no-error-pages|the exception handler and status-code pages|$defaults|s/^        app.UseApiErrors();//"
  "no-limiter|the rate-limit filter|$gate|/DecideLimit(factory.ApplicationServices/d"
  "no-key-filter|the key filter (the caller is still identified)|$gate|/RequireKey(factory.ApplicationServices/d"
  "no-std-headers|the standard response headers|$defaults|s/^        app.UseStandardResponseHeaders();//"
  "no-header-limit|the request-header size check|$defaults|s/^        app.UseRequestHeaderLimit();//"
)

say "building the baseline and ${#variants[@]} builds of the service (Release)"
dotnet publish "$bench/Baseline" -c Release -o "$work/baseline" --nologo -v quiet >/dev/null
mkdir -p "$work/src"
(cd "$repo" && git ls-files -z | xargs -0 cp --parents -t "$work/src")
mkdir -p "$work/pristine"
(cd "$work/src" && cp --parents "$defaults" "$gate" "$work/pristine")
for variant in "${variants[@]}"; do
  IFS='|' read -r name _ file expression <<<"$variant"
  (cd "$work/pristine" && cp --parents "$defaults" "$gate" "$work/src")
  if [ -n "$expression" ]; then
    sed -i "$expression" "$work/src/$file"
    if cmp -s "$work/pristine/$file" "$work/src/$file"; then
      say "$name: the pattern no longer matches $file: update it"; exit 1
    fi
  fi
  dotnet publish "$work/src/NextEleven.Api" -c Release -o "$work/$name" --nologo -v quiet >/dev/null
done

say "starting servers"
names=(bare)
start bare 5301 dotnet "$work/baseline/Baseline.dll" --urls http://127.0.0.1:5301
port=5302
declare -A portof=([bare]=5301)
for variant in "${variants[@]}"; do
  IFS='|' read -r name _ _ <<<"$variant"
  start "$name" "$port" env -C "$work/$name" ASPNETCORE_ENVIRONMENT=Production NEXTELEVEN_API_KEY="$KEY" \
    RateLimit__PermitLimit=2000000000 dotnet NextEleven.Api.dll --urls "http://127.0.0.1:$port"
  names+=("$name"); portof[$name]=$port; port=$((port + 1))
done

run() { # run NAME SECONDS -> CPU µs per request
  local name=$1 seconds=$2 pidvar="pid_${1//-/_}" before after out requests
  before=$(cpu_ticks "${!pidvar}")
  out=$(BENCH_KEY=$KEY wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" -s "$bench/lua/chat.lua" "http://127.0.0.1:${portof[$name]}/api/chat")
  after=$(cpu_ticks "${!pidvar}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "scale=2; ($after - $before) * 1000000 / $(getconf CLK_TCK) / $requests" | bc
}
say "warming up"
for name in "${names[@]}"; do run "$name" 3 >/dev/null; done
say "measuring: $ROUNDS rounds of ${DURATION}s per build, alternating"
for round in $(seq 1 "$ROUNDS"); do
  for name in "${names[@]}"; do run "$name" "$DURATION" >>"$work/cpu-$name"; done
  say "  round $round done"
done

against_shipped() { paste -d' ' "$work/cpu-$1" "$work/cpu-shipped" | awk '{print $1 - $2}' | median; }
echo "| build (authenticated POST /api/chat, offline responder) | CPU µs/request | against the shipped build, same rounds |"
echo "| --- | ---: | ---: |"
printf '| bare minimal API (bench/Baseline) | %.1f | %+.1f |\n' "$(median <"$work/cpu-bare")" "$(against_shipped bare)"
for variant in "${variants[@]}"; do
  IFS='|' read -r name what _ <<<"$variant"
  label=$([ "$name" = shipped ] && echo "the service as shipped" || echo "without $what")
  printf '| %s | %.1f | %+.1f |\n' "$label" "$(median <"$work/cpu-$name")" "$(against_shipped "$name")"
done
