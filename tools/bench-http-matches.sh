#!/usr/bin/env bash
# Load test of matching through HTTP: a release `hearth` serving the demo region on loopback, and wrk
# (Debian package `wrk`) with 64 concurrent connections asking for ranked matches.
#
#   tools/bench-http-matches.sh [seconds]      # default 20 s per run
#
# It prints wrk's summary (requests per second, latency percentiles) for GET /health, the quick search
# and a referral's matches, in that order in the same run, then each rate as a ratio to /health's: the
# machine is shared and noisy, so the ratio is the figure to compare across runs, not the absolute rate.
# Both the server and wrk share the machine's cores, as they would on one box.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-20}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
cargo build --release -p hearth >/dev/null 2>&1
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
db="sqlite://$dir/hearth.sqlite"
port=18181
target/release/hearth demo --no-serve --database "$db" --today 2026-11-25 >/dev/null
target/release/hearth serve --database "$db" --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"placement-officer.coventry@hearth.test","password":"hearth-demo-password"}' \
  "http://127.0.0.1:$port/api/v1/session" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')
referral=$(curl -s -H "cookie: $cookie" "http://127.0.0.1:$port/api/v1/referrals" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
# wrk's "Requests/sec:" line of one run, kept with its whole report in $dir/<name>.txt.
run() {
  local name=$1 url=$2
  echo "== $name: GET ${url#http://127.0.0.1:$port} (64 connections, ${secs}s)"
  wrk -t2 -c64 -d"${secs}s" --latency -H "cookie: $cookie" "$url" | tee "$dir/$name.txt"
}
run health "http://127.0.0.1:$port/health"
run search "http://127.0.0.1:$port/api/v1/search?age=15&sex=M&near=CV2&limit=50"
run matches "http://127.0.0.1:$port/api/v1/referrals/$referral/matches?limit=50"
rate() { awk '/^Requests\/sec:/ {print $2}' "$dir/$1.txt"; }
p99() { awk '$1 == "99%" {print $2}' "$dir/$1.txt"; }
echo "== ratios to GET /health in this run"
for name in search matches; do
  python3 -c 'import sys; r, h = float(sys.argv[2]), float(sys.argv[3]); print(f"{sys.argv[1]:8} {r:9.0f} req/s = {r / h:.2f}x /health ({h:.0f} req/s), p99 {sys.argv[4]}")' \
    "$name" "$(rate "$name")" "$(rate health)" "$(p99 "$name")"
done
