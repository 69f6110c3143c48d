/*
 * resume_exec_buggy.pml: seed 000's Resume_Exec deadlock, scaled to N threads.
 * Lua twin: scenarios/resume_exec_buggy.lua (N = 2 is examples/resume_exec_deadlock.lua).
 *
 * Thread 0 is B, the server: it blocks on ID IDLE with Block_Svc_Ints, so it is "blocked servicing
 * events" (seed 000). Threads 1 .. N-1 are clients A_1 .. A_{N-1}: each "initiates an asynchronous
 * operation, then goes into a Resume_Exec loop, processing events and checking for the
 * asynchronous operation to complete" (seed 000); the completion is an event callback whose event is
 * scheduled for thread B. All threads have priority 0x100. Here the client passes no priority boost
 * with the event ("Forgetting to pass a priority value in the EAX register is a common error",
 * seed 001 Call_Restricted_Event), so B's priority does not exceed the client's, and "the event
 * will never be processed" (seed 000): the first client to enter its loop spins forever while B,
 * eligible, never gets the CPU. SPIN reports a non-progress cycle (vmmsim: starved, exit 4).
 * The last client to finish signals IDLE so that B's body ends too.
 *
 *   spin -DN=4 -a resume_exec_buggy.pml && gcc -O2 -DNP -o pan pan.c && ./pan -l
 */
#ifndef N
#define N 2
#endif
#define B      0
#define IDLE   1      /* the block ID "B-idle" */
#define BASE   256    /* 0x100, every thread's base priority */
#define BOOST  0      /* the bug: no boost passed with the event */

bit  pend[N];         /* pend[a]: client a's thread event for B is queued (PEF_Thread_Event) */
byte npend;           /* how many are queued */
bit  done[N];         /* done[a]: client a's operation has completed (its callback ran) */
byte nfinished;       /* clients whose body has returned */

/* Thread events for B only: "processable for thread T: ... events for T whose restrictions all
   hold" (model.md section 3). The flags are PEF_Thread_Event | PEF_Always_Sched: no restriction. */
#define HAS_EVENTS(t) ((t) == B && npend > 0)

/* Event callbacks, run only in B's context. Thread event boost: onto B when queued, removed after
   the callback (model.md section 3). Order: at most one event is ever pending when B processes
   (it preempts the queuing client at that client's first Resume_Exec), so the freedom of order
   (seed 000: "no guarantee on the order in which events are processed") has nothing to choose
   from, and a FIFO scan is exact. */
inline process_events(me) {
  d_step {
    if
    :: me == B ->
       for (i : 1 .. N-1) {
         if
         :: pend[i] -> pend[i] = 0; npend--; prio[B] = prio[B] - BOOST; done[i] = 1
         :: else
         fi
       }
    :: else
    fi
  }
}

#include "vmm_sched.pml"

proctype Server() {
  take_cpu(B);
  block_on_id(B, IDLE, 1);       /* vmm._BlockOnID("B-idle", vmm.Block_Svc_Ints) */
  finish(B)
}

proctype Client(byte me) {
  take_cpu(me);
  /* Call_Restricted_Event(BOOST, B, PEF_Thread_Event | PEF_Always_Sched, 0, cb): always
     scheduled (never called at once); its boost goes onto B now (model.md section 3). */
  d_step { pend[me] = 1; npend++; prio[B] = prio[B] + BOOST }
  /* Begin_Nest_Exec(); while not done do Resume_Exec() end -- each Resume_Exec is an event
     processing point (seed 000: "a nested execution service like Resume_Exec ... is about to
     transfer control to ring 3 code"). */
  do
  :: done[me] -> break
  :: else -> nested_processing_point(me)
  od;
  /* End_Nest_Exec(); the last client signals B's ID; the body returns. (atomic, not d_step:
     the loop's break may not jump into a d_step.) */
  atomic {
    nfinished++;
    if
    :: nfinished == N-1 -> signal_id(IDLE)
    :: else
    fi;
    state[me] = DONE;
    switch_out()
  }
}

init {
  atomic {
    for (i : 0 .. N-1) { prio[i] = BASE; state[i] = READY }
    run Server();                 /* created first, as in examples/resume_exec_deadlock.lua */
    for (i : 1 .. N-1) { run Client(i) }
    compute_top()                 /* every thread ready at 0x100: the first pick is a tie */
  }
}
