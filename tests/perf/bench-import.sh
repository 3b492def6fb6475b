#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Imports a generated contact export of ROWS rows (default 1,000,000) with
# herald-cli and, as the reference, with the sqlite3 shell's .import into a
# bare table, on the same file in the same run. Prints both times, the
# ratio and herald-cli's peak memory.
#
#   bench-import.sh GENERATOR HERALD_CLI [ROWS]
set -eu

generator=$1
cli=$2
rows=${3:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$generator" "$rows" "$work/contacts.csv"

now () { date +%s.%N; }

start=$(now)
sqlite3 "$work/reference.db" ".import --csv $work/contacts.csv contacts"
reference=$(echo "$(now) - $start" | bc)

start=$(now)
/usr/bin/time -f '%M' -o "$work/memory" "$cli" --workspace "$work/bench.herald" --json \
  contacts import "$work/contacts.csv" > "$work/report.json"
herald=$(echo "$(now) - $start" | bc)

printf 'rows:              %s\n' "$rows"
printf 'sqlite3 .import:   %.2f s\n' "$reference"
printf 'herald-cli import: %.2f s\n' "$herald"
printf 'ratio:             %.2f (target 1.5 at most)\n' "$(echo "$herald / $reference" | bc -l)"
printf 'peak memory:       %d MB (target 64 at most)\n' "$(($(cat "$work/memory") / 1024))"
grep -E '"(rows|imported|invalid|duplicates)"' "$work/report.json"
