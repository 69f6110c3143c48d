/*
 * vmm_sched.pml: the VMM scheduling rules shared by the four models in bench/spin/.
 *
 * The rules are docs/model.md's (section 1, the scheduler; section 6, _BlockOnID/_SignalID, after
 * the DDK page "_BlockOnID"), as vmmsim implements them. Only what the
 * scenarios need is modelled; what is left out, and why that is safe for these scenarios, is said
 * where it would go.
 *
 * Abstraction:
 *  - One CPU. `cur` is the thread that holds it. A thread executes a statement only while it holds
 *    the CPU, so the only interleavings are the ones the VMM's scheduler allows, and every choice
 *    the seeds leave open appears as a nondeterministic choice of SPIN.
 *  - Time is not modelled. The scenarios run no ring-3 code outside nested execution, so no time
 *    slice ever ends with an equal-priority thread to rotate to (model.md section 2), and nothing
 *    in them is due at a time (no interrupts, no time-outs).
 *  - A model file defines, before including this one: N (threads), HAS_EVENTS(t) (thread t has an
 *    event whose restrictions hold for it), and inline process_events(me) (run the callbacks of
 *    every event processable by me, seed 000 / model.md section 4).
 *
 * What counts as failure (the run's outcome in vmmsim, model.md section 6):
 *  - stuck (exit 3): no thread can run while some thread's body is unfinished. Here: every process
 *    is blocked (SPIN's `timeout`) while some thread is not DONE; the watchdog's assertion fails.
 *  - starved (exit 4): an eligible thread is kept from the CPU forever. Every scenario is finite
 *    (each body ends after a bounded amount of work when it gets the CPU), so an infinite run is
 *    exactly such a livelock; the models carry no progress label, so every cycle is a non-progress
 *    cycle (pan compiled with -DNP, run with -l).
 */

#ifndef N
#define N 2
#endif

#define NONE    255
#define NOPRIO  (-1)

/* Thread states (model.md section 1). No VM is ever suspended in these scenarios. */
#define READY   0   /* not blocked: running, preempted, or not started yet */
#define BLOCKED 1   /* blocked on a block ID (_BlockOnID, seed 002) */
#define DONE    2   /* its body returned */

byte  state[N];
short prio[N];        /* execution priority = base priority + boosts held (model.md section 1) */
bit   svc[N];         /* blocked with Block_Svc_Ints: "blocked servicing events" (seed 000) */
byte  blockid[N];     /* the ID it is blocked on; 0 when not blocked */
byte  cur = NONE;     /* who holds the CPU; NONE while the scheduler is choosing */
short top = NOPRIO;   /* while cur == NONE: the priority the scheduler will run, the highest
                         priority among eligible threads (NOPRIO: none is eligible) */
byte  i;              /* scratch, used inside d_step only (always N outside) */

/* seed 000: the scheduler chooses "the highest-priority thread in the system which satisfies
   (Not suspended) and ((Is not blocked) or ((Is blocked servicing events) and (contains events
   which have met the restrictions)))". */
#define ELIGIBLE(t) (state[t] == READY || (state[t] == BLOCKED && svc[t] && HAS_EVENTS(t)))

inline compute_top() {
  top = NOPRIO;
  for (i : 0 .. N-1) {
    if
    :: ELIGIBLE(i) && prio[i] > top -> top = prio[i]
    :: else
    fi
  }
}

/* The running thread gives the CPU up (it blocked, finished, or is preempted): the scheduler
   will run a thread of priority `top`. */
inline switch_out() {
  compute_top();
  cur = NONE
}

/* A thread gets the CPU when it is eligible and of the top priority. Several such threads
   (ties) all have this statement enabled: SPIN tries each, which is the explorer's thread_tie
   choice (model.md section 2: "the explorer treats every tie as a choice point"). */
inline take_cpu(me) {
  atomic { cur == me || (cur == NONE && ELIGIBLE(me) && prio[me] == top) -> cur = me; top = NOPRIO }
}

/* An event processing point of the running thread `me` inside nested execution (Resume_Exec,
   seed 000 / model.md section 4 item 2): it processes its processable events, and only then may be
   switched, and only for a strictly higher priority: "a thread inside a nested execution block is
   never rotated away for an equal-priority thread, only preempted by a strictly higher one"
   (model.md section 2; seed 000: "the scheduler only pays attention to the highest-priority
   unblocked thread"). */
inline nested_processing_point(me) {
  process_events(me);
  d_step {
    compute_top();
    if
    :: top > prio[me] -> cur = NONE
    :: else -> top = NOPRIO
    fi
  }
  take_cpu(me)
}

/* _BlockOnID(id, flags) (seed 002): "This service always blocks the current thread on the ID
   passed." With Block_Svc_Ints the thread, while blocked, is scheduled like a ready one whenever
   it has processable events, processes them, and blocks again unless its wait has been satisfied
   meanwhile (seed 000 "blocked servicing events"; model.md section 2). It returns once woken by
   _SignalID and given the CPU again. */
inline block_on_id(me, id, withsvc) {
  d_step { state[me] = BLOCKED; blockid[me] = id; svc[me] = withsvc; switch_out() }
  do
  :: atomic { cur == NONE && state[me] == BLOCKED && ELIGIBLE(me) && prio[me] == top ->
              cur = me; top = NOPRIO };
     process_events(me);
     if
     :: state[me] == BLOCKED -> d_step { switch_out() }  /* blocks again */
     :: else -> break  /* woken meanwhile (not reached in these scenarios) */
     fi
  :: atomic { cur == NONE && state[me] == READY && prio[me] == top -> cur = me; top = NOPRIO };
     break
  od
}

/* _SignalID(id) (seed 002; model.md section 5): wakes every thread blocked on id now and
   remembers nothing: a signal before the block is lost. The woken threads become ready; the
   running thread keeps the CPU (a wake-up takes effect at the next switch, model.md section 2). */
inline signal_id(id) {
  for (i : 0 .. N-1) {
    if
    :: state[i] == BLOCKED && blockid[i] == id -> state[i] = READY; blockid[i] = 0; svc[i] = 0
    :: else
    fi
  }
}

/* The body returns. */
inline finish(me) {
  d_step { state[me] = DONE; switch_out() }
}

/* stuck (model.md section 6): no thread can move while some body is unfinished. */
active proctype watchdog() {
  timeout -> d_step { for (i : 0 .. N-1) { assert(state[i] == DONE) } }
}
