#!/usr/bin/env bash
# shellcheck disable=SC2005,SC2012,SC2046,SC2086,SC2116
# (lists of test files: paths without spaces, split on purpose)
# Run every test: the C units registered in ctest, then the node:test suites
# (DevTools oracle and CLI contract). Ends with one line a CI log reader
# recognises: "tests: N passed, N failed".
# Usage: scripts/run-tests.sh [BUILD_DIR]
# Env: LEAKSCOPE_BIN (CLI under test, default BUILD_DIR/leakscope),
#      LS_JS_DIRS: folders of *.test.mjs to run (default: every tests/*/
#      folder that has them), in one run;
#      LS_TEST_SERIAL=1: every file one after the other (default: some
#      side by side, see below).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
export LEAKSCOPE_BIN=${LEAKSCOPE_BIN:-$PWD/$BUILD/leakscope}
log=$(mktemp -d)
pids=""
trap 'rm -rf "$log"' EXIT
# interrupted: end the runs started here too
trap 'for p in $pids; do pkill -TERM -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; done; exit 130' INT TERM

passed=0 failed=0

echo "== C unit tests (ctest)"
ctest --test-dir "$BUILD" --output-on-failure 2>&1 | tee "$log/ctest.txt"
c_total=$(sed -n 's/.* tests failed out of \([0-9]*\).*/\1/p' "$log/ctest.txt" | tail -1)
c_failed=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$log/ctest.txt" | tail -1)
if [ -z "$c_total" ]; then echo "ctest did not run"; c_total=1; c_failed=1; fi
passed=$((passed + c_total - c_failed)); failed=$((failed + c_failed))

# node --test of FILES on NODE, one file after the other, in the order
# given (one node --test per file: node --test sorts the files it is
# given). $log/NAME.txt gets each file's spec output, then one summary of
# all ("ℹ pass N", "ℹ fail N"); $log/NAME.times the seconds of each file.
# A file whose run gives no summary, or fails with none of its tests
# failed, counts as one failure; cancelled tests count as failed.
js_run() {
  local name=$1 nodebin=$2 f t rc p nf nc nt n=0 tests=0 pass=0 fail=0 t0
  shift 2
  : >"$log/$name.times"
  t0=$(date +%s)
  for f in "$@"; do
    n=$((n + 1))
    t=$(date +%s%N)
    "$nodebin" --test --test-reporter=spec --test-timeout=600000 "$f" >"$log/$name.$n.txt" 2>&1
    rc=$?
    t=$((($(date +%s%N) - t) / 1000000))
    # the file's output without its summary lines
    sed '/^ℹ \(tests\|suites\|pass\|fail\|cancelled\|skipped\|todo\|duration_ms\) [0-9.]*$/d' "$log/$name.$n.txt" >>"$log/$name.txt"
    p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log/$name.$n.txt" | tail -1)
    nf=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log/$name.$n.txt" | tail -1)
    nc=$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$log/$name.$n.txt" | tail -1)
    nt=$(sed -n 's/^ℹ tests \([0-9]*\)$/\1/p' "$log/$name.$n.txt" | tail -1)
    if [ -z "$p" ] || [ -z "$nf" ]; then
      echo "✖ $f: node --test did not report (exit $rc)" >>"$log/$name.txt"
      nf=1
    elif [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ] && [ "${nc:-0}" -eq 0 ]; then
      echo "✖ $f: node --test exited $rc with no test failed" >>"$log/$name.txt"
      nf=1
    fi
    pass=$((pass + ${p:-0})); fail=$((fail + nf + ${nc:-0})); tests=$((tests + ${nt:-0}))
    printf '%7d.%d s  %s\n' $((t / 1000)) $((t % 1000 / 100)) "$f" >>"$log/$name.times"
  done
  printf 'ℹ tests %d\nℹ pass %d\nℹ fail %d\nℹ files %d in %d s\n' "$tests" "$pass" "$fail" "$n" $(($(date +%s) - t0)) >>"$log/$name.txt"
}

# js_run with its output shown as it comes
js_run_shown() {
  local name=$1 pid
  : >"$log/$name.txt"
  js_run "$@" &
  pid=$!
  pids="$pids $pid"
  tail -n +1 -f --pid=$pid "$log/$name.txt"
  wait $pid
}

# Adds a run's pass and fail counts to the totals; a run that did not
# report counts as a failure.
js_count() {
  local name=$1 what=$2 p f
  p=$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$log/$name.txt" | tail -1)
  f=$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$log/$name.txt" | tail -1)
  if [ -z "$p" ] || [ -z "$f" ]; then echo "$what did not report"; p=${p:-0}; f=$((${f:-0} + 1)); fi
  passed=$((passed + p)); failed=$((failed + f))
  if [ -s "$log/$name.times" ]; then echo "-- time per file ($what), longest first"; sort -rn "$log/$name.times"; fi
}

# The Node package's suites again on Node 22 (from npm, cached like the
# oracle tests' copy): the addon is built once against Node-API 8 and must
# load and behave the same on both. node22_run runs them (quietly: into
# $log/js22.txt), node22_report shows and counts them.
node22_run() {
  rm -f "$log/js22.txt"
  if node22=$(node --input-type=module -e \
      "import { node22Path } from './tests/js-helpers/cache.mjs'; console.log(node22Path());" 2>"$log/node22.err"); then
    "$node22" --version >"$log/node22.version" 2>&1

    # (package.test.mjs is not among them: it loads the package on Node
    # 18, 20, 22 and 24 itself)
    js_run js22 "$node22" $(ls tests/node/*.test.mjs | grep -v '/package\.test\.mjs$')
  fi
}
node22_report() {
  echo "== JS tests of the Node package on Node 22 (node --test)"
  if [ -f "$log/js22.txt" ]; then
    cat "$log/node22.version" "$log/js22.txt"
    js_count js22 "node --test (Node 22)"
  else
    cat "$log/node22.err"; echo "could not get Node 22: the Node package is untested on it"
    failed=$((failed + 1))
  fi
}
has_node_suites() { ls tests/node/*.test.mjs >/dev/null 2>&1; }

files_in() {
  local d
  for d in "$@"; do ls "$d"/*.test.mjs 2>/dev/null || true; done
}

if [ -n "${LS_JS_DIRS:-}" ]; then
  # chosen folders (make asan): one run; Node 22 is skipped
  js_files=$(echo $(files_in $LS_JS_DIRS))
  echo "== JS tests (node --test)"
  if [ -n "$js_files" ]; then
    js_run_shown js node $js_files
    js_count js "node --test"
  fi
elif [ "${LS_TEST_SERIAL:-0}" = 1 ]; then
  js_files=$(echo $(files_in $(ls -d tests/*/ | sed 's:/$::')))
  echo "== JS tests (node --test), one file at a time"
  js_run_shown js node $js_files
  js_count js "node --test"
  if has_node_suites; then node22_run; node22_report; fi
else
  # Part of the files run side by side (2 cores): most of a file's time
  # is its programs running, and the verdict tests judge programs by how
  # they grow, so which files share the machine is chosen:
  #   1. tests/run alone (it keeps both cores busy, and its default,
  #      adaptive schedules are what a loaded machine bends most);
  #   2. two runs side by side: (a) tests/versions and tests/attach,
  #      whose programs run on fixed schedules and want a quarter of one
  #      core (one core for versions' retained_maps repros; versions runs
  #      an unsure version again, longer); tests/attach is the only user
  #      of the inspector's port 9229, so it is in one run only; (b) the
  #      files that judge no
  #      program by its growth (the C library's answers, the Node
  #      package's suites), that Node package on Node 22, then tests/html
  #      (its programs are paced by the clock);
  #   3. the others alone, one after the other (tests/known, whose short
  #      fixed schedules said "slowing" once beside (b); tests/trend,
  #      tests/alloc and any new folder).
  # LS_TEST_SERIAL=1 runs every file one after the other.
  all_dirs=$(ls -d tests/*/ | sed 's:/$::')
  first_dirs="tests/run"
  side_dirs="tests/versions tests/attach"
  beside_dirs="tests/cli tests/diff tests/handles tests/paths tests/suspects tests/oracle tests/node"
  later_beside_dirs="tests/html"
  last_dirs=""
  for d in $all_dirs; do
    case " $first_dirs $side_dirs $beside_dirs $later_beside_dirs " in *" $d "*) ;; *) last_dirs="$last_dirs $d" ;; esac
  done
  t0=$(date +%s)

  echo "== JS tests (node --test), 1 of 3: $(echo $(files_in $first_dirs))"
  js_run_shown first node $(files_in $first_dirs)
  js_count first "node --test (1 of 3)"

  echo "== JS tests (node --test), 2 of 3, side by side (after $(($(date +%s) - t0)) s):"
  echo "   (a) $(echo $(files_in $side_dirs))"
  echo "   (b) $(echo $(files_in $beside_dirs)), tests/node on Node 22, $(echo $(files_in $later_beside_dirs))"
  (
    js_run beside node $(files_in $beside_dirs)
    if has_node_suites; then node22_run; fi
    js_run beside2 node $(files_in $later_beside_dirs)
    echo "((b) done after $(($(date +%s) - t0)) s)" >"$log/beside.done"
  ) &
  beside_pid=$!
  pids="$pids $beside_pid"
  echo "== (a) (node --test)"
  js_run_shown side node $(files_in $side_dirs)
  echo "((a) done after $(($(date +%s) - t0)) s)"
  js_count side "node --test (2 of 3, a)"
  wait $beside_pid
  echo "== (b) (node --test)"
  cat "$log/beside.txt"
  js_count beside "node --test (2 of 3, b)"
  if has_node_suites; then node22_report; fi
  echo "== (b), continued (node --test)"
  cat "$log/beside2.txt"
  js_count beside2 "node --test (2 of 3, b, continued)"
  cat "$log/beside.done" 2>/dev/null

  echo "== JS tests (node --test), 3 of 3 (after $(($(date +%s) - t0)) s): $(echo $(files_in $last_dirs))"
  js_run_shown last node $(files_in $last_dirs)
  js_count last "node --test (3 of 3)"
  echo "(JS tests done after $(($(date +%s) - t0)) s)"
fi

# What failed, once more at the end: a CI log is often read from its tail
# (node's "failing tests" sections, up to the next file's first result)
if [ "$failed" -gt 0 ]; then
  echo "== what failed"
  for f in "$log"/*.txt; do
    awk '/^✖ failing tests:/ { on = 1 } on && /^(✔|▶|﹣)/ { on = 0 } on' "$f"
  done | head -n 200
  sed -n '/The following tests FAILED:/,$p' "$log/ctest.txt"
fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
