#!/usr/bin/env bash
# The usage report at scale: a SQLite ledger of ROWS rows (CLIENTS clients × 400 days × TARGETS
# targets), then GET /api/v1/usage?days=30 of one client, timed by curl over 50 requests (median and
# worst), against the published service in Production.
#
# Usage: bench/ledger.sh      (ROWS=1000000 by default: 1,250 clients × 400 days × 2 targets)
set -euo pipefail
cd "$(dirname "$0")"
bench=$(pwd)
repo=$(cd .. && pwd)
CLIENTS=${CLIENTS:-1250}
TARGETS=${TARGETS:-2}
KEY=bench-key-$(openssl rand -hex 24)
work=$(mktemp -d /tmp/nexteleven-ledger.XXXXXX)
# shellcheck source=lib.sh
source "$bench/lib.sh"
command -v python3 >/dev/null || { say "missing python3 (it writes the ledger)"; exit 1; }

say "building (Release)"
dotnet publish "$repo/NextEleven.Api" -c Release -o "$work/api" --nologo -v quiet >/dev/null
say "writing $((CLIENTS * 400 * TARGETS)) ledger rows"
# The service's own schema, created by a first start, then filled: the default client is one of the clients.
start schema 5401 env -C "$work" ASPNETCORE_ENVIRONMENT=Production NEXTELEVEN_API_KEY="$KEY" Usage__Database="$work/usage.db" \
  dotnet "$work/api/NextEleven.Api.dll" --urls http://127.0.0.1:5401
curl -s -o /dev/null -X POST http://127.0.0.1:5401/api/chat -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"message":"x"}'
sleep 1
kill "$pid_schema"; wait "$pid_schema" 2>/dev/null || true
python3 - "$work/usage.db" "$CLIENTS" "$TARGETS" <<'PY'
import datetime, sqlite3, sys
db, clients, targets = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
today = datetime.datetime.now(datetime.timezone.utc).date()
days = [(today - datetime.timedelta(days=d)).isoformat() for d in range(400)]
connection = sqlite3.connect(db)
ids = ["default"] + [f"client-{c:05d}" for c in range(1, clients)]
connection.executemany("INSERT OR REPLACE INTO usage VALUES (?,?,?,?,?,?,?,?)",
    ((client, day, f"provider-{t}/model", 10, 1000, 100, 500, 9000) for client in ids for day in days for t in range(targets)))
connection.commit()
print(connection.execute("SELECT COUNT(*) FROM usage").fetchone()[0], file=sys.stderr)
PY
start service 5402 env -C "$work" ASPNETCORE_ENVIRONMENT=Production NEXTELEVEN_API_KEY="$KEY" Usage__Database="$work/usage.db" \
  RateLimit__PermitLimit=1000000 dotnet "$work/api/NextEleven.Api.dll" --urls http://127.0.0.1:5402
for _ in $(seq 1 10); do curl -s -o /dev/null -H "X-API-Key: $KEY" "http://127.0.0.1:5402/api/v1/usage?days=30"; done
times=$(for _ in $(seq 1 50); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "X-API-Key: $KEY" "http://127.0.0.1:5402/api/v1/usage?days=30"
done)
days=$(curl -s -H "X-API-Key: $KEY" "http://127.0.0.1:5402/api/v1/usage?days=30" | grep -o '"date"' | wc -l)
printf '| ledger rows | days in the report | GET /api/v1/usage?days=30, median | worst of 50 |\n| ---: | ---: | ---: | ---: |\n'
printf '| %s | %s | %.1f ms | %.1f ms |\n' "$((CLIENTS * 400 * TARGETS))" "$days" \
  "$(echo "$(median <<<"$times") * 1000" | bc)" "$(echo "$(sort -n <<<"$times" | tail -1) * 1000" | bc)"
