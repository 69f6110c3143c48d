#!/bin/sh
# interrupt.sh VMMSIM WORKDIR SIGNAL MODE: Ctrl-C (or SIGTERM) sent to a real vmmsim process (issue 11
# item 3). MODE explore: a long exploration is signalled once its header is out; it must exit 130,
# print the summary so far and write its --report with "interrupted": true. MODE run: a run that
# never ends is signalled once its body has started (the body creates a marker file); it must exit
# 130, print the ending and say it was interrupted, and its --trace must end with the outcome.
# MODE explore_prove_fork (explore_prove_rerun): the same for explore --prove --branch-by fork
# (rerun): it says the proof is incomplete, and no process of the search is left behind.
# MODE run_finalizer: a __gc finalizer that never returns (Lua runs finalizers with no hook, so
# neither --max-steps nor the first signal can stop it): the second signal ends the process.
set -u
vmmsim=$1 work=$2 sig=$3 mode=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
jobs=1 prove="" finalizer=""
[ "$mode" = run_finalizer ] && mode=run && finalizer=1
[ "$mode" = explore_jobs2 ] && mode=explore && jobs=2
[ "$mode" = explore_prove_fork ] && mode=explore && prove="--prove --branch-by fork"
[ "$mode" = explore_prove_rerun ] && mode=explore && prove="--prove --branch-by rerun"
if [ "$mode" = explore ]; then
  # Twelve threads that tie at every step: far more schedules than any machine runs in a test.
  cat > long.lua <<'LUA'
for i = 1, 12 do vmm.create_thread{name = "T" .. i, body = function() for _ = 1, 4 do vmm.ring3(1) end end} end
LUA
  # The report's path names this work directory, so the search's processes can be told from others.
  # shellcheck disable=SC2086
  "$vmmsim" explore long.lua --jobs $jobs --schedules 1000000000 $prove --report "$PWD/report.json" > out.txt 2> err.txt &
  ready="grep -q '^explore long.lua' out.txt"
elif [ -n "$finalizer" ]; then
  cat > long.lua <<'LUA'
vmm.create_thread{name = "A", body = function()
  setmetatable({}, {__gc = function() io.open("started", "w"):close() while true do end end})
  collectgarbage()
end}
LUA
  "$vmmsim" run long.lua --max-steps 5000 > out.txt 2> err.txt &
  ready="test -e started"
else
  cat > long.lua <<'LUA'
vmm.config{max_time = 1e12}
vmm.create_thread{name = "A", body = function()
  io.open("started", "w"):close()
  while true do vmm.ring3(1) end
end}
LUA
  "$vmmsim" run long.lua --trace trace.jsonl > out.txt 2> err.txt &
  ready="test -e started"
fi
pid=$!
i=0
until eval "$ready"; do
  i=$((i + 1))
  if [ $i -gt 600 ]; then echo "vmmsim did not start within 60 s"; kill -KILL $pid; exit 1; fi
  sleep 0.1
done
sleep 0.5
fail() { echo "$1"; echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt; exit 1; }
kill -"$sig" $pid
if [ -n "$finalizer" ]; then
  sleep 0.5
  kill -"$sig" $pid 2> /dev/null  # the second signal: the default action, at once
  i=0
  while kill -0 $pid 2> /dev/null; do
    i=$((i + 1))
    [ $i -gt 100 ] && { kill -KILL $pid; fail "two signals did not end a run whose finalizer loops"; }
    sleep 0.1
  done
  wait $pid
  code=$?
  [ $code -ge 128 ] || fail "exit code $code, expected 130 or death by SIG$sig"
  echo "the signals ended the looping finalizer (exit $code)"
  exit 0
fi
wait $pid
code=$?
[ $code -eq 130 ] || fail "exit code $code, expected 130"
if [ "$mode" = explore ] && [ -n "$prove" ]; then
  grep -q "^no failure so far: interrupted by SIG$sig after [0-9]* states: the proof is incomplete" out.txt ||
    fail "no interrupted line"
  grep -q "^summary: [1-9][0-9]* state" out.txt || fail "no summary"
  grep -q '"interrupted": true' report.json || fail "the report does not say it was interrupted"
  grep -q '"proved": false' report.json || fail "the report does not say nothing was proved"
  pgrep -f "$PWD/report.json" > /dev/null && fail "a process of the search was left behind"
elif [ "$mode" = explore ]; then
  grep -q "^no failure so far: interrupted by SIG$sig after [0-9]* schedules" out.txt || fail "no interrupted line"
  grep -q "^summary: [0-9]* schedules" out.txt || fail "no summary"
  grep -q '"interrupted": true' report.json || fail "the report does not say it was interrupted"
  grep -q '"schedules": [1-9]' report.json || fail "the report has no schedules"
  ls -a | grep -q vmmsim- && fail "a temporary report file was left behind"
else
  grep -qE "^error: interrupted (at|while Lua code ran at)" out.txt || fail "no interrupted ending"
  grep -q "interrupted by SIG$sig: the log above is the run so far" err.txt || fail "no interrupted message"
  tail -n 1 trace.jsonl | grep -q '"kind":"outcome"' || fail "the trace does not end with its outcome"
fi
echo "interrupted cleanly"
