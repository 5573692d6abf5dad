# Thin driver over CMake. The two commands of the README:
#   make demo   build everything and run leakscope on a bundled example
#   make test   run every test (C units in ctest, JS oracle and CLI tests;
#               some JS files side by side, LS_TEST_SERIAL=1 for one file
#               at a time: scripts/run-tests.sh)
BUILD ?= build
JOBS  ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build addon package demo test unit jstest asan tsan fuzz bench-smoke accuracy-ci clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	@node src/node/build.js

# The Node package's addon and command (node-gyp, into src/node/build/)
addon: deps
	node src/node/build.js

# The npm tarball with the linux-x64 prebuild (scripts/package.js), in
# $(BUILD)/package/; README "Making a release"
package: deps
	node scripts/package.js --out $(BUILD)/package

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	@scripts/run-tests.sh $(BUILD)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the C tests and CLI
# (tests/run, whose programs run for minutes, is left to `make test`: under
# ASan it took 4 of CI's 30 minutes; `run --html` in tests/html still drives
# the session under ASan; tests/attach too: 72 s under ASan against 49 s,
# its C units run here; its CLI cases passed under ASan when it was added;
# tests/trend too, whose time is its programs making their series: the
# trend code runs under ASan in test_trend (ctest), on real series in
# tests/html's trend reports, and streamed in its `run --html`)
asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLS_SANITIZE=ON -DLS_WERROR=ON
	cmake --build build-asan -j $(JOBS)
	@LEAKSCOPE_BIN=$(CURDIR)/build-asan/leakscope LS_JS_DIRS="tests/cli tests/paths tests/suspects tests/diff tests/handles tests/html" scripts/run-tests.sh build-asan

# ThreadSanitizer build: the C test of several threads analysing different
# snapshots at once (any data race fails it), then the other C units
tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DLS_TSAN=ON -DLS_WERROR=ON
	cmake --build build-tsan -j $(JOBS)
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" ctest --test-dir build-tsan --output-on-failure

# Short libFuzzer run of the reader (FUZZ_SECONDS, default 60)
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/deps.sh ci
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLS_FUZZ=ON -DLS_TESTS=OFF \
	  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined"
	cmake --build build-fuzz -j $(JOBS) --target fuzz_reader
	mkdir -p build-fuzz/corpus && build-fuzz/fuzz/fuzz_reader build-fuzz/corpus fuzz/corpus/reader \
	  -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -print_final_stats=1

# The accuracy benchmark's small CI subset (bench/accuracy/README.md): two
# leaking and two clean programs on real npm libraries, with the default
# and a fixed schedule; fails when a verdict is wrong
accuracy-ci: build
	@[ -f bench/accuracy/node_modules/.package-lock.json ] && \
	  [ bench/accuracy/node_modules/.package-lock.json -nt bench/accuracy/package-lock.json ] || \
	  npm ci --prefix bench/accuracy --no-audit --no-fund --loglevel=error
	LEAKSCOPE_BIN=$(CURDIR)/$(BUILD)/leakscope node bench/accuracy/run.mjs --ci

bench-smoke: build
	LEAKSCOPE_BIN=$(BUILD)/leakscope bench/run.sh --smoke

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz src/node/build
