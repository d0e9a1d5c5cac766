#!/usr/bin/env bash
# The database's own ceiling for the SQL behind the benchmarks: pgbench (prepared statements,
# 32 clients, 2 threads) runs the first catalog page and an order's guarded core against a
# database seeded by `tradezone seed --listings N` (bench/search.sh seeds one). The ratios in
# BENCHMARKS.md compare the app with these figures from the same run.
# Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/tz_bench bench/pgbench.sh
# Settings: SECONDS_EACH (10), CLIENTS (32). Needs pgbench (postgresql-client).
set -euo pipefail
: "${DATABASE_URL:?a PostgreSQL URL}"
SECONDS_EACH="${SECONDS_EACH:-10}"
CLIENTS="${CLIENTS:-32}"
SQL="$(cd "$(dirname "$0")" && pwd)/sql"
# The listings on sale with stock to spare, numbered, for the order scripts to pick from.
psql -q "$DATABASE_URL" -c "DROP TABLE IF EXISTS bench_listing_ids;
  CREATE TABLE bench_listing_ids AS SELECT row_number() OVER (ORDER BY id) AS n, id
    FROM listings WHERE status = 'published' AND stock > 10000;
  CREATE UNIQUE INDEX bench_listing_ids_n ON bench_listing_ids (n);"
ON_SALE=$(psql -qtA "$DATABASE_URL" -c "SELECT count(*) FROM bench_listing_ids")
CATEGORY=$(psql -qtA "$DATABASE_URL" -c "SELECT id FROM categories WHERE slug = 'drinkware'")
# A buyer organization and one of its users place the orders.
read -r BUYER USER_ID < <(psql -qtA -F ' ' "$DATABASE_URL" -c "SELECT o.id, u.id FROM organizations o
  JOIN users u ON u.organization_id = o.id WHERE o.kind = 'buyer' ORDER BY o.id LIMIT 1")
run() {
  local name="$1"; shift
  local out
  # Every run starts alike: the hot listing restocked, dead row versions of earlier runs gone.
  psql -q "$DATABASE_URL" -c "UPDATE listings SET stock = 100000000
    WHERE id = (SELECT id FROM bench_listing_ids WHERE n = 1)" -c "VACUUM listings"
  out=$(pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" "$@" "$DATABASE_URL" 2>&1)
  printf '| %-44s | %10s tps | latency avg %s ms |\n' "$name" \
    "$(echo "$out" | awk '/^tps/ {print $3; exit}')" "$(echo "$out" | awk '/latency average/ {print $4}')"
}
echo "| SQL | rate | |"
echo "|---|---|---|"
run "first page (rows + extras, one statement)" -f "$SQL/first_page.sql" -D "category=$CATEGORY"
run "guarded order core, random listings" -f "$SQL/guarded_order.sql" -D "buyer=$BUYER" -D "user=$USER_ID" -D "on_sale=$ON_SALE"
# The same script with one listing to pick from: every transaction waits for the same row.
run "guarded order core, one hot listing" -f "$SQL/guarded_order.sql" -D "buyer=$BUYER" -D "user=$USER_ID" -D "on_sale=1"
