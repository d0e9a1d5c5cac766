#!/usr/bin/env bash
# Measures POST /orders with wrk against the release binary: 32 connections placing orders of
# 10 units, each with its own Idempotency-Key, first spread over 50 listings, then all on one
# hot listing (every order waits for the same row). Prints wrk's figures and the answers that
# were not 201 (they must be 409 insufficient_stock or 503 database_busy, never 500).
# Usage:
#   cargo build --release && bench/orders.sh                                   # SQLite
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tz_bench bench/orders.sh   # PostgreSQL (an empty database)
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
PORT="${PORT:-18098}"
SECONDS_EACH="${SECONDS_EACH:-15}"
BIN="${BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/tradezone}"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"

export TRADEZONE_BIND="127.0.0.1:$PORT" TRADEZONE_MAIL_URL=log TRADEZONE_JWT_SECRET=bench RUST_LOG=warn
export TRADEZONE_DB_POOL_SIZE="${TRADEZONE_DB_POOL_SIZE:-16}"
export DATABASE_URL="${DATABASE_URL:-$WORK/bench.db}"
echo 'a long bench password' | "$BIN" create-admin --email admin@bench.cn >/dev/null
"$BIN" serve >server.log 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

python3 - "$PORT" > setup.env <<'PY'
import json, random, sys, urllib.request
api = f"http://127.0.0.1:{sys.argv[1]}/api/v1"
def call(method, path, body=None, token=None):
    req = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token: req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
def credit_code():
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"; weights = [1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
    base = "9133010071" + "".join(random.choice("0123456789") for _ in range(7))
    s = sum(alphabet.index(c) * w for c, w in zip(base, weights))
    return base + alphabet[(31 - s % 31) % 31]
admin = call("POST", "/auth/login", {"email": "admin@bench.cn", "password": "a long bench password"})["access_token"]
def org(email, kind):
    o = {"name": email, "kind": kind, "credit_code": credit_code(), "province": "Zhejiang"}
    if kind == "exporter": o["customs_code"] = "3302960ABC"
    else: o["buyer_type"] = "supermarket"
    r = call("POST", "/auth/register", {"email": email, "password": "bench password 1", "name": "Bench", "organization": o})
    call("POST", f"/admin/organizations/{r['organization']['id']}/verify", {"decision": "approve"}, admin)
    return r["access_token"]
seller, buyer = org("seller@bench.cn", "exporter"), org("buyer@bench.cn", "buyer")
ids = []
for i in range(51):
    l = call("POST", "/listings", {"sku": f"B-{i}", "title": f"Vacuum flask {i}", "description": "bench", "category_id": "drinkware",
        "unit": "piece", "moq": 10, "stock": 100000000, "price_tiers": [{"min_qty": 10, "unit_price_cents": 1250}],
        "lead_time_days": 7, "origin_province": "Zhejiang", "warehouse": "domestic", "export_markets": [], "certifications": []}, seller)
    call("POST", f"/listings/{l['id']}/publish", {}, seller)
    ids.append(l["id"])
print(f"BUYER={buyer}\nSPREAD={','.join(ids[:50])}\nHOT={ids[50]}")
PY
source setup.env

cat > orders.lua <<'LUA'
local counter, thread_id = 0, 0
local ids = {}
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args)
  for id in string.gmatch(os.getenv("LISTINGS"), "[^,]+") do ids[#ids + 1] = id end
  math.randomseed(id * 7919 + os.time())
end
function request()
  counter = counter + 1
  local listing = ids[math.random(#ids)]
  local body = '{"lines":[{"listing_id":"' .. listing .. '","quantity":10}],"delivery_address":"Dock 1","delivery_province":"Shanghai"}'
  local headers = {["content-type"] = "application/json", ["authorization"] = "Bearer " .. os.getenv("BUYER"),
                   ["Idempotency-Key"] = os.getenv("RUN") .. "-" .. id .. "-" .. counter}
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
local statuses = {}
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  io.write(string.format("requests %d, %.0f orders/s; latency p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

for run in spread hot; do
  if [ "$run" = spread ]; then LISTINGS="$SPREAD"; else LISTINGS="$HOT"; fi
  echo "== POST /orders, $run ($SECONDS_EACH s, 32 connections)"
  LISTINGS="$LISTINGS" BUYER="$BUYER" RUN="$run" wrk -t2 -c32 -d"${SECONDS_EACH}s" -s orders.lua "http://127.0.0.1:$PORT" \
    | grep -E "orders/s|Non-2xx|Socket errors"
done
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^http_requests_total\{method="POST",route="/api/v1/orders"' || true
echo "server resident memory: $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB"
