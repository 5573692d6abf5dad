#!/usr/bin/env bash
# Run every test: the C units registered in ctest, then the node:test suites
# (DevTools oracle and CLI contract). Ends with one line a CI log reader
# recognises: "tests: N passed, N failed".
# Usage: scripts/run-tests.sh [BUILD_DIR]
# Env: LEAKSCOPE_BIN (CLI under test, default BUILD_DIR/leakscope),
#      LS_JS_DIRS: folders of *.test.mjs to run (default: every tests/*/
#      folder that has them).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export LEAKSCOPE_BIN=${LEAKSCOPE_BIN:-$PWD/$BUILD/leakscope}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

passed=0 failed=0

echo "== C unit tests (ctest)"
ctest --test-dir "$BUILD" --output-on-failure 2>&1 | tee "$log/ctest.txt"
c_total=$(sed -n 's/.* tests failed out of \([0-9]*\).*/\1/p' "$log/ctest.txt" | tail -1)
c_failed=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$log/ctest.txt" | tail -1)
if [ -z "$c_total" ]; then echo "ctest did not run"; c_total=1; c_failed=1; fi
passed=$((passed + c_total - c_failed)); failed=$((failed + c_failed))

echo "== JS tests (node --test)"
js_files=""
for d in ${LS_JS_DIRS:-$(ls -d tests/*/ | sed 's:/$::')}; do
  js_files="$js_files $(ls "$d"/*.test.mjs 2>/dev/null || true)"
done
js_files=$(echo $js_files)
if [ -n "$js_files" ]; then
  # shellcheck disable=SC2086
  node --test --test-reporter=spec --test-timeout=600000 $js_files 2>&1 | tee "$log/js.txt"
  js_pass=$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$log/js.txt" | tail -1)
  js_fail=$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$log/js.txt" | tail -1)
  if [ -z "$js_pass" ]; then echo "node --test did not report"; js_pass=0; js_fail=1; fi
  passed=$((passed + js_pass)); failed=$((failed + js_fail))
fi

# The Node package's suites again on Node 22 (from npm, cached like the
# oracle tests' copy): the addon is built once against Node-API 8 and must
# load and behave the same on both. Skipped when LS_JS_DIRS picks folders.
if [ -z "${LS_JS_DIRS:-}" ] && ls tests/node/*.test.mjs >/dev/null 2>&1; then
  echo "== JS tests of the Node package on Node 22 (node --test)"
  if node22=$(node --input-type=module -e \
      "import { node22Path } from './tests/js-helpers/cache.mjs'; console.log(node22Path());" 2>"$log/node22.err"); then
    "$node22" --version
    # shellcheck disable=SC2046
    "$node22" --test --test-reporter=spec --test-timeout=600000 $(ls tests/node/*.test.mjs) 2>&1 | tee "$log/js22.txt"
    js_pass=$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$log/js22.txt" | tail -1)
    js_fail=$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$log/js22.txt" | tail -1)
    if [ -z "$js_pass" ]; then echo "node --test (Node 22) did not report"; js_pass=0; js_fail=1; fi
    passed=$((passed + js_pass)); failed=$((failed + js_fail))
  else
    cat "$log/node22.err"; echo "could not get Node 22: the Node package is untested on it"
    failed=$((failed + 1))
  fi
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
