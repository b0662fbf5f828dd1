#!/usr/bin/env bash
# The escalation job's query (every open sending with its live offers and unanswered recipients) on the
# demo region with a few hundred referrals out to providers at once, timed with and without the indexes
# of migration 0011. Needs the sqlite3 shell (Debian package `sqlite3`).
#
#   tools/bench-escalation-query.sh [open-sendings] [providers-each]     # default 368 and 40
#
# It prints the median of five runs of the query for each schema and the ratio. The query's text is the
# store's `OPEN_SENDINGS` with `instant(` spelled as SQLite's `julianday(`.
set -euo pipefail
cd "$(dirname "$0")/.."
open="${1:-368}"
each="${2:-40}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed: apt-get install sqlite3" >&2; exit 1; }
bin="${HEARTH_BIN:-target/release/hearth}"
[ -n "${HEARTH_BIN:-}" ] || cargo build --release -p hearth >/dev/null 2>&1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" demo --no-serve --database "sqlite://$dir/with.sqlite" --today 2026-11-25 >/dev/null
# Referrals out to providers: reopen enough of the year's referrals, one open sending each, every one
# sent to `each` providers (the demo's own open referrals among them).
sqlite3 "$dir/with.sqlite" "
  UPDATE referrals SET status = 'open' WHERE id IN (SELECT id FROM referrals WHERE status NOT IN ('open', 'offers')
    ORDER BY id DESC LIMIT max(0, $open - (SELECT count(*) FROM referrals WHERE status IN ('open', 'offers'))));
  INSERT INTO referral_sendings (referral_id, mode, opened_at, due_at)
    SELECT id, 'all_fitting', '2026-11-25T10:00:00Z', '2026-11-26T10:00:00Z' FROM referrals
    WHERE status IN ('open', 'offers') AND id NOT IN (SELECT referral_id FROM referral_sendings WHERE closed_at IS NULL);
  INSERT OR IGNORE INTO referral_recipients (referral_id, provider_id, sent_at, sending_id)
    SELECT s.referral_id, p.id, s.opened_at, s.id FROM referral_sendings s,
      (SELECT id FROM organisations ORDER BY id LIMIT $each) p WHERE s.closed_at IS NULL;"
cp "$dir/with.sqlite" "$dir/without.sqlite"
sqlite3 "$dir/without.sqlite" "
  DROP INDEX referral_recipients_by_sending;
  DROP INDEX offers_by_referral_provider; CREATE INDEX offers_by_referral ON offers (referral_id);
  DROP INDEX declines_by_referral_provider; CREATE INDEX declines_by_referral ON declines (referral_id);"
query=$(sed -n '/^pub(crate) const OPEN_SENDINGS/,/ORDER BY/p' crates/store/src/market_sql.rs \
  | sed -e 's/^pub(crate) const OPEN_SENDINGS: &str = //' -e 's/\\$//' -e 's/^ *"//' -e 's/" *$//' -e 's/";$//' \
  | tr '\n' ' ' | sed -e 's/instant(/julianday(/g' -e 's/\\ */ /g' -e 's/";//')
echo "open sendings: $(sqlite3 "$dir/with.sqlite" 'SELECT count(*) FROM referral_sendings WHERE closed_at IS NULL'),"\
  "recipients: $(sqlite3 "$dir/with.sqlite" 'SELECT count(*) FROM referral_recipients')"
median() {
  local times=()
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s.%N); sqlite3 "$1" "$query" >/dev/null; t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 3p
}
without=$(median "$dir/without.sqlite")
with=$(median "$dir/with.sqlite")
printf 'without the indexes: %.4f s\nwith the indexes:    %.4f s\nratio: %.0fx\n' "$without" "$with" "$(echo "$without / $with" | bc -l)"
