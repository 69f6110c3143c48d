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
#  3. explore --reduce on the fixed forms (state matching within dfs's rounds).
#  4. explore --prove (the stateful search with no rounds), by fork and by rerun, on every form,
#     against SPIN: states, matched, transitions, depth, store memory and CPU, like pan's report.
#     A search still running after PROVE_SECONDS is interrupted (SIGINT) and reported with what it
#     had stored, marked incomplete.
# Environment: BENCH_BUILD (default build-release), NS (default "2 4 6 8"), VMMSIM_BUDGET (default
# 300000 schedules), EXPLORE_JOBS for vmmsim explore --jobs (default 1: one core, like pan), BENCH_ARGS for
# Google Benchmark, SECTIONS (default "1 2 3 4": which of the above to run; SPIN runs for 2, 3 and 4),
# PROVE_SECONDS (default 600), PROVE_BRANCH_BY (default "fork rerun").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BENCH_BUILD:-build-release}
case "$build" in /*) ;; *) build=$root/$build ;; esac
NS=${NS:-"2 4 6 8"}
BUDGET=${VMMSIM_BUDGET:-300000}
JOBS=${EXPLORE_JOBS:-1}
SECTIONS=${SECTIONS:-"1 2 3 4"}
PROVE_SECONDS=${PROVE_SECONDS:-600}
PROVE_BRANCH_BY=${PROVE_BRANCH_BY:-"fork rerun"}
section() { case " $SECTIONS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
for tool in spin gcc jq; do
  command -v "$tool" >/dev/null || { echo "bench_explore.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
done

if section 1; then
  echo "== 1. explorer throughput (schedules_per_s is per second of CPU time, one thread)"
  # shellcheck disable=SC2086
  "$build/vmmsim_bench_explore" ${BENCH_ARGS:-}
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vmmsim-bench-explore.XXXXXX")
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/timed" "$root/bench/spin/timed.c"
bash "$root/bench/spin/gen_scenarios.sh" "$work/scenarios" $NS > /dev/null

NS="$NS" FORMAT=jsonl bash "$root/bench/spin/run_spin.sh" > "$work/spin.jsonl"
: > "$work/vmmsim.jsonl"
: > "$work/reduce.jsonl"
if section 2; then
echo
echo "== 2. vmmsim and SPIN on the same hazards (this takes a few minutes)"
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
fi

if section 3; then
echo
echo "== 3. how far state matching (explore --reduce) closes the gap on the fixed forms"
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
fi

if section 4; then
echo
echo "== 4. explore --prove: the stateful search with no rounds, by fork and by rerun, against SPIN"
: > "$work/prove.jsonl"
for model in resume_exec_buggy resume_exec_fixed lost_wakeup_buggy lost_wakeup_fixed; do
  for n in $NS; do
    for by in $PROVE_BRANCH_BY; do
      scenario=$work/scenarios/${model}_n$n.lua
      code=0
      rm -f "$work/r.json"
      "$work/timed" "$work/t.ns" timeout -s INT "$PROVE_SECONDS" "$build/vmmsim" explore "$scenario" --prove \
        --branch-by "$by" --no-shrink --report "$work/r.json" > "$work/out.txt" 2> "$work/err.txt" || code=$?
      read -r wall cpu < "$work/t.ns"
      if [ ! -s "$work/r.json" ]; then  # an error before any report (its message goes in the table)
        jq -cn --arg model "$model" --argjson n "$n" --arg by "$by" --argjson code "$code" \
          --arg error "$(head -n 1 "$work/err.txt")" '{model: $model, n: $n, by: $by, exit_code: $code, error: $error}' \
          >> "$work/prove.jsonl"
        continue
      fi
      jq -c --arg model "$model" --argjson n "$n" --arg by "$by" --argjson cpu "$cpu" --argjson code "$code" \
        '{model: $model, n: $n, by: $by, cpu_ms: ($cpu / 1e6), exit_code: $code, interrupted: .interrupted,
          proved: .proof.proved, full: .proof.store_full, states: .proof.states, matched: .proof.matched,
          transitions: .proof.transitions, depth: .proof.max_depth, store_bytes: .proof.store_bytes,
          found_at: (.failure.found_at // null), runs: .runs, forks: .proof.forks}' \
        "$work/r.json" >> "$work/prove.jsonl"
    done
  done
done
jq -s -r --slurpfile spin "$work/spin.jsonl" --slurpfile red "$work/reduce.jsonl" --arg secs "$PROVE_SECONDS" '
  def f1: . * 10 | round / 10;
  ["form", "N", "by", "verdict", "states", "matched", "transitions", "depth", "store MiB", "CPU ms",
   "--reduce states", "SPIN states", "SPIN CPU ms", "SPIN / --prove"],
  ["---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---"],
  (.[] as $p
   | ($spin | map(select(.model == $p.model and .n == $p.n)) | first) as $s
   | ($red | map(select(.model == $p.model and .n == $p.n)) | first) as $r
   | [$p.model, ($p.n | tostring), $p.by,
      (if $p.error then "ERROR (exit \($p.exit_code)): \($p.error)"
       elif $p.found_at != null then "found at run \($p.found_at) (exit \($p.exit_code))"
       elif $p.proved then "proved"
       elif $p.interrupted then "INCOMPLETE (stopped after \($secs) s)"
       elif $p.full then "INCOMPLETE (store full)" else "exit \($p.exit_code)" end),
      ($p.states | tostring), ($p.matched | tostring), ($p.transitions | tostring), ($p.depth | tostring),
      ($p.store_bytes / 1048576 | . * 100 | round / 100 | tostring), ($p.cpu_ms | f1 | tostring),
      (if $r then ($r.states | tostring) else "-" end),
      ($s.states_stored | tostring), ($s.cpu_total_ms | tostring),
      (if $p.proved or $p.found_at != null then (($s.cpu_total_ms / ([$p.cpu_ms, 0.1] | max)) | f1 | tostring) + "x"
       else "-" end)])
  | "| " + join(" | ") + " |"' "$work/prove.jsonl"
fi
