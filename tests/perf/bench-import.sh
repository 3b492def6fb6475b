#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Imports a generated contact export of ROWS rows (default 1,000,000) with
# herald-cli and, as the reference, with the sqlite3 shell's .import into a
# bare table, on the same file in the same run. Each is run RUNS times
# (default 3) into a new file, and the fastest time of each counts: the
# first write of a large new file is slower on some disks, whoever makes
# it. Prints both times, the ratio and herald-cli's peak memory.
#
# For scale it also times the same .import into a table kept as Herald
# keeps its contacts: a WAL journal, and an email column that must be
# unique. Herald writes that and more: tags, custom fields and the
# indexes that segments need.
#
#   bench-import.sh GENERATOR HERALD_CLI [ROWS [RUNS]]
set -eu

generator=$1
cli=$2
rows=${3:-1000000}
runs=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$generator" "$rows" "$work/contacts.csv"

now () { date +%s.%N; }
fastest () { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

reference=
floor=
herald=
memory=0
i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  rm -f "$work"/reference.db* "$work"/floor.db* "$work"/bench.herald*
  # Each run starts with nothing left to write back from the one before.
  sync

  start=$(now)
  sqlite3 "$work/reference.db" ".import --csv $work/contacts.csv contacts"
  reference=$(fastest "$reference" "$(echo "$(now) - $start" | bc)")

  sync
  start=$(now)
  sqlite3 "$work/floor.db" "PRAGMA journal_mode = WAL" "PRAGMA synchronous = NORMAL" \
    "CREATE TABLE contacts (email TEXT UNIQUE ON CONFLICT IGNORE, a, b, c, d, e, f, g, h, i, j)" \
    ".import --csv --skip 1 $work/contacts.csv contacts" > /dev/null
  floor=$(fastest "$floor" "$(echo "$(now) - $start" | bc)")

  sync
  start=$(now)
  /usr/bin/time -f '%M' -o "$work/memory" "$cli" --workspace "$work/bench.herald" --json \
    contacts import "$work/contacts.csv" > "$work/report.json"
  herald=$(fastest "$herald" "$(echo "$(now) - $start" | bc)")
  memory=$(( $(cat "$work/memory") > memory ? $(cat "$work/memory") : memory ))
done

printf 'rows:              %s\n' "$rows"
printf 'runs:              %s, the fastest of each counts\n' "$runs"
printf 'sqlite3 .import:   %.2f s\n' "$reference"
printf 'sqlite3 .import, WAL and unique email: %.2f s (ratio %.2f)\n' \
  "$floor" "$(echo "$floor / $reference" | bc -l)"
printf 'herald-cli import: %.2f s\n' "$herald"
printf 'ratio:             %.2f (target 1.5 at most)\n' "$(echo "$herald / $reference" | bc -l)"
printf 'peak memory:       %d MB (target 64 at most)\n' "$((memory / 1024))"
grep -E '"(rows|imported|invalid|duplicates)"' "$work/report.json"
