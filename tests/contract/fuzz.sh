#!/usr/bin/env bash
# Schemathesis against the OpenAPI document: thousands of requests generated from the schemas
# (valid and invalid), as an exporter and as an admin (without a token schemathesis tries to
# sign up by itself and stops). Fails on any 5xx, on
# an answer whose status, media type or body the document does not describe.
# Usage: tests/contract/fuzz.sh target/debug/tradezone
set -euo pipefail
binary=$(realpath "${1:-target/debug/tradezone}")
work=$(mktemp -d /tmp/tradezone-fuzz-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
password="lantern kettle harbour"
cd "$work"
export DATABASE_URL="$work/tradezone.db"
unset TEST_DATABASE_URL
echo "$password" | "$binary" create-admin --email admin@fuzz.cn >/dev/null
"$binary" serve --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
login() {
  curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$password\"}" | json "['access_token']"
}
code=$(python3 -c '
C="0123456789ABCDEFGHJKLMNPQRTUWXY"; W=[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
f="91330100710000042"; t=sum(C.index(c)*w for c,w in zip(f,W)); print(f+C[(31-t%31)%31])')
org=$(curl -sf "$base/api/v1/auth/register" -H 'content-type: application/json' -d "{\"email\":\"sales@fuzz.cn\",\"password\":\"$password\",\"name\":\"Li\",\"organization\":{\"name\":\"Fuzz Flasks\",\"kind\":\"exporter\",\"credit_code\":\"$code\",\"province\":\"Zhejiang\",\"customs_code\":\"3302960ABC\"}}" | json "['organization']['id']")
admin=$(login admin@fuzz.cn)
curl -sf "$base/api/v1/admin/organizations/$org/verify" -H "authorization: Bearer $admin" \
  -H 'content-type: application/json' -d '{"decision":"approve"}' >/dev/null
exporter=$(login sales@fuzz.cn)

run() {
  schemathesis run "$base/api/v1/openapi.json" --url "$base" "$@" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases coverage,fuzzing --max-examples 40 --seed 20261129 -n 2 --no-color
}
echo "== exporter";   run -H "Authorization: Bearer $exporter"
echo "== admin";      run -H "Authorization: Bearer $admin"
