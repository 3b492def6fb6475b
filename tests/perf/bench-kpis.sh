#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Works out every campaign's KPIs with herald-cli, and the same aggregate
# written by hand as one SQL statement in the sqlite3 shell, on a
# workspace of EVENTS recipients' events (default 10,000,000) over 1,000
# campaigns and 100,000 contacts. Prints both times and the ratio.
#
#   bench-kpis.sh HERALD_CLI [EVENTS]
set -eu

cli=$1
events=${2:-10000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# An empty workspace, then contacts, campaigns and their events: sends,
# deliveries, opens, clicks, a few bounces, unsubscribes and orders.
"$cli" --workspace "$work/bench.herald" contacts count > /dev/null
sqlite3 "$work/bench.herald" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
INSERT INTO contacts (id, email, created_at, updated_at)
  SELECT value, 'person' || value || '@example.com', 0, 0 FROM generate_series(1, 100000);
INSERT INTO campaigns (id, name, sent_at, created_at)
  SELECT value, 'Campaign ' || value, 1700000000 + value * 3600, 0 FROM generate_series(1, 1000);
INSERT INTO events (contact_id, campaign_id, kind, occurred_at, value_minor)
  SELECT 1 + (value * 7919) % 100000, 1 + value % 1000,
         CASE value % 10 WHEN 0 THEN 'sent' WHEN 1 THEN 'delivered' WHEN 2 THEN 'click'
                         WHEN 3 THEN 'bounce' WHEN 4 THEN 'unsubscribe' WHEN 5 THEN 'conversion'
                         ELSE 'open' END,
         1700000000 + value, CASE value % 10 WHEN 5 THEN 1000 + value % 9000 END
  FROM generate_series(1, $events);
ANALYZE;
SQL

cat > "$work/hand.sql" <<'SQL'
SELECT c.name, e.* FROM campaigns c JOIN (
  SELECT campaign_id,
         count(DISTINCT contact_id) FILTER (WHERE kind = 'sent'),
         count(DISTINCT contact_id) FILTER (WHERE kind = 'delivered'),
         count(DISTINCT contact_id) FILTER (WHERE kind = 'bounce'),
         count(DISTINCT contact_id) FILTER (WHERE kind = 'open'),
         count(*) FILTER (WHERE kind = 'open'),
         count(DISTINCT contact_id) FILTER (WHERE kind = 'click'),
         count(*) FILTER (WHERE kind = 'click'),
         count(DISTINCT contact_id) FILTER (WHERE kind = 'unsubscribe'),
         count(DISTINCT contact_id) FILTER (WHERE kind = 'complaint'),
         count(*) FILTER (WHERE kind = 'conversion'),
         sum(value_minor) FILTER (WHERE kind = 'conversion')
  FROM events WHERE campaign_id IS NOT NULL GROUP BY campaign_id) e ON e.campaign_id = c.id
ORDER BY c.sent_at DESC;
SQL

now () { date +%s.%N; }
best () { sort -n | head -1; }

for i in 1 2 3; do
  start=$(now); sqlite3 "$work/bench.herald" < "$work/hand.sql" > "$work/hand.out"; echo "$(now) - $start" | bc
done | best > "$work/hand.time"

for i in 1 2 3; do
  start=$(now); "$cli" --workspace "$work/bench.herald" --json results list > "$work/herald.out"; echo "$(now) - $start" | bc
done | best > "$work/herald.time"

printf 'events:              %s over %s campaigns\n' "$(sqlite3 "$work/bench.herald" 'SELECT count(*) FROM events')" \
  "$(wc -l < "$work/hand.out")"
printf 'hand-written SQL:    %.3f s\n' "$(cat "$work/hand.time")"
printf 'herald-cli results:  %.3f s, %s campaigns\n' "$(cat "$work/herald.time")" \
  "$(grep -c '"campaign"' "$work/herald.out")"
printf 'ratio:               %.2f (target 1.2 at most)\n' "$(echo "$(cat "$work/herald.time") / $(cat "$work/hand.time")" | bc -l)"
