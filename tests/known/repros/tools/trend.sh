#!/bin/sh
# trend.sh REPRO VERSION [OUT=/tmp/known-out]: `leakscope trend --json` on
# the 4 snapshots tools/measure.sh kept, summed up by tools/suspects.mjs.
here=$(cd "$(dirname "$0")" && pwd)
repro=$1; ver=$2; out=${3:-/tmp/known-out}
name=$(basename "$repro" .js)-$ver
nice -n 10 /work/main/build/leakscope trend --json "$out/$name"/s*.heapsnapshot > "$out/$name/trend.json" 2> "$out/$name/trend.log"
echo "trend exit $?"
nice -n 10 node "$here/suspects.mjs" "$out/$name/trend.json" | tee "$out/$name/trend.txt"
