# vmmsim: the two commands a fresh Debian 12 machine needs are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
BENCH_BUILD?= build-release
JOBS       ?= $(shell nproc)
CMAKE_FLAGS?=
PREFIX     ?= /usr/local

.PHONY: all deps build demo install package test test-fast asan test-tsan fuzz bench bench-explore check-browser clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVMMSIM_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@echo "== vmmsim run examples/resume_exec_deadlock.lua (the seed's Resume_Exec hang; exits 4) =="
	-@$(BUILD)/vmmsim run examples/resume_exec_deadlock.lua; echo "exit code: $$?"

# The command, libvmmsim.a, the headers, the CMake package, vmmsim.pc, the man page, the LuaLS stubs
# and the examples under $(PREFIX) (DESTDIR=... stages them, as for a package).
install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# build/vmmsim_VERSION_ARCH.deb, installing under /usr.
package: build
	cd $(BUILD) && cpack -G DEB

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVMMSIM_WERROR=ON -DVMMSIM_SANITIZE=ON $(CMAKE_FLAGS)

# The install.* tests configure, build and install the project once more as a user would; the plain
# tree ran them, and under the sanitizer tree they only rebuild it (about 4 minutes of make test).
# Tests labelled sanitizer_heavy (tests/cli/CMakeLists.txt says which and why) run in the plain tree only.
asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -E '^install\.' -LE sanitizer_heavy

# ThreadSanitizer on what runs threads: the explorer's workers (explore --jobs N), through the C++
# API and the command, and drivers shared between them. Only those targets are built (a few minutes).
# explore --prove runs on one thread (it refuses --jobs above 1), so TSan has nothing of it to check;
# its --branch-by fork children report TSan's own confusion over fibers in a forked process.
$(TSAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVMMSIM_WERROR=ON -DVMMSIM_TSAN=ON $(CMAKE_FLAGS)

test-tsan: deps $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target vmmsim_explore_tests vmmsim_cli vmmsim_vxd_examples stateless_vxd crash_vxd
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 exitcode=66" ctest --output-on-failure -j $(JOBS) -R '^(Explore|explore\.)' -E '^explore\.prove\.'

test: test-fast asan test-tsan

# libFuzzer (clang, ASan + UBSan, the invariant walks on): each target of fuzz/ for FUZZ_SECONDS
# (default 300) on a corpus kept in $(FUZZ_BUILD); scripts/fuzz.sh prints executions and findings.
$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVMMSIM_WERROR=ON \
	  -DVMMSIM_FUZZ=ON -DVMMSIM_TESTS=OFF -DVMMSIM_EXAMPLES=OFF -DVMMSIM_INSTALL=OFF $(CMAKE_FLAGS)

fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target api_fuzzer token_fuzzer scenario_fuzzer
	bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The tests are not built in the benchmark tree: `make test` covers them.
$(BENCH_BUILD)/build.ninja: | deps
	cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DVMMSIM_TESTS=OFF $(CMAKE_FLAGS)

# Prints Google Benchmark's report, then the summary table (bench/summary.cpp). About 2.5 minutes
# and up to 7 GB of memory (the 1,000,000-thread run); BENCH_ARGS passes Google Benchmark flags.
bench: deps $(BENCH_BUILD)/build.ninja
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	@if [ -x $(BENCH_BUILD)/vmmsim_bench ]; then $(BENCH_BUILD)/vmmsim_bench $(BENCH_ARGS); else echo "no benchmarks yet"; fi

# Issue 3 item 7: the explorer's schedules per second, then vmmsim side by side with SPIN on the
# models of bench/spin/ (bench/explore/bench_explore.sh says what each figure is). A few minutes.
bench-explore: deps $(BENCH_BUILD)/build.ninja
	cmake --build $(BENCH_BUILD) -j $(JOBS)
	BENCH_BUILD=$(BENCH_BUILD) bash bench/explore/bench_explore.sh

# Issue 14: each example's timeline page screenshotted in headless Chromium (installed from Debian's
# archive if missing) and checked in pixels; the screenshots stay in $(BUILD)/browser.
check-browser: build
	bash tests/browser/check_browser.sh $(BUILD) $(BUILD)/browser

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD)
