// Thread states, the ready queues and the choice of the next thread (seL4 thread.c and the
// scheduling half of statedata.c, non-MCS). Every kernel entry ends with schedule() and then
// activate_thread(ks.cur_thread).
#pragma once

#include "kernel/object/tcb.h"

namespace keel {

bool is_runnable(const Tcb* t);
// Sets the state; if the current thread stops being runnable, a new one will be chosen.
void set_thread_state(Tcb* t, ThreadState s);

// Ready queues. Enqueue puts a thread at the head of its queue, append at the tail; both do
// nothing to a thread already queued, dequeue nothing to one that is not.
void tcb_sched_enqueue(Tcb* t);
void tcb_sched_append(Tcb* t);
void tcb_sched_dequeue(Tcb* t);

// The current thread must give way at the end of this entry (it is re-queued at the head if it
// is still runnable, so it keeps its turn unless a higher priority is ready).
void reschedule_required();
// A thread became runnable: run it at the end of this entry if it should preempt, else queue it.
void possible_switch_to(Tcb* t);

// seL4 schedule's test for a switch candidate: it runs unless it is below the current thread
// (or the current thread is idle) and a higher priority is queued in the current domain; the
// queues are not looked at for a candidate at or above the current thread.
bool candidate_may_run(const Tcb* candidate);
// The thread becomes the current one: out of its ready queue, its FPU state in place (seL4
// switchToThread). Boot makes the root task current this way too.
void switch_to_thread(Tcb* t);

// Carries out the scheduler action: afterwards ks.cur_thread is the thread to run (possibly
// the idle thread) and the action is ResumeCurrentThread.
void schedule();
// Prepares the current thread to return to user mode (Restart re-executes its syscall).
void activate_thread(Tcb* t);

// The kernel tick: the current thread's time slice and the domain's time run down.
void timer_tick();
// seL4_Yield: the current thread goes to the tail of its queue and a thread is chosen anew.
void handle_yield();

// Highest priority with a queued thread in `domain` (only meaningful if one is queued).
word_t highest_ready_priority(word_t domain);
// The ready queues' invariants, checked in host debug builds: links agree both ways, every
// queued thread is runnable, flagged queued and in the queue of its (domain, priority), the
// bitmap marks exactly the non-empty queues, the current thread is not queued and no decision
// is pending. True when all hold; otherwise false with a reason in `why`.
[[nodiscard]] bool check_scheduler_invariants(char* why, size_t why_len);

// Boot: the idle thread (a kernel-owned TCB that never holds caps or enters a queue) and the
// domain schedule (domain 0 for ever, then an end marker), as seL4 starts.
void init_scheduler();

}  // namespace keel
