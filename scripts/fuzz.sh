#!/usr/bin/env bash
# fuzz.sh BUILD SECONDS: runs each libFuzzer target of fuzz/ for SECONDS (make fuzz), each on its
# own corpus (BUILD/fuzz-corpus/TARGET, grown from the seeds in fuzz/corpus/TARGET and, for the
# scenario target, the examples), and prints what each cost and found. A crash, a timeout or an
# out-of-memory is written to BUILD/fuzz-crashes/TARGET/ and makes the script fail: minimise it
# (TARGET -minimize_crash=1 FILE), fix the bug, and keep the input in fuzz/regressions/TARGET/, which
# tests/fuzz runs in every `make test`. The timeout is 30 s: the slowest seed (chasing_crit's 100,000
# callbacks) takes 1.3 s alone under ASan and the invariant walks, and over 10 s on a loaded machine.
set -uo pipefail
build=${1:?usage: fuzz.sh BUILD SECONDS}
seconds=${2:?usage: fuzz.sh BUILD SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
printf '%-10s %10s %12s %10s %s\n' target seconds executions corpus found
for target in api token scenario; do
  corpus=$build/fuzz-corpus/$target
  crashes=$build/fuzz-crashes/$target
  mkdir -p "$corpus" "$crashes"
  seeds=("$root/fuzz/corpus/$target")
  [ -d "$root/fuzz/regressions/$target" ] && seeds+=("$root/fuzz/regressions/$target")
  [ "$target" = scenario ] && seeds+=("$root/examples" "$root/examples/explore")
  log=$build/fuzz-$target.log
  "$build/fuzz/${target}_fuzzer" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" >"$log" 2>&1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  took=$(sed -n 's/^stat::.*//; s/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  found=$(find "$crashes" -type f | wc -l)
  printf '%-10s %10s %12s %10s %s\n' "$target" "${took:-?}" "${execs:-?}" "$(find "$corpus" -type f | wc -l)" \
         "$([ "$found" -eq 0 ] && echo nothing || echo "$found in $crashes (see $log)")"
  [ "$found" -eq 0 ] || status=1
done
exit $status
