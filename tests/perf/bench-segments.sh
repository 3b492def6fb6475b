#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Counts a nested five-rule segment (two fields, a tag, an any-group, a
# behaviour rule) with herald-cli, and the same question written by hand as
# one SQL statement in the sqlite3 shell, on a workspace of ROWS contacts
# (default 1,000,000) and ten events each. Prints both times and the ratio.
#
#   bench-segments.sh GENERATOR HERALD_CLI [ROWS]
set -eu

generator=$1
cli=$2
rows=${3:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$generator" "$rows" "$work/contacts.csv"
"$cli" --workspace "$work/bench.herald" contacts import "$work/contacts.csv" > /dev/null

# Ten events a contact over the last year: opens and clicks of ten campaigns.
sqlite3 "$work/bench.herald" <<SQL
INSERT INTO campaigns (id, name, created_at) SELECT value, 'Campaign ' || value, 0 FROM generate_series(1, 10);
INSERT INTO events (contact_id, campaign_id, kind, occurred_at)
  SELECT c.id, g.value, CASE WHEN (c.id + g.value) % 4 = 0 THEN 'click' ELSE 'open' END,
         strftime('%s', 'now') - ((c.id * 7 + g.value * 13) % 365) * 86400
  FROM contacts c, generate_series(1, 10) g;
SQL

cat > "$work/rules.json" <<'JSON'
{"match": "all",
 "rules": [
   {"field": "industry", "op": "equals", "value": "Finance"},
   {"field": "company_size", "op": "gte", "value": 200},
   {"tag": "vip"},
   {"match": "any", "rules": [
      {"field": "job_title", "op": "contains", "value": "marketing"},
      {"field": "country", "op": "in", "value": ["IT", "FR", "DE"]}]},
   {"event": "click", "campaign": "*", "within_days": 90}]}
JSON

cat > "$work/hand.sql" <<'SQL'
SELECT count(*) FROM contacts c
WHERE c.industry = 'Finance' COLLATE NOCASE
  AND c.company_size >= 200
  AND EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id AND t.name = 'vip')
  AND (c.job_title LIKE '%marketing%' OR c.country IN ('IT', 'FR', 'DE'))
  AND c.id IN (SELECT contact_id FROM events WHERE kind = 'click' AND occurred_at >= strftime('%s', 'now') - 90 * 86400)
  AND c.status = 'subscribed';
SQL

now () { date +%s.%N; }
best () { sort -n | head -1; }

for i in 1 2 3; do
  start=$(now); sqlite3 "$work/bench.herald" < "$work/hand.sql" > "$work/hand.out"; echo "$(now) - $start" | bc
done | best > "$work/hand.time"

for i in 1 2 3; do
  start=$(now); "$cli" --workspace "$work/bench.herald" segments count "$work/rules.json" > "$work/herald.out"; echo "$(now) - $start" | bc
done | best > "$work/herald.time"

printf 'contacts:            %s (events: %s)\n' "$rows" "$(sqlite3 "$work/bench.herald" 'SELECT count(*) FROM events')"
printf 'hand-written SQL:    %.3f s, %s contacts\n' "$(cat "$work/hand.time")" "$(cat "$work/hand.out")"
printf 'herald-cli segments: %.3f s, %s contacts\n' "$(cat "$work/herald.time")" "$(cat "$work/herald.out")"
printf 'ratio:               %.2f (target 1.1 at most)\n' "$(echo "$(cat "$work/herald.time") / $(cat "$work/hand.time")" | bc -l)"
