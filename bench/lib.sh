# Helpers both benchmark scripts source: the work folder and its cleanup, starting servers, reading a
# process's CPU time, medians. The sourcing script sets $work (a temporary folder) first.
pids=()

say() { printf '%s\n' "$*" >&2; }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME PORT COMMAND... : starts a server in the background, logging to $work/NAME.log, waits for its
# port, and keeps its PID in pid_NAME (dashes in NAME become underscores).
start() {
  local name=$1 port=$2; shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  eval "pid_${name//-/_}=$!"
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  say "$name did not start:"; cat "$work/$name.log" >&2; exit 1
}

# User + system time of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# The c-th column of each line.
col() { awk -v c="$1" '{print $c}'; }
# A wrk latency ("812.00us", "1.20ms", "2.01s") in milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 } printf "%.3f", v }'; }
