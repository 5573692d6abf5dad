#!/usr/bin/env bash
# make demo: a leak hunt on the bundled example program: one snapshot
# summarised, then `leakscope run` on it as a service, which finds the leak.
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
echo "== leakscope run: the same program serving requests, 5 snapshots 1 s apart"
rc=0
"$BUILD/leakscope" run --warmup 1 --every 1 --count 5 -n 2 --out "$dir/run" \
  -- examples/demo/app.js --serve || rc=$?
echo
if [ "$rc" -eq 1 ]; then
  echo "demo: leakscope run found the leak (exit 1, as it would fail a CI"
  echo "job): the request cache that is never trimmed, app.cache.entries."
elif [ "$rc" -eq 0 ]; then
  echo "demo: no leak found, but the demo program has one" >&2
  exit 1
else
  exit "$rc"
fi
