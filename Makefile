# vmmsim: the two commands a fresh Debian 12 machine needs are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
BENCH_BUILD?= build-release
JOBS       ?= $(shell nproc)
CMAKE_FLAGS?=

.PHONY: all deps build demo test test-fast asan bench bench-explore clean

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

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVMMSIM_WERROR=ON -DVMMSIM_SANITIZE=ON $(CMAKE_FLAGS)

asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

test: test-fast asan

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

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD)
