#!/usr/bin/env bash
# Benchmark: leakscope vs DevTools' heap snapshot code vs memlab, each loading
# the same heap snapshot and computing a class summary. Every run is measured
# with /usr/bin/time -v (wall time, peak RSS); see bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [--smoke] [--tools LIST] [--repeat N] [--timeout SEC] [--out FILE] [FILE...]

Runs each tool on each snapshot file, one run at a time, under /usr/bin/time -v,
and prints a markdown table: file size, tool, result, wall seconds, peak RSS,
and each tool's time and memory relative to leakscope on the same file.

  --smoke        tiny check for CI: make build/bench-data/smoke.heapsnapshot
                 (node bench/gen-snapshots.mjs --smoke) if missing, run all
                 three tools on it only; exit 1 if any run fails
  --tools LIST   comma-separated, from leakscope,devtools,memlab (default: all)
  --repeat N     run each tool N times per file, report the fastest run (default 1)
  --timeout SEC  limit per tool run (default 900 = 15 min; --smoke: 60)
  --out FILE     also write the table there, mode 0600
                 (default build/bench-results.md; --smoke: build/bench-smoke-results.md)
  FILE...        snapshots to use with every selected tool. Default: those of
                 build/bench-data/heap-{50mb,300mb,1gb}.heapsnapshot that exist
                 (all tools), then build/bench-data/synth-6gb.heapsnapshot if it
                 exists (leakscope only: DevTools and memlab cannot load it)
  -h, --help     this text

Tools:
  leakscope  $LEAKSCOPE_BIN summary --json FILE  (default build/leakscope; output discarded)
  devtools   node --max-old-space-size=16000 bench/devtools-summary.mjs FILE
  memlab     node --max-old-space-size=16000 bench/memlab-summary.mjs FILE

A run that fails, runs out of memory or times out is shown as such in the
table. Before the runs on a file, the file is read once so every tool finds it
in the page cache. Exit status: 0 when the table is written and every
leakscope run succeeded (--smoke: every run), 1 otherwise, 2 on bad usage.
Data: node bench/gen-snapshots.mjs; build/bench/synth-snapshot --bytes 6G -o FILE.
EOF
}

die() { echo "bench/run.sh: $*" >&2; exit 2; }

cd "$(dirname "$0")/.."

smoke=0
tools="leakscope,devtools,memlab"
repeat=1
timeout_s=""
out=""
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --smoke) smoke=1 ;;
    --tools) [ $# -ge 2 ] || die "--tools needs a value"; tools="$2"; shift ;;
    --tools=*) tools="${1#*=}" ;;
    --repeat) [ $# -ge 2 ] || die "--repeat needs a value"; repeat="$2"; shift ;;
    --repeat=*) repeat="${1#*=}" ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; timeout_s="$2"; shift ;;
    --timeout=*) timeout_s="${1#*=}" ;;
    --out) [ $# -ge 2 ] || die "--out needs a value"; out="$2"; shift ;;
    --out=*) out="${1#*=}" ;;
    --) shift; files+=("$@"); break ;;
    -*) echo "bench/run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) files+=("$1") ;;
  esac
  shift
done

[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || die "--repeat wants a positive integer, got '$repeat'"
if [ -z "$timeout_s" ]; then
  if [ $smoke = 1 ]; then timeout_s=60; else timeout_s=900; fi
fi
[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout wants seconds, got '$timeout_s'"

IFS=',' read -r -a tool_list <<<"$tools"
[ ${#tool_list[@]} -gt 0 ] || die "--tools is empty"
for t in "${tool_list[@]}"; do
  case "$t" in leakscope|devtools|memlab) ;; *) die "unknown tool '$t' (leakscope, devtools, memlab)" ;; esac
done
has_tool() { local t; for t in "${tool_list[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

LEAKSCOPE_BIN=${LEAKSCOPE_BIN:-build/leakscope}
data=build/bench-data
NODE=${NODE:-node}
NODE_FLAGS=(--max-old-space-size=16000)
TIME=/usr/bin/time

[ -x "$TIME" ] || die "$TIME not found (Debian package 'time'; scripts/deps.sh installs it)"
command -v timeout >/dev/null || die "timeout (coreutils) not found"
if has_tool leakscope; then
  [ -x "$LEAKSCOPE_BIN" ] || die "$LEAKSCOPE_BIN not found: run 'make build' first (or set LEAKSCOPE_BIN)"
fi
if has_tool devtools || has_tool memlab; then
  command -v "$NODE" >/dev/null || die "node not found"
fi
if has_tool devtools && [ ! -d node_modules/heap-snapshot-toolkit ]; then
  die "node_modules/heap-snapshot-toolkit missing: run 'npm ci' (or make build)"
fi
if has_tool memlab && [ ! -d node_modules/memlab ]; then
  die "node_modules/memlab missing: run 'npm ci' (or make build)"
fi

# Jobs: "file<TAB>tool,tool,..."
jobs=()
if [ $smoke = 1 ]; then
  [ ${#files[@]} -eq 0 ] || die "--smoke takes no FILE"
  smoke_file=$data/smoke.heapsnapshot
  if [ ! -f "$smoke_file" ]; then
    "$NODE" bench/gen-snapshots.mjs --smoke --out "$data" >&2
  fi
  files=("$smoke_file")
  jobs+=("$smoke_file"$'\t'"$tools")
  out=${out:-build/bench-smoke-results.md}
elif [ ${#files[@]} -gt 0 ]; then
  for f in "${files[@]}"; do
    [ -r "$f" ] && [ -f "$f" ] || die "$f: not a readable file"
    jobs+=("$f"$'\t'"$tools")
  done
else
  for s in 50mb 300mb 1gb; do
    f=$data/heap-$s.heapsnapshot
    [ -f "$f" ] && jobs+=("$f"$'\t'"$tools")
  done
  f=$data/synth-6gb.heapsnapshot
  if [ -f "$f" ] && has_tool leakscope; then jobs+=("$f"$'\t'"leakscope"); fi
  [ ${#jobs[@]} -gt 0 ] || die "no snapshots in $data: run 'node bench/gen-snapshots.mjs' (see bench/README.md)"
fi
out=${out:-build/bench-results.md}

work=$(mktemp -d "${TMPDIR:-/tmp}/leakscope-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33"
parse_wall() {
  sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*): //p' "$1" |
    awk -F: 'NF { s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}
parse_rss_kb() {
  sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"
}

# One measured run. Sets: r_status (ok|oom|timeout|failed), r_reason, r_wall,
# r_rss_kb, r_check.
run_once() {
  local tool=$1 file=$2 tf=$work/time.txt so=$work/stdout.txt se=$work/stderr.txt
  local cmd rc=0
  case "$tool" in
    leakscope) cmd=("$LEAKSCOPE_BIN" summary --json "$file") ;;
    devtools) cmd=("$NODE" "${NODE_FLAGS[@]}" bench/devtools-summary.mjs "$file") ;;
    memlab) cmd=("$NODE" "${NODE_FLAGS[@]}" bench/memlab-summary.mjs "$file") ;;
  esac
  : >"$tf"; : >"$so"; : >"$se"
  if [ "$tool" = leakscope ]; then
    timeout -k 30 "$timeout_s" "$TIME" -v -o "$tf" "${cmd[@]}" >/dev/null 2>"$se" </dev/null || rc=$?
  else
    timeout -k 30 "$timeout_s" "$TIME" -v -o "$tf" "${cmd[@]}" >"$so" 2>"$se" </dev/null || rc=$?
  fi
  r_wall=$(parse_wall "$tf")
  r_rss_kb=$(parse_rss_kb "$tf")
  r_check=""
  r_reason=""
  # timeout(1) exits 124 when the limit hit, 137 if it had to SIGKILL; then
  # time(1) was killed too and wrote nothing
  if [ $rc = 124 ] || { [ $rc = 137 ] && [ -z "$r_wall" ]; }; then
    r_status=timeout
    r_reason="timeout (${timeout_s} s)"
    r_wall=$timeout_s
    return
  fi
  local sig=""
  if grep -q '^Command terminated by signal' "$tf"; then
    sig=$(sed -n 's/^Command terminated by signal \([0-9]*\).*/\1/p' "$tf")
  fi
  if [ $rc = 0 ]; then
    if [ "$tool" = leakscope ]; then
      r_status=ok
      r_check="exit 0"
    elif grep -q '"nodes":[1-9]' "$so"; then
      r_status=ok
      r_check=$(sed -n 's/.*"nodes":\([0-9]*\).*"classes":\([0-9]*\).*/\1 nodes, \2 classes/p' "$so" | head -n 1)
    else
      r_status=failed
      r_reason="no summary printed"
    fi
    return
  fi
  if { [ "$tool" = leakscope ] && [ $rc = 3 ]; } || [ "$sig" = 9 ] ||
     grep -qiE 'out of memory|allocation failed|heap limit|ENOMEM|cannot allocate|Array buffer allocation' "$se"; then
    r_status=oom
    r_reason="out of memory"
  else
    r_status=failed
    r_reason="exit $rc"
    [ -n "$sig" ] && r_reason="signal $sig"
  fi
  local last
  sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g' "$se"  # memlab's terminal codes
  last=$(grep -v '^[[:space:]]*$' "$se" | grep -vE '^[[:space:]]*at ' | tail -n 1 | cut -c1-80 | tr '|' '/' | sed 's/[[:space:]]*$//' || true)
  [ -n "$last" ] && r_reason="$r_reason: $last"
  echo "  $tool failed ($r_reason); stderr tail:" >&2
  tail -n 5 "$se" | sed 's/^/    /' >&2
}

fmt_size() { awk -v b="$1" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else if (b >= 1e6) printf "%.0f MB", b / 1e6; else if (b >= 1e3) printf "%.0f kB", b / 1e3; else printf "%d B", b }'; }
fmt_mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "—" }'; }

rows=()
any_fail=0
ls_fail=0
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

for job in "${jobs[@]}"; do
  file=${job%%$'\t'*}
  IFS=',' read -r -a jtools <<<"${job#*$'\t'}"
  bytes=$(stat -c %s "$file")
  size=$(fmt_size "$bytes")
  echo "== $file ($size)" >&2
  cat "$file" >/dev/null  # warm the page cache: every tool reads from memory
  # leakscope first, so the others have a reference for the ratios
  ordered=()
  for t in leakscope devtools memlab; do
    for u in "${jtools[@]}"; do [ "$t" = "$u" ] && ordered+=("$t"); done
  done
  ref_wall="" ref_rss=""
  for tool in "${ordered[@]}"; do
    best_wall="" best_rss="" best_status="" best_reason="" best_check="" slowest="" nok=0
    for ((i = 1; i <= repeat; i++)); do
      run_once "$tool" "$file"
      if [ "$r_status" = ok ]; then
        if [ -z "$best_wall" ] || [ "$best_status" != ok ] ||
           awk -v a="$r_wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
          best_wall=$r_wall best_rss=$r_rss_kb best_status=ok best_reason="" best_check=$r_check
        fi
      elif [ -z "$best_status" ]; then
        best_wall=$r_wall best_rss=$r_rss_kb best_status=$r_status best_reason=$r_reason best_check=""
      fi
      if [ "$r_status" = ok ]; then
        nok=$((nok + 1))
        if [ -z "$slowest" ] || awk -v a="$r_wall" -v b="$slowest" 'BEGIN { exit !(a > b) }'; then
          slowest=$r_wall
        fi
        echo "  $tool: ${r_wall} s, $(fmt_mib "${r_rss_kb:-0}") MiB ($r_check)" >&2
      else
        echo "  $tool: $r_status after ${r_wall:-?} s" >&2
        break
      fi
    done
    wall_cell=${best_wall:-—}
    if [ "$nok" -gt 1 ]; then wall_cell="$best_wall (slowest $slowest)"; fi
    rss_cell="—"
    [ -n "$best_rss" ] && rss_cell=$(fmt_mib "$best_rss")
    tx="—" mx="—"
    if [ "$best_status" = ok ]; then
      result="ok ($best_check)"
      if [ "$tool" = leakscope ]; then
        ref_wall=$best_wall ref_rss=$best_rss
        tx="1.0×" mx="1.0×"
      elif [ -n "$ref_wall" ]; then
        tx=$(ratio "$best_wall" "$ref_wall")
        mx=$(ratio "$best_rss" "$ref_rss")
      fi
    else
      result="**$best_reason**"
      # a run that did not finish: its time and memory are lower bounds
      [ "$best_status" = timeout ] && wall_cell="> $best_wall"
      [ -n "$best_rss" ] && [ "$best_status" != ok ] && rss_cell="≥ $rss_cell"
      any_fail=1
      [ "$tool" = leakscope ] && ls_fail=1
    fi
    rows+=("| $(basename "$file") | $size | $tool | $result | $wall_cell | $rss_cell | $tx | $mx |")
  done
done

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
mem_gib=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
os=$( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown OS}") || echo "unknown OS")
ls_version=$("$LEAKSCOPE_BIN" --version 2>/dev/null || echo "leakscope ?")
node_version=$("$NODE" --version 2>/dev/null || echo "?")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
[ -n "$(git status --porcelain -- src include CMakeLists.txt 2>/dev/null)" ] && commit="$commit + local changes"

table=$(
  echo "| file | size | tool | result | wall s | peak RSS MiB | time × | memory × |"
  echo "|---|---:|---|---|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
)
report=$(
  echo "Benchmark $started: $ls_version ($LEAKSCOPE_BIN; repository at $commit), node $node_version;"
  echo "$(nproc) cores, $mem_gib GiB RAM, $os; load average $load_start at start, $load_end at end."
  echo "Ratios are the tool's wall time / peak RSS divided by leakscope's on the same file;"
  if [ "$repeat" -gt 1 ]; then
    echo "each tool ran ${repeat}× per file, one after another: fastest run shown (its peak RSS), slowest in parentheses;"
  else
    echo "each tool ran once per file;"
  fi
  echo "limit ${timeout_s} s per run; the file was read once before its runs (page cache warm)."
  echo
  echo "$table"
)

echo
echo "$report"
out_dir=$(dirname "$out")
mkdir -p "$out_dir"
(umask 077 && printf '%s\n' "$report" >"$out")
chmod 600 "$out"
echo >&2
echo "table written to $out" >&2

if [ $ls_fail = 1 ]; then exit 1; fi
if [ $smoke = 1 ] && [ $any_fail = 1 ]; then exit 1; fi
exit 0
