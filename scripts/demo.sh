#!/usr/bin/env bash
# make demo: snapshot the bundled example program and summarise it.
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
