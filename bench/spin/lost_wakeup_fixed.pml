/*
 * lost_wakeup_fixed.pml: seed 002's lost wake-up, fixed with the seed's flag, scaled to N threads.
 * Lua twin: scenarios/lost_wakeup_fixed.lua.
 *
 * The same threads as lost_wakeup_buggy.pml: drivers 0 .. N-2 each wait for their own request, the
 * device thread N-1 completes every request and signals its ID, all at priority 0. The fix is the
 * seed's: "Typically a user maintained flag is used for this. The flag is set before calling
 * _BlockOnID the first time and cleared when _SignalID is called." Each request's `pending` flag
 * is set when the request is started (at set-up, before any thread runs); DEV clears it before
 * signalling; a driver blocks only while its flag is still set, and re-checks after every wake-up
 * (a wake-up may be spurious, seed 002). SPIN verifies, over every tie order, that no run is stuck
 * and none loops forever: vmmsim exit 0 in every schedule.
 *
 *   spin -DN=4 -a lost_wakeup_fixed.pml && gcc -O2 -DNP -o pan pan.c && ./pan -l
 */
#ifndef N
#define N 2
#endif
#define DEV (N-1)

#define HAS_EVENTS(t) 0
inline process_events(me) { skip }

#include "vmm_sched.pml"

bit pending[N];   /* pending[d]: driver d's request has not completed yet */

proctype Driver(byte me) {
  take_cpu(me);
  do                                        /* while pending do _BlockOnID(id, 0) end */
  :: pending[me] -> block_on_id(me, me + 1, 0)
  :: else -> break
  od;
  finish(me)
}

proctype Device() {
  take_cpu(DEV);
  d_step {
    byte k;
    for (k : 0 .. N-2) { pending[k] = 0; signal_id(k + 1) }   /* clear the flag, then signal */
  }
  finish(DEV)
}

init {
  atomic {
    for (i : 0 .. N-1) { prio[i] = 0; state[i] = READY }
    for (i : 0 .. N-2) { pending[i] = 1 }   /* set before the request starts, so before any block */
    for (i : 0 .. N-2) { run Driver(i) }
    run Device();
    compute_top()
  }
}
