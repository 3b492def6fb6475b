#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders a 20 KB newsletter (15 merge fields, 2 sections, a partial) for
# ROWS contacts (default 100,000) with Herald and with mustache.js on Node,
# installed from npm into a temporary folder, and prints both throughputs
# and the ratio. Both sides must produce the same number of bytes.
#
#   bench-render.sh BENCH_RENDER SCRIPT_DIR [ROWS]
set -eu

bench=$1
scripts=$2
rows=${3:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm install --silent --no-audit --no-fund --prefix "$work/node" mustache@4 > /dev/null
"$bench" generate "$work" "$rows"

best_of_three () {
  for i in 1 2 3; do "$@" | head -1; done | sort -n | head -1
}

herald=$(best_of_three "$bench" run "$work")
node=$(best_of_three node "$scripts/bench-render.mjs" "$work/node/node_modules/mustache" "$work")

herald_bytes=$("$bench" run "$work" | tail -1)
node_bytes=$(node "$scripts/bench-render.mjs" "$work/node/node_modules/mustache" "$work" | tail -1)
if [ "$herald_bytes" != "$node_bytes" ]; then
  echo "The outputs differ: Herald $herald_bytes bytes, mustache.js $node_bytes bytes." >&2
  exit 1
fi

echo "contacts:          $rows ($herald_bytes bytes of HTML)"
echo "Herald:            ${herald} s, $(echo "$rows / $herald" | bc) contacts/s"
echo "mustache.js:       ${node} s, $(echo "$rows / $node" | bc) contacts/s"
echo "ratio:             $(echo "scale=2; $node / $herald" | bc)× (target ≥ 3)"
