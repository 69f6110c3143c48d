/*
 * lost_wakeup_buggy.pml: seed 002's lost wake-up, scaled to N threads.
 * Lua twin: scenarios/lost_wakeup_buggy.lua.
 *
 * Threads 0 .. N-2 are drivers D_1 .. D_{N-1}; thread N-1 is the device thread DEV. Each driver has
 * a disk request in flight (started at set-up) and waits for it with _BlockOnID(its ID, 0). DEV
 * completes every request and signals each request's ID. All threads have priority 0: which runs
 * first is a tie, a free choice of the scheduler (model.md section 2). In creation order every
 * driver blocks before DEV runs and all is well; but if DEV runs before some driver has called
 * _BlockOnID, "the operation completes and the Block ID is signalled before the virtual device gets
 * to call _BlockOnID ... The virtual device ends up blocking waiting for a signal that has already
 * arrived" (seed 002): _SignalID remembers nothing, the driver blocks forever. SPIN reports the
 * watchdog's assertion: no thread can run while a driver's body is unfinished (vmmsim: stuck,
 * exit 3, "lost wake-up").
 *
 *   spin -DN=4 -a lost_wakeup_buggy.pml && gcc -O2 -DNP -o pan pan.c && ./pan -l
 */
#ifndef N
#define N 2
#endif
#define DEV (N-1)

/* No event is ever queued in this scenario. */
#define HAS_EVENTS(t) 0
inline process_events(me) { skip }

#include "vmm_sched.pml"

/* Driver D_{me+1}, blocked on ID me+1 (IDs are distinct per request; 0 means "none"). */
proctype Driver(byte me) {
  take_cpu(me);
  block_on_id(me, me + 1, 0);    /* vmm._BlockOnID(id, 0): no Block_* flags, services no events */
  finish(me)                     /* vmm.log("request complete") */
}

proctype Device() {
  take_cpu(DEV);
  /* for every request: complete it, _SignalID(its ID). No processing point or switch point lies
     between the signals, so the loop is one step. */
  d_step {
    byte k;
    for (k : 0 .. N-2) { signal_id(k + 1) }
  }
  finish(DEV)
}

init {
  atomic {
    for (i : 0 .. N-1) { prio[i] = 0; state[i] = READY }
    for (i : 0 .. N-2) { run Driver(i) }   /* drivers are created first, DEV last */
    run Device();
    compute_top()                           /* every thread ready at priority 0: a tie */
  }
}
