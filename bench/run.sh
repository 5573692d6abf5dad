#!/usr/bin/env bash
# Benchmark: leakscope vs DevTools' heap snapshot code vs memlab, each loading
# the same heap snapshot and computing a class summary; with --trend, leak
# finding over a series of snapshots (leakscope trend vs memlab's
# unbound-object vs a DevTools Comparison). Every run is measured with
# /usr/bin/time -v (wall time, peak RSS); see bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [--smoke] [--tools LIST] [--repeat N] [--timeout SEC] [--out FILE] [FILE...]
       bench/run.sh --trend [--tools LIST] [--repeat N] [--timeout SEC] [--out FILE] [DIR]
       bench/run.sh --tickloop [OPTIONS]   (= bench/tickloop/run.sh OPTIONS, see --tickloop --help)

Runs each tool on each snapshot file, one run at a time, under /usr/bin/time -v,
and prints a markdown table: file size, tool, result, wall seconds, peak RSS,
and each tool's time and memory relative to leakscope on the same file.

  --smoke        tiny check for CI: make build/bench-data/smoke.heapsnapshot
                 (node bench/gen-snapshots.mjs --smoke) if missing, run all
                 three tools on it only; then the --trend runs on
                 build/bench-data/smoke-series (3 tiny snapshots, made with
                 node bench/gen-snapshots.mjs --smoke series if missing);
                 then bench/tickloop/run.sh --smoke (TickLoop vs the reference
                 Node-API loops, 100,000 iterations; table in
                 build/bench-tickloop-smoke-results.md);
                 exit 1 if any run fails
  --trend [DIR]  leak finding over the series of snapshots DIR/*.heapsnapshot
                 (at least 3, in name order; default build/bench-data/series,
                 made by node bench/gen-snapshots.mjs series) instead of the
                 summaries: one leakscope summary of the last snapshot (the
                 reference of the ratios), leakscope trend DIR, memlab's
                 unbound-object on the same snapshots, and a DevTools
                 Comparison (diff) of the first and the last
  --tools LIST   comma-separated, from leakscope,devtools,memlab (default: all)
  --repeat N     run each tool N times per file, report the fastest run (default 1)
  --timeout SEC  limit per tool run (default 900 = 15 min; --smoke: 60)
  --out FILE     also write the table there, mode 0600 (default
                 build/bench-results.md; --smoke: build/bench-smoke-results.md;
                 --trend: build/bench-trend-results.md)
  FILE...        snapshots to use with every selected tool. Default: those of
                 build/bench-data/heap-{50mb,300mb,1gb}.heapsnapshot that exist
                 (all tools), then build/bench-data/synth-6gb.heapsnapshot if it
                 exists (leakscope only: DevTools and memlab cannot load it)
  -h, --help     this text

Tools:
  leakscope  $LEAKSCOPE_BIN summary --json FILE  (default build/leakscope; output discarded)
  devtools   node --max-old-space-size=16000 bench/devtools-summary.mjs FILE
  memlab     node --max-old-space-size=16000 bench/memlab-summary.mjs FILE
With --trend:
  leakscope  $LEAKSCOPE_BIN summary --json LAST, then $LEAKSCOPE_BIN trend --json DIR
             (exit 0 "clean" or 1 "leak" both count as a finished run)
  devtools   node --max-old-space-size=16000 bench/devtools-diff.mjs FIRST LAST
  memlab     node --expose-gc --max-old-space-size=16000 node_modules/memlab/bin/memlab
               analyze unbound-object --snapshot-dir TMP --work-dir TMP2
             (TMP: a private folder of links s1..sN.heapsnapshot to DIR's files)

A run that fails, runs out of memory or times out is shown as such in the
table. Before the runs on a file (--trend: a series), it is read once so every
tool finds it in the page cache. Exit status: 0 when the table is written and
every leakscope run succeeded (--smoke: every run), 1 otherwise, 2 on bad usage.
Data: node bench/gen-snapshots.mjs [series]; build/bench/synth-snapshot --bytes 6G -o FILE.
EOF
}

die() { echo "bench/run.sh: $*" >&2; exit 2; }

cd "$(dirname "$0")/.."

smoke=0
trend=0
tools="leakscope,devtools,memlab"
repeat=1
timeout_s=""
out=""
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --smoke) smoke=1 ;;
    --tickloop) shift; exec "$(dirname "$0")/tickloop/run.sh" "$@" ;;
    --trend) trend=1 ;;
    --trend=*) trend=1; files+=("${1#*=}") ;;
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

[ $smoke = 1 ] && [ $trend = 1 ] && die "--smoke and --trend do not go together"
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
trend_dir=""
if [ $trend = 1 ]; then
  [ ${#files[@]} -le 1 ] || die "--trend takes one DIR, not files"
  trend_dir=${files[0]:-$data/series}
  files=()
  if [ ! -d "$trend_dir" ]; then
    if [ "$trend_dir" = "$data/series" ]; then
      die "$trend_dir missing: run 'node bench/gen-snapshots.mjs series' (see bench/README.md)"
    fi
    die "$trend_dir: not a directory"
  fi
  out=${out:-build/bench-trend-results.md}
elif [ $smoke = 1 ]; then
  [ ${#files[@]} -eq 0 ] || die "--smoke takes no FILE"
  smoke_file=$data/smoke.heapsnapshot
  if [ ! -f "$smoke_file" ]; then
    "$NODE" bench/gen-snapshots.mjs --smoke --out "$data" >&2
  fi
  files=("$smoke_file")
  jobs+=("$smoke_file"$'\t'"$tools")
  trend_dir=$data/smoke-series
  if [ ! -f "$trend_dir/snap-3.heapsnapshot" ]; then
    "$NODE" bench/gen-snapshots.mjs --smoke series --out "$data" >&2
  fi
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

# The series for --trend (and --smoke): DIR/*.heapsnapshot in version order
# (snap-2 before snap-10). leakscope orders them itself, by node ids; for a
# series written by gen-snapshots.mjs the two orders agree.
series=()
if [ -n "$trend_dir" ]; then
  if [ -n "$(find "$trend_dir" -maxdepth 1 -name '*.heapsnapshot.gz' -print -quit)" ]; then
    die "$trend_dir has .heapsnapshot.gz files: memlab reads plain .heapsnapshot only (gunzip them)"
  fi
  while IFS= read -r f; do series+=("$trend_dir/$f"); done < <(
    find "$trend_dir" -maxdepth 1 -name '*.heapsnapshot' \( -type f -o -type l \) -printf '%f\n' | LC_ALL=C sort -V)
  [ ${#series[@]} -ge 3 ] || die "$trend_dir: ${#series[@]} .heapsnapshot files, trend needs at least 3"
  for f in "${series[@]}"; do [ -r "$f" ] || die "$f: not readable"; done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/leakscope-bench.XXXXXX")  # mode 0700
trap 'rm -rf "$work"' EXIT
if [ ${#series[@]} -gt 0 ]; then
  # memlab wants a folder of snapshots and sorts s<N>.heapsnapshot by N
  memlab_in=$work/memlab-in
  mkdir -m 700 "$memlab_in"
  for ((i = 0; i < ${#series[@]}; i++)); do
    ln -s "$(realpath "${series[i]}")" "$memlab_in/s$((i + 1)).heapsnapshot"
  done
fi
memlab_work=$work/memlab-work

# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33"
parse_wall() {
  sed -n 's/^[[:space:]]*Elapsed (wall clock) time.*): //p' "$1" |
    awk -F: 'NF { s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}
parse_rss_kb() {
  sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"
}

# One measured run of TOOL on FILE (--trend tools: on the series). Sets:
# r_status (ok|oom|timeout|failed), r_reason, r_wall, r_rss_kb, r_check.
# Tools: leakscope, devtools, memlab (summaries of FILE); ls-trend,
# devtools-diff, memlab-unbound (the series).
run_once() {
  local tool=$1 file=${2:-} tf=$work/time.txt so=$work/stdout.txt se=$work/stderr.txt
  local cmd rc=0
  case "$tool" in
    leakscope) cmd=("$LEAKSCOPE_BIN" summary --json "$file") ;;
    devtools) cmd=("$NODE" "${NODE_FLAGS[@]}" bench/devtools-summary.mjs "$file") ;;
    memlab) cmd=("$NODE" "${NODE_FLAGS[@]}" bench/memlab-summary.mjs "$file") ;;
    ls-trend) cmd=("$LEAKSCOPE_BIN" trend --json "$trend_dir") ;;
    devtools-diff) cmd=("$NODE" "${NODE_FLAGS[@]}" bench/devtools-diff.mjs "${series[0]}" "${series[${#series[@]} - 1]}") ;;
    memlab-unbound)
      # the memlab command's own node flags (bin/memlab), with our heap limit
      rm -rf "$memlab_work"
      cmd=("$NODE" --expose-gc "${NODE_FLAGS[@]}" node_modules/memlab/bin/memlab analyze unbound-object
           --snapshot-dir "$memlab_in" --work-dir "$memlab_work") ;;
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
  if [ "$tool" = ls-trend ] && { [ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 4 ]; }; then
    # exit 1 is "leak suspected", 4 "not sure yet": finished runs
    if grep -q '"verdict":' "$so"; then
      local verdict n lead
      verdict=$(sed -n 's/.*"verdict":"\([a-z]*\)".*/\1/p' "$so" | head -n 1)
      n=$(grep -o '"kind":' "$so" | wc -l)
      lead=$(grep -o '"group":-1' "$so" | wc -l)
      r_status=ok
      r_check="$verdict: $n suspects, $lead leading"
    else
      r_status=failed
      r_reason="exit $rc, no JSON printed"
    fi
    return
  fi
  if [ $rc = 0 ]; then
    if [ "$tool" = leakscope ]; then
      r_status=ok
      r_check="exit 0"
    elif [ "$tool" = devtools-diff ]; then
      if grep -q '"classes":[0-9]' "$so"; then
        r_status=ok
        r_check=$(sed -n 's/.*"classes":\([0-9]*\),"grown":\([0-9]*\).*/\1 classes, \2 grown/p' "$so" | head -n 1)
      else
        r_status=failed
        r_reason="no diff printed"
      fi
    elif [ "$tool" = memlab-unbound ]; then
      # memlab writes its findings (top 20) to data/out/unbound-object.csv
      # and prints "No increasing objects found." when there are none
      local csv=$memlab_work/data/out/unbound-object.csv
      if [ -f "$csv" ]; then
        r_status=ok
        r_check="$(grep -c . "$csv") growing objects"
      elif grep -q 'No increasing objects found' "$so"; then
        r_status=ok
        r_check="no growing objects"
      else
        r_status=failed
        r_reason="no result written"
      fi
    elif grep -q '"nodes":[1-9]' "$so"; then
      r_status=ok
      r_check=$(sed -n 's/.*"nodes":\([0-9]*\).*"classes":\([0-9]*\).*/\1 nodes, \2 classes/p' "$so" | head -n 1)
    else
      r_status=failed
      r_reason="no summary printed"
    fi
    return
  fi
  if { { [ "$tool" = leakscope ] || [ "$tool" = ls-trend ]; } && [ $rc = 3 ]; } || [ "$sig" = 9 ] ||
     grep -qiE 'out of memory|allocation failed|heap limit|ENOMEM|cannot allocate|Array buffer allocation' "$se"; then
    r_status=oom
    r_reason="out of memory"
  else
    r_status=failed
    r_reason="exit $rc"
    [ -n "$sig" ] && r_reason="signal $sig"
  fi
  local last msgs=$se
  # the memlab command prints its errors on stdout
  [ "$tool" = memlab-unbound ] && [ ! -s "$se" ] && msgs=$so
  sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g' "$msgs"  # memlab's terminal codes
  last=$(grep -v '^[[:space:]]*$' "$msgs" | grep -vE '^[[:space:]]*at ' | tail -n 1 | cut -c1-80 | tr '|' '/' | sed 's/[[:space:]]*$//' || true)
  [ -n "$last" ] && r_reason="$r_reason: $last"
  echo "  ${m_label:-$tool} failed ($r_reason); output tail:" >&2
  tail -n 5 "$msgs" | sed 's/^/    /' >&2
}

fmt_size() { awk -v b="$1" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else if (b >= 1e6) printf "%.0f MB", b / 1e6; else if (b >= 1e3) printf "%.0f kB", b / 1e3; else printf "%d B", b }'; }
fmt_mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "—" }'; }
# After a measure: tx/mx, its time and memory against the reference run
# (leakscope's, which becomes the reference: ref_wall/ref_rss). Fails when
# the measured run failed.
ratio_cells() {
  tx="—" mx="—"
  [ "$m_ok" = 1 ] || return 1
  if [ "$1" = leakscope ]; then
    ref_wall=$m_wall ref_rss=$m_rss
    tx="1.0×" mx="1.0×"
  elif [ -n "$ref_wall" ]; then
    tx=$(ratio "$m_wall" "$ref_wall")
    mx=$(ratio "$m_rss" "$ref_rss")
  fi
}

rows=()
trows=()
any_fail=0
ls_fail=0
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# Runs TOOL $repeat times (stops at the first failed run) and sets the table
# cells: m_result, m_wall_cell, m_rss_cell, m_ok (1/0), m_wall, m_rss (the
# fastest finished run). LABEL names the tool in the progress lines.
measure() {
  local tool=$1 file=${2:-} label=${3:-$1}
  m_label=$label
  local best_wall="" best_rss="" best_status="" best_reason="" best_check="" slowest="" nok=0 i
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
      echo "  $label: ${r_wall} s, $(fmt_mib "${r_rss_kb:-0}") MiB ($r_check)" >&2
    else
      echo "  $label: $r_status after ${r_wall:-?} s" >&2
      break
    fi
  done
  m_wall=$best_wall m_rss=$best_rss
  m_wall_cell=${best_wall:-—}
  if [ "$nok" -gt 1 ]; then m_wall_cell="$best_wall (slowest $slowest)"; fi
  m_rss_cell="—"
  [ -n "$best_rss" ] && m_rss_cell=$(fmt_mib "$best_rss")
  if [ "$best_status" = ok ]; then
    m_ok=1
    m_result="ok ($best_check)"
  else
    m_ok=0
    m_result="**$best_reason**"
    # a run that did not finish: its time and memory are lower bounds
    if [ "$best_status" = timeout ]; then m_wall_cell="> $best_wall"; fi
    if [ -n "$best_rss" ]; then m_rss_cell="≥ $m_rss_cell"; fi
  fi
  return 0
}

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
    measure "$tool" "$file"
    if ! ratio_cells "$tool"; then
      any_fail=1
      [ "$tool" = leakscope ] && ls_fail=1
    fi
    rows+=("| $(basename "$file") | $size | $tool | $m_result | $m_wall_cell | $m_rss_cell | $tx | $mx |")
  done
done

# --trend (and the second part of --smoke): the series, one tool after
# another; ratios against one leakscope summary of the last snapshot.
if [ ${#series[@]} -gt 0 ]; then
  n=${#series[@]}
  first=${series[0]}
  last=${series[n - 1]}
  total=0
  for f in "${series[@]}"; do total=$((total + $(stat -L -c %s "$f"))); done
  echo "== $trend_dir: $n snapshots, $(fmt_size "$total")" >&2
  cat "${series[@]}" >/dev/null  # warm the page cache
  tjobs=()
  if has_tool leakscope; then
    tjobs+=("leakscope"$'\t'"leakscope summary"$'\t'"$(basename "$last") ($(fmt_size "$(stat -L -c %s "$last")"))")
    tjobs+=("ls-trend"$'\t'"leakscope trend"$'\t'"$n snapshots ($(fmt_size "$total"))")
  fi
  has_tool memlab && tjobs+=("memlab-unbound"$'\t'"memlab unbound-object"$'\t'"$n snapshots ($(fmt_size "$total"))")
  if has_tool devtools; then
    tjobs+=("devtools-diff"$'\t'"DevTools diff"$'\t'"$(basename "$first") → $(basename "$last") ($(fmt_size $(($(stat -L -c %s "$first") + $(stat -L -c %s "$last")))))")
  fi
  ref_wall="" ref_rss=""
  for tj in "${tjobs[@]}"; do
    IFS=$'\t' read -r tool label input <<<"$tj"
    measure "$tool" "$last" "$label"
    if ! ratio_cells "$tool"; then
      any_fail=1
      { [ "$tool" = leakscope ] || [ "$tool" = ls-trend ]; } && ls_fail=1
    fi
    trows+=("| $label | $input | $m_result | $m_wall_cell | $m_rss_cell | $tx | $mx |")
  done
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
mem_gib=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
os=$( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown OS}") || echo "unknown OS")
ls_version=$("$LEAKSCOPE_BIN" --version 2>/dev/null || echo "leakscope ?")
node_version=$("$NODE" --version 2>/dev/null || echo "?")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
[ -n "$(git status --porcelain -- src include CMakeLists.txt 2>/dev/null)" ] && commit="$commit + local changes"
memlab_version=$(sed -n 's/^[[:space:]]*"version": *"\([^"]*\)".*/\1/p' node_modules/memlab/package.json 2>/dev/null | head -n 1)
dt_version=$(sed -n 's/^[[:space:]]*"version": *"\([^"]*\)".*/\1/p' node_modules/heap-snapshot-toolkit/package.json 2>/dev/null | head -n 1)

report=$(
  echo "Benchmark $started: $ls_version ($LEAKSCOPE_BIN; repository at $commit), node $node_version;"
  echo "$(nproc) cores, $mem_gib GiB RAM, $os; load average $load_start at start, $load_end at end."
  if [ ${#rows[@]} -gt 0 ]; then
    echo "Ratios are the tool's wall time / peak RSS divided by leakscope's on the same file;"
  else
    echo "Ratios are the tool's wall time / peak RSS divided by those of one leakscope summary of the last snapshot;"
  fi
  if [ ${#rows[@]} -gt 0 ]; then per=" per file" inputs="the file was read once before its runs"
  else per="" inputs="the snapshots were read once before the runs"; fi
  if [ "$repeat" -gt 1 ]; then
    echo "each tool ran ${repeat}×$per, one after another: fastest run shown (its peak RSS), slowest in parentheses;"
  else
    echo "each tool ran once$per;"
  fi
  echo "limit ${timeout_s} s per run; $inputs (page cache warm)."
  if [ ${#rows[@]} -gt 0 ]; then
    echo
    echo "| file | size | tool | result | wall s | peak RSS MiB | time × | memory × |"
    echo "|---|---:|---|---|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
  fi
  if [ ${#trows[@]} -gt 0 ]; then
    echo
    echo "Trend: $trend_dir, ${#series[@]} snapshots; memlab ${memlab_version:-?}, heap-snapshot-toolkit ${dt_version:-?}."
    [ ${#rows[@]} -gt 0 ] && echo "Ratios against one leakscope summary of the last snapshot."
    echo
    echo "| tool | input | result | wall s | peak RSS MiB | time × | memory × |"
    echo "|---|---|---|---:|---:|---:|---:|"
    printf '%s\n' "${trows[@]}"
  fi
)

echo
echo "$report"
out_dir=$(dirname "$out")
mkdir -p "$out_dir"
(umask 077 && printf '%s\n' "$report" >"$out")
chmod 600 "$out"
echo >&2
echo "table written to $out" >&2

if [ $smoke = 1 ]; then
  echo "== TickLoop smoke" >&2
  bench/tickloop/run.sh --smoke --out build/bench-tickloop-smoke-results.md || any_fail=1
fi

if [ $ls_fail = 1 ]; then exit 1; fi
if [ $smoke = 1 ] && [ $any_fail = 1 ]; then exit 1; fi
exit 0
