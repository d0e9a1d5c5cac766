#!/usr/bin/env bash
# Measures the catalog's read paths with wrk against the release binary on a database seeded
# with `tradezone seed --listings N`: the first page, a random keyset page, a listing's detail,
# searches matching every listing, some, or one (Latin and Chinese), facets, and /healthz as
# the HTTP ceiling of the same run. Prints per request: req/s, p50, p99, non-2xx, and the RSS
# of the server at the end.
# Usage (the database is seeded when it holds no generated listings yet):
#   cargo build --release && bench/search.sh                                        # SQLite
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tz_bench bench/search.sh        # PostgreSQL
# Settings: LISTINGS (100000), SECONDS_EACH (10), CONNECTIONS (32), PORT. Needs wrk.
set -euo pipefail
PORT="${PORT:-18099}"
SECONDS_EACH="${SECONDS_EACH:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
LISTINGS="${LISTINGS:-100000}"
BIN="${BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/tradezone}"
WORK="${WORK:-$(mktemp -d)}"
cd "$WORK"
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
export TRADEZONE_BIND="127.0.0.1:$PORT" TRADEZONE_MAIL_URL=log TRADEZONE_JWT_SECRET=bench RUST_LOG=warn
export DATABASE_URL="${DATABASE_URL:-$WORK/bench.db}"
B="http://127.0.0.1:$PORT"

have=$("$BIN" seed --listings 0 2>/dev/null | awk '/generated listings in the database/ {print $1}')
if [ "${have:-0}" -lt "$LISTINGS" ]; then
  "$BIN" seed --listings "$((LISTINGS - ${have:-0}))" 2>/dev/null | tail -1
fi
"$BIN" serve >server.log 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "$B/healthz" >/dev/null && break; sleep 0.2; done

# A listing id and a cursor from the middle of the catalog, for the detail and keyset pages.
page=$(curl -sf "$B/api/v1/listings?category=drinkware&limit=20")
ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["items"][0]["id"])' "$page")
CURSOR=$(curl -sf "$B/api/v1/listings?limit=100&cursor=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["next_cursor"])' "$page")" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')

measure() {
  local name="$1" path="$2"
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$B$path")
  local rps p50 p99 bad
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '| %-34s | %10s | %8s | %8s | %6s |\n' "$name" "$rps" "$p50" "$p99" "${bad:-0}"
}
echo "| request | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
measure "GET /healthz (ceiling)" "/healthz"
measure "first page, category=drinkware" "/api/v1/listings?category=drinkware&limit=20"
measure "keyset page (cursor)" "/api/v1/listings?limit=20&cursor=$CURSOR"
measure "GET /listings/{id}" "/api/v1/listings/$ID"
measure "q=flask (many)" "/api/v1/listings?q=flask&limit=20"
measure "q=保温 (many, Chinese)" "/api/v1/listings?q=%E4%BF%9D%E6%B8%A9&limit=20"
measure "q=ref004242 (one)" "/api/v1/listings?q=ref004242&limit=20"
measure "q=flask&facets=true" "/api/v1/listings?q=flask&facets=true&limit=20"
echo
echo "server RSS: $(ps -o rss= -p "$SERVER" | awk '{printf "%.0f MB", $1/1024}')"
