#!/usr/bin/env bash
# Times a bank statement import: LINES credit lines, each paying one of the seller's orders by
# its remittance reference, into a database holding ORDERS unpaid orders of that seller
# (`tradezone seed --orders N`, on the demo). Prints the import's answer and its time.
# Usage:
#   cargo build --release && bench/statement.sh                                        # SQLite
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tz_statement bench/statement.sh    # PostgreSQL
# Settings: ORDERS (100000), LINES (10000), PORT, WORK (a folder kept between runs).
# Each run pays LINES more orders: seed again (a fresh WORK / database) to start over.
set -euo pipefail
PORT="${PORT:-18098}"
ORDERS="${ORDERS:-100000}"
LINES="${LINES:-10000}"
BIN="${BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/tradezone}"
WORK="${WORK:-$(mktemp -d)}"
cd "$WORK"
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
export TRADEZONE_BIND="127.0.0.1:$PORT" TRADEZONE_MAIL_URL=log TRADEZONE_JWT_SECRET=bench RUST_LOG=warn
export DATABASE_URL="${DATABASE_URL:-$WORK/bench.db}"
B="http://127.0.0.1:$PORT"

if [ ! -f "orders-seeded" ]; then
  "$BIN" seed --orders "$ORDERS" 2>/dev/null | tail -1
  touch orders-seeded
fi
"$BIN" serve >server.log 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "$B/healthz" >/dev/null && break; sleep 0.2; done

TOKEN=$(curl -sf "$B/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"owner@ningbo-homeware.demo","password":"tradezone-demo"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# LINES unpaid orders of the seller, by the API's pages, as a bank's CSV export.
python3 - "$B" "$TOKEN" "$LINES" > statement.csv <<'PY'
import json, sys, urllib.request
base, token, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
print("交易日期,交易时间,借方发生额（元）,贷方发生额（元）,对方户名,对方账号,摘要,交易流水号")
cursor, n = None, 0
while n < wanted:
    url = f"{base}/api/v1/orders?role=seller&status=placed&limit=100" + (f"&cursor={cursor}" if cursor else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})))
    for order in page["items"]:
        pay = order["payment"]
        if pay["status"] != "unpaid" or n >= wanted:
            continue
        cents = pay["outstanding_cents"]
        n += 1
        print(f"2026-12-04,10:{n % 60:02d}:00,,\"{cents // 100:,}.{cents % 100:02d}\",{order['buyer']['name']},6222021200001234,货款 {pay['remittance_ref']},SN{n:08d}")
    cursor = page.get("next_cursor")
    if not cursor:
        break
print(f"{n} lines", file=sys.stderr)
PY
echo "statement: $(($(wc -l < statement.csv) - 1)) lines, $(du -h statement.csv | cut -f1)"
curl -s -o answer.json -w 'import: HTTP %{http_code} in %{time_total} s\n' \
  -X POST "$B/api/v1/bank-statements?file_name=statement.csv" \
  -H "authorization: Bearer $TOKEN" -H 'content-type: text/csv' --data-binary @statement.csv
cat answer.json; echo
echo "server RSS: $(ps -o rss= -p "$SERVER" | awk '{printf "%.0f MB", $1/1024}')"
