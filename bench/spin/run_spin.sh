#!/usr/bin/env bash
# run_spin.sh: SPIN's side of the vmmsim/SPIN comparison (issue 3, item 7).
#
# For every model and N, end to end in a fresh temporary directory: `spin -DN=$N -a MODEL.pml`,
# `gcc $CC_OPT -DNP $PAN_CFLAGS -o pan pan.c`, `./pan -l -m$DEPTH $PAN_RUNFLAGS`; each phase timed on
# CLOCK_MONOTONIC (a small C timer built once per invocation, so process start-up of a clock
# program is not counted). pan stops at the first error (buggy forms: the time to the first
# counterexample) or searches the whole state space (fixed forms: the proof). Prints one JSON
# object per run on stdout:
#   {"model":..., "n":..., "rep":..., "config":..., "spin_ms":..., "cc_ms":..., "pan_ms":...,
#    "total_ms":..., "pan_cpu_ms":..., "cpu_total_ms":..., "errors":..., "error":"<pan's first error line>", "states_stored":...,
#    "states_matched":..., "transitions":..., "depth":..., "memory_mb":..., "search_complete":...,
#    "expected":"counterexample"|"verified", "ok":true|false}
# and, with FORMAT=tsv, a tab-separated table instead. Exits 1 if any run did not give the
# expected outcome (a buggy form without an error, a fixed form with one or with an incomplete
# search). Leaves nothing behind outside its temporary directory, which it removes.
#
# Environment (all optional):
#   MODELS     models to run (default: the four *_buggy / *_fixed models)
#   NS         values of N (default: 2 4 6 8)
#   REPS       repetitions of each run (default 1)
#   PAN_MODE   np (default): -DNP, pan -l: finds both a stuck run (the watchdog's assertion) and an
#              endless one (non-progress cycle), the two failures vmmsim reports (exit 3 and 4).
#              safety: -DSAFETY, pan: assertions and invalid end states only (stuck runs only; not
#              enough to prove the fixed forms, nor to find the Resume_Exec hang).
#   PAN_CFLAGS extra compile flags for pan, e.g. -DCOLLAPSE (state compression) or -DREVERSE
#              (try processes in creation order first). -DBITSTATE is refused: not a proof.
#   PAN_RUNFLAGS extra pan flags, e.g. -w18 (a hash table of 2^18 slots instead of pan's 2^24:
#              less memory to clear for these small state spaces)
#   CC_OPT     gcc optimisation (default -O2)
#   DEPTH      pan -m (default 10000, pan's own default); a search that hits it is reported
#              incomplete (search_complete false) and a fixed form's run then counts as failed.
#   FORMAT     jsonl (default) or tsv
# With REPS > 1, a table of medians per model and N follows on stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODELS=${MODELS:-"resume_exec_buggy resume_exec_fixed lost_wakeup_buggy lost_wakeup_fixed"}
NS=${NS:-"2 4 6 8"}
REPS=${REPS:-1}
PAN_MODE=${PAN_MODE:-np}
PAN_CFLAGS=${PAN_CFLAGS:-}
DEPTH=${DEPTH:-10000}
PAN_RUNFLAGS=${PAN_RUNFLAGS:-}
CC_OPT=${CC_OPT:--O2}
FORMAT=${FORMAT:-jsonl}

for tool in spin gcc; do
  command -v "$tool" >/dev/null || { echo "run_spin.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
case "$PAN_CFLAGS" in *BITSTATE*) echo "run_spin.sh: -DBITSTATE is not an exhaustive search" >&2; exit 2;; esac
case "$PAN_MODE" in
  np)     mode_cflags="-DNP"; pan_flags="-l" ;;
  safety) mode_cflags="-DSAFETY"; pan_flags="" ;;
  *) echo "run_spin.sh: PAN_MODE is np or safety" >&2; exit 2 ;;
esac
config="gcc $CC_OPT $mode_cflags${PAN_CFLAGS:+ $PAN_CFLAGS}; pan $pan_flags${pan_flags:+ }-m$DEPTH${PAN_RUNFLAGS:+ $PAN_RUNFLAGS}"

work=$(mktemp -d "${TMPDIR:-/tmp}/vmmsim-spin.XXXXXX")
trap 'rm -rf "$work"' EXIT

# timed NSFILE CMD...: runs CMD, writes its wall time (CLOCK_MONOTONIC) and its CPU time (user +
# system, from wait4) in ns to NSFILE, exits with CMD's status.
gcc -O2 -o "$work/timed" "$here/timed.c"
timed=$work/timed

ms() { awk '{ printf "%.1f", $1 / 1e6 }' "$1"; }      # wall ms
cpu_ms() { awk '{ printf "%.1f", $2 / 1e6 }' "$1"; }  # CPU ms
# field REGEX FILE: the number before REGEX on pan's report line, or 0
field() { awk -v re="$1" '$0 ~ re { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.e+]+$/) { print $i; exit } }' "$2" | head -1; }
json_str() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

[ "$FORMAT" = tsv ] && printf 'model\tn\trep\tspin_ms\tcc_ms\tpan_ms\ttotal_ms\tpan_cpu_ms\tcpu_total_ms\terrors\tstates_stored\ttransitions\tdepth\tmemory_mb\tcomplete\tok\terror\n'
bad=0
for model in $MODELS; do
  [ -f "$here/$model.pml" ] || { echo "run_spin.sh: no model $here/$model.pml" >&2; exit 2; }
  case "$model" in *_buggy) expected=counterexample ;; *) expected=verified ;; esac
  for n in $NS; do
    for rep in $(seq 1 "$REPS"); do
      dir="$work/$model-$n-$rep"
      mkdir "$dir"
      cp "$here/$model.pml" "$here/vmm_sched.pml" "$dir/"
      (
        cd "$dir"
        "$timed" spin.ns spin "-DN=$n" -a "$model.pml" > spin.out 2>&1 || { cat spin.out >&2; exit 1; }
        # shellcheck disable=SC2086  # flags are word lists
        "$timed" cc.ns gcc $CC_OPT $mode_cflags $PAN_CFLAGS -o pan pan.c > cc.out 2>&1 || { cat cc.out >&2; exit 1; }
        # shellcheck disable=SC2086
        "$timed" pan.ns ./pan $pan_flags "-m$DEPTH" $PAN_RUNFLAGS > pan.out 2>&1 || true
      ) || { echo "run_spin.sh: $model N=$n failed to build" >&2; exit 1; }
      out=$dir/pan.out
      spin_ms=$(ms "$dir/spin.ns"); cc_ms=$(ms "$dir/cc.ns"); pan_ms=$(ms "$dir/pan.ns")
      total_ms=$(awk -v a="$spin_ms" -v b="$cc_ms" -v c="$pan_ms" 'BEGIN { printf "%.1f", a + b + c }')
      cpu_total_ms=$(awk -v a="$(cpu_ms "$dir/spin.ns")" -v b="$(cpu_ms "$dir/cc.ns")" -v c="$(cpu_ms "$dir/pan.ns")" \
        'BEGIN { printf "%.1f", a + b + c }')
      pan_cpu_ms=$(cpu_ms "$dir/pan.ns")
      errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$out" | head -1)
      error=$(grep -m1 '^pan:[0-9]*:' "$out" || true)
      stored=$(field 'states, stored' "$out"); matched=$(field 'states, matched' "$out")
      transitions=$(field 'transitions \(' "$out")
      depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$out" | head -1)
      memory=$(field 'total actual memory usage' "$out")
      complete=true
      grep -q 'max search depth too small' "$out" && complete=false
      if [ -z "$errors" ]; then
        echo "run_spin.sh: $model N=$n: pan gave no report:" >&2; cat "$out" >&2; exit 1
      fi
      ok=false
      if [ "$expected" = counterexample ]; then [ "$errors" -gt 0 ] && ok=true
      else [ "$errors" -eq 0 ] && [ "$complete" = true ] && ok=true
      fi
      [ "$ok" = true ] || bad=1
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$n" "$spin_ms" "$cc_ms" "$pan_ms" "$total_ms" \
        "$pan_cpu_ms" "$cpu_total_ms" "$errors" "${stored:-0}" >> "$work/all.tsv"
      if [ "$FORMAT" = tsv ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$model" "$n" "$rep" \
          "$spin_ms" "$cc_ms" "$pan_ms" "$total_ms" "$pan_cpu_ms" "$cpu_total_ms" "$errors" "${stored:-0}" "${transitions:-0}" \
          "${depth:-0}" "${memory:-0}" "$complete" "$ok" "$error"
      else
        printf '{"model":"%s","n":%s,"rep":%s,"config":"%s","spin_ms":%s,"cc_ms":%s,"pan_ms":%s,"total_ms":%s,"pan_cpu_ms":%s,"cpu_total_ms":%s,"errors":%s,"error":"%s","states_stored":%s,"states_matched":%s,"transitions":%s,"depth":%s,"memory_mb":%s,"search_complete":%s,"expected":"%s","ok":%s}\n' \
          "$model" "$n" "$rep" "$(json_str "$config")" "$spin_ms" "$cc_ms" "$pan_ms" "$total_ms" \
          "$pan_cpu_ms" "$cpu_total_ms" "$errors" "$(json_str "$error")" "${stored:-0}" "${matched:-0}" "${transitions:-0}" \
          "${depth:-0}" "${memory:-0}" "$complete" "$expected" "$ok"
      fi
      rm -rf "$dir"
    done
  done
done
if [ "$REPS" -gt 1 ]; then
  # medians per model and N (the lower middle for an even REPS)
  {
    printf 'median of %s runs: model\tn\tspin_ms\tcc_ms\tpan_ms\ttotal_ms\tpan_cpu_ms\tcpu_total_ms\terrors\tstates_stored\n' "$REPS"
    awk -F'\t' '{ k = $1 "\t" $2; if (!(k in seen)) { seen[k] = 1; order[++m] = k }
                   for (c = 3; c <= 8; c++) v[k, c, ++cnt[k, c]] = $c; e[k] = $9; s[k] = $10 }
      function med(k, c,   n, i, j, t, a) { n = cnt[k, c]; for (i = 1; i <= n; i++) a[i] = v[k, c, i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        return a[int((n + 1) / 2)] }
      END { for (i = 1; i <= m; i++) { k = order[i]
              printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k, med(k, 3), med(k, 4), med(k, 5), med(k, 6), med(k, 7), med(k, 8), e[k], s[k] } }' "$work/all.tsv"
  } >&2
fi
exit "$bad"
