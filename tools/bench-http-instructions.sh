#!/usr/bin/env bash
# Instructions the server executes per request, counted by valgrind's callgrind: unlike requests a
# second, the count does not move when the shared machine is busy, so the ratio of a search to
# `GET /health` can be compared across runs and commits.
#
#   tools/bench-http-instructions.sh [requests] [binary]   # default 300 requests, target/release/hearth
#
# It fills a demo database, serves it under callgrind, warms each request up (the first search loads
# the index and the council's weights), then for /health, the quick search and a referral's matches
# zeroes the counters, sends the requests one after another on one kept-alive connection and dumps
# the counters. User-space instructions only: the kernel's share of a request is not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
bin="${2:-target/release/hearth}"
command -v valgrind >/dev/null || { echo "valgrind is not installed: apt-get install valgrind" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release -p hearth >/dev/null 2>&1
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"' EXIT
db="sqlite://$dir/hearth.sqlite"
port=18182
"$bin" demo --no-serve --database "$db" --today 2026-11-25 >/dev/null 2>&1
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" \
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"placement-officer.coventry@hearth.test","password":"hearth-demo-password"}' \
  "http://127.0.0.1:$port/api/v1/session" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
referral=$(curl -s -H "cookie: $cookie" "http://127.0.0.1:$port/api/v1/referrals" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
# Sends one path $2 times on one connection; prints the answer's size.
send() {
  python3 - "$port" "$cookie" "$1" "$2" <<'PY'
import http.client, sys
port, cookie, path, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=600)
size = 0
for _ in range(n):
    c.request("GET", path, headers={"cookie": cookie})
    r = c.getresponse()
    body = r.read()
    assert r.status == 200, (r.status, body[:200])
    size = len(body)
print(size)
PY
}
declare -A paths=(
  [health]="/health"
  [search]="/api/v1/search?age=15&sex=M&near=CV2&limit=50"
  [search_all]="/api/v1/search?age=15&sex=M&near=CV2&limit=50&explain=all"
  [matches]="/api/v1/referrals/$referral/matches?limit=50"
)
order=(health search search_all matches)
for name in "${order[@]}"; do send "${paths[$name]}" 20 >/dev/null; done
declare -A per
for name in "${order[@]}"; do
  callgrind_control -z "$server" >/dev/null
  bytes=$(send "${paths[$name]}" "$n")
  callgrind_control -d "$name" "$server" >/dev/null
  file=$(ls -t "$dir"/cg.out* | head -n1)
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$file")
  per[$name]=$((total / n))
  printf '%-11s %12d instructions a request (%d requests, answer %d bytes)\n' "$name" "${per[$name]}" "$n" "$bytes"
done
echo "== instructions a request as a multiple of GET /health's"
for name in search search_all matches; do
  python3 -c 'import sys; print(f"{sys.argv[1]:11} {int(sys.argv[2]) / int(sys.argv[3]):6.2f}x")' "$name" "${per[$name]}" "${per[health]}"
done
