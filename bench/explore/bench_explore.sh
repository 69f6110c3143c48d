#!/usr/bin/env bash
# bench_explore.sh: issue 3 item 7, run by `make bench-explore`.
#  1. Schedules per second of the explorer on the fixed examples, Lua and C++ (vmmsim_bench_explore,
#     Google Benchmark; CPU time of one thread).
#  2. vmmsim side by side with SPIN on the Promela models of bench/spin/ and their Lua twins, the
#     Resume_Exec hang and the lost wake-up, buggy and fixed, N = 2, 4, 6, 8 threads:
#     - buggy forms: time to the first counterexample, end to end: `vmmsim explore` from the scenario
#       file against `spin -a` + compiling pan + running pan (bench/spin/run_spin.sh);
#     - fixed forms: time to cover every schedule (vmmsim's exhaustive dfs) against SPIN's full
#       verification, with schedules and states counted. A vmmsim run that does not exhaust its
#       space within VMMSIM_BUDGET schedules is reported with the schedules it ran, not as a proof.
#     Both sides are timed by bench/spin/timed.c (CPU = user + system of the process and children).
# Environment: BENCH_BUILD (default build-release), NS (default "2 4 6 8"), VMMSIM_BUDGET (default
# 300000 schedules), EXPLORE_JOBS for vmmsim explore --jobs (default 1: one core, like pan), BENCH_ARGS for
# Google Benchmark.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BENCH_BUILD:-build-release}
case "$build" in /*) ;; *) build=$root/$build ;; esac
NS=${NS:-"2 4 6 8"}
BUDGET=${VMMSIM_BUDGET:-300000}
JOBS=${EXPLORE_JOBS:-1}
for tool in spin gcc jq; do
  command -v "$tool" >/dev/null || { echo "bench_explore.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
done

echo "== 1. explorer throughput (schedules_per_s is per second of CPU time, one thread)"
# shellcheck disable=SC2086
"$build/vmmsim_bench_explore" ${BENCH_ARGS:-}

work=$(mktemp -d "${TMPDIR:-/tmp}/vmmsim-bench-explore.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/timed" "$root/bench/spin/timed.c"
bash "$root/bench/spin/gen_scenarios.sh" "$work/scenarios" $NS > /dev/null

echo
echo "== 2. vmmsim and SPIN on the same hazards (this takes a few minutes)"
NS="$NS" FORMAT=jsonl bash "$root/bench/spin/run_spin.sh" > "$work/spin.jsonl"
: > "$work/vmmsim.jsonl"
for model in resume_exec_buggy resume_exec_fixed lost_wakeup_buggy lost_wakeup_fixed; do
  for n in $NS; do
    scenario=$work/scenarios/${model}_n$n.lua
    code=0
    "$work/timed" "$work/t.ns" "$build/vmmsim" explore "$scenario" --schedules "$BUDGET" --jobs "$JOBS" \
      --report "$work/r.json" > "$work/out.txt" || code=$?
    read -r wall cpu < "$work/t.ns"
    jq -c --arg model "$model" --argjson n "$n" --argjson wall "$wall" --argjson cpu "$cpu" --argjson code "$code" \
      '{model: $model, n: $n, wall_ms: ($wall / 1e6), cpu_ms: ($cpu / 1e6), exit_code: $code,
        schedules: .schedules, exhausted: .exhausted, found_at: (.failure.found_at // null)}' \
      "$work/r.json" >> "$work/vmmsim.jsonl"
  done
done

jq -s -r --slurpfile spin "$work/spin.jsonl" '
  def f1: . * 10 | round / 10;
  ["form", "N", "vmmsim", "vmmsim CPU ms", "SPIN", "SPIN CPU ms (spin -a + cc + pan)", "SPIN / vmmsim"],
  ["---", "---", "---", "---", "---", "---", "---"],
  (.[] as $v
   | ($spin | map(select(.model == $v.model and .n == $v.n)) | first) as $s
   | [$v.model, ($v.n | tostring),
      (if ($v.model | endswith("buggy")) then
         (if $v.exit_code != 0 then "found at schedule \($v.found_at) (exit \($v.exit_code))" else "NOT FOUND in \($v.schedules)" end)
       elif $v.exhausted then "\($v.schedules) schedules, all"
       else "\($v.schedules) schedules, NOT exhausted" end),
      ($v.cpu_ms | f1 | tostring),
      (if ($v.model | endswith("buggy")) then "counterexample after \($s.states_stored) states"
       else "\($s.states_stored) states, \($s.errors) errors" end),
      ($s.cpu_total_ms | tostring),
      (if ($v.model | endswith("fixed")) and ($v.exhausted | not) then "-"
       else (($s.cpu_total_ms / ([$v.cpu_ms, 0.1] | max)) | f1 | tostring) + "x" end)])
  | "| " + join(" | ") + " |"' "$work/vmmsim.jsonl"
echo
echo "A fixed form marked NOT exhausted ran out of budget (VMMSIM_BUDGET=$BUDGET schedules): vmmsim"
echo "runs every order of the threads as its own schedule, while SPIN stores states and visits each"
echo "once; bench/spin/README.md counts the schedules of each fixed form."

echo
echo "== 3. how far state matching (explore --reduce) closes the gap on the fixed forms"
: > "$work/reduce.jsonl"
for model in resume_exec_fixed lost_wakeup_fixed; do
  for n in $NS; do
    scenario=$work/scenarios/${model}_n$n.lua
    code=0
    "$work/timed" "$work/t.ns" "$build/vmmsim" explore "$scenario" --reduce --schedules "$BUDGET" --jobs "$JOBS" \
      --report "$work/r.json" > "$work/out.txt" || code=$?
    read -r wall cpu < "$work/t.ns"
    jq -c --arg model "$model" --argjson n "$n" --argjson cpu "$cpu" --argjson code "$code" \
      '{model: $model, n: $n, cpu_ms: ($cpu / 1e6), exit_code: $code, schedules: .schedules,
        exhausted: .exhausted, states: .state_matching.states, pruned: .state_matching.pruned}' \
      "$work/r.json" >> "$work/reduce.jsonl"
  done
done
jq -s -r --slurpfile spin "$work/spin.jsonl" --slurpfile plain "$work/vmmsim.jsonl" '
  def f1: . * 10 | round / 10;
  ["form", "N", "dfs", "dfs --reduce", "states", "CPU ms dfs", "CPU ms --reduce", "SPIN CPU ms", "SPIN / --reduce"],
  ["---", "---", "---", "---", "---", "---", "---", "---", "---"],
  (.[] as $r
   | ($spin | map(select(.model == $r.model and .n == $r.n)) | first) as $s
   | ($plain | map(select(.model == $r.model and .n == $r.n)) | first) as $p
   | [$r.model, ($r.n | tostring),
      "\($p.schedules)" + (if $p.exhausted then "" else " (NOT exhausted)" end),
      "\($r.schedules), \($r.pruned) pruned" + (if $r.exhausted then "" else " (NOT exhausted)" end),
      ($r.states | tostring), ($p.cpu_ms | f1 | tostring), ($r.cpu_ms | f1 | tostring),
      ($s.cpu_total_ms | tostring),
      (if $r.exhausted then (($s.cpu_total_ms / ([$r.cpu_ms, 0.1] | max)) | f1 | tostring) + "x" else "-" end)])
  | "| " + join(" | ") + " |"' "$work/reduce.jsonl"

