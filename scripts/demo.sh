#!/usr/bin/env bash
# make demo: a leak hunt on the bundled example program: one snapshot
# summarised, then a series of five and the trend that finds the leak.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
umask 077  # a heap snapshot holds every string of the process
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "== running examples/demo/app.js and writing a heap snapshot"
node examples/demo/app.js "$dir/demo.heapsnapshot"
echo "== leakscope summary --top 15"
"$BUILD/leakscope" summary --top 15 "$dir/demo.heapsnapshot"
echo
echo "== leakscope top -n 10"
"$BUILD/leakscope" top -n 10 "$dir/demo.heapsnapshot"
echo
echo "== running it again, writing 5 snapshots while it serves requests"
node --expose-gc examples/demo/app.js --series "$dir/series" 5
echo "== leakscope trend $dir/series"
rc=0
"$BUILD/leakscope" trend -n 3 "$dir/series" || rc=$?
echo
if [ "$rc" -eq 1 ]; then
  echo "demo: trend found the leak (exit 1, as it would fail a CI job): the"
  echo "request cache that is never trimmed, held by app.cache.entries."
elif [ "$rc" -eq 0 ]; then
  echo "demo: trend found no leak, but the demo program has one" >&2
  exit 1
else
  exit "$rc"
fi
