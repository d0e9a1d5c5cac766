#!/usr/bin/env bash
# Measures POST /listings/import with 10,000 rows (a fresh import, then the same file again as
# 10,000 updates) against the release binary. Usage:
#   cargo build --release && bench/import.sh                     # SQLite
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tz_bench bench/import.sh   # PostgreSQL (database must exist)
set -euo pipefail
ROWS="${ROWS:-10000}"
PORT="${PORT:-18099}"
BIN="$(cd "$(dirname "$0")/.." && pwd)/target/release/tradezone"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"

export TRADEZONE_BIND="127.0.0.1:$PORT" TRADEZONE_MAIL_URL=log TRADEZONE_JWT_SECRET=bench RUST_LOG=warn
export DATABASE_URL="${DATABASE_URL:-$WORK/bench.db}"
"$BIN" serve >server.log 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

API="http://127.0.0.1:$PORT/api/v1"
CODE=$(python3 -c "
import random
C='0123456789ABCDEFGHJKLMNPQRTUWXY';W=[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
b='9133010071'+''.join(random.choice('0123456789') for _ in range(7))
s=sum(C.index(x)*w for x,w in zip(b,W));print(b+C[(31-s%31)%31])")
TOKEN=$(curl -sf -XPOST "$API/auth/register" -H 'content-type: application/json' -d "{\"email\":\"bench-$RANDOM@bench.cn\",\"password\":\"benchmark password\",\"name\":\"Bench\",\"organization\":{\"name\":\"Bench Exporter\",\"kind\":\"exporter\",\"credit_code\":\"$CODE\",\"province\":\"Zhejiang\",\"customs_code\":\"3302960ABC\"}}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')

python3 - "$ROWS" > listings.csv <<'PY'
import sys
rows = int(sys.argv[1])
print("sku,title,description,category_id,unit,moq,stock,price_tiers,lead_time_days,origin_province,warehouse,export_markets,brand,hs_code,certifications")
for i in range(rows):
    print(f'BENCH-{i:05d},"不锈钢保温杯 Vacuum flask model {i}","出口标准 export-standard stock lot {i}",drinkware,piece,10,{100 + i % 900},10:{2500 + i % 100};100:{2300 + i % 100};1000:2000,7,Zhejiang,domestic,US;DE,Hengda,961700,ce;fda')
PY
case "$DATABASE_URL" in postgres*) BACKEND=PostgreSQL;; *) BACKEND=SQLite;; esac
echo "rows: $ROWS, file: $(du -h listings.csv | cut -f1), database: $BACKEND"
for run in create update; do
  curl -s -o result.json -w "$run: HTTP %{http_code} in %{time_total} s\n" -XPOST "$API/listings/import" \
    -H "authorization: Bearer $TOKEN" -H 'content-type: text/csv' --data-binary @listings.csv
  cat result.json; echo
done
ps -o rss= -p "$SERVER" | awk '{printf "server resident memory after the imports: %.0f MiB\n", $1/1024}'
