#!/usr/bin/env bash
# callgrind-event-path.sh: instructions per operation on the event path and the block/signal round
# trip, with the baselines, counted by valgrind --tool=callgrind (load does not change them).
#
#   scripts/callgrind-event-path.sh [BUILD_DIR]     (default build-release; `make bench` builds it)
#
# Each mode of vmmsim_count runs twice, with N1 and N2 operations; (Ir(N2) - Ir(N1)) / (N2 - N1) is
# the cost of one operation without start-up and set-up. The N2 run's profile is kept in
# callgrind-out/ for `callgrind_annotate callgrind-out/callgrind.MODE.out`.
set -euo pipefail
build=${1:-build-release}
count=$build/vmmsim_count
n1=2000
n2=22000
[ -x "$count" ] || { echo "no $count: run 'make bench' first" >&2; exit 2; }
command -v valgrind > /dev/null || { echo "valgrind is not installed" >&2; exit 2; }
mkdir -p callgrind-out

collected() {  # collected MODE N OUTFILE -> total instructions of one run
  valgrind --tool=callgrind --callgrind-out-file="$3" "$count" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-12s %s\n' mode instructions/op
for mode in event asio deque round_trip context; do
  small=$(collected "$mode" $n1 /dev/null)
  large=$(collected "$mode" $n2 "callgrind-out/callgrind.$mode.out")
  printf '%-12s %d\n' "$mode" $(( (large - small) / (n2 - n1) ))
done
