// Scheduling in the abstract: thread states, ready queues as lists, and the choice of the next
// thread (seL4's non-MCS rules, l4v Schedule_A). Every kernel entry ends with schedule().
#pragma once

#include "state.h"

namespace keel::spec {

bool is_runnable(const Thread& t);
// Blocked in IPC (on an endpoint, a reply or a notification): seL4's cancelIPC has work to do.
bool is_blocked(const Thread& t);
// seL4 isStopped: inactive or blocked; only such a thread can be restarted.
bool is_stopped(const Thread& t);
// Sets the state (the blocking fields go back to their defaults); the current thread stopping
// means a new one must be chosen.
void set_thread_state(State& s, paddr_t tcb, ThreadState st);
// The same for a Blocked* state, with what the thread is blocked on and with.
void set_blocked_state(State& s, paddr_t tcb, ThreadState st, const IpcBlock& b);

// Enqueue puts a thread at the head of its (domain, priority) queue, append at the tail; a
// thread already queued stays where it is. Dequeue of an unqueued thread does nothing.
void sched_enqueue(State& s, paddr_t tcb);
void sched_append(State& s, paddr_t tcb);
void sched_dequeue(State& s, paddr_t tcb);
bool is_queued(const State& s, paddr_t tcb);

// seL4 suspend: the thread's IPC is cancelled (cancel_ipc), then it stops (Inactive) and leaves
// its ready queue; a Running thread will restart at NextIP (seL4 updateRestartPC), one in
// Restart at its FaultIP.
void suspend(State& s, paddr_t tcb);
// seL4 restart: a stopped thread's IPC is cancelled, it gets its master reply cap (if its reply
// slot is empty), goes to Restart at the head of its ready queue, and may preempt the current
// thread. A thread that is not stopped is left alone.
void restart(State& s, paddr_t tcb);
// seL4 setPriority (non-MCS): out of its queue, the new priority, and a runnable thread is
// either rescheduled (the current one) or offered to the scheduler (it is not re-queued first).
void set_priority(State& s, paddr_t tcb, word_t prio);
// seL4 setDomain: out of its queue, the new domain, back at the head of the new domain's queue
// if runnable; the current thread forces a new choice.
void set_domain(State& s, paddr_t tcb, word_t domain);

void reschedule_required(State& s);
void possible_switch_to(State& s, paddr_t tcb);
// Carries out the decision: afterwards cur_thread is the thread to run (none = idle).
void schedule(State& s);
// Every kernel entry ends alike: the scheduler's decision is carried out and the thread chosen
// leaves Restart to re-execute the instruction at its FaultIP (seL4 activateThread).
void end_kernel_entry(State& s);
// seL4_Yield.
void yield(State& s);
// The kernel tick (a timer interrupt): time slices and the domain's time run down.
void timer_tick(State& s);

// seL4 nextDomain: the next entry of the domain schedule, or back to the start entry at an end
// marker; its domain becomes current for its length.
void next_domain(State& s);

// Scheduler invariants: a queued thread is runnable, in the queue of its own (domain,
// priority), and in one queue once; the current thread is not queued; priorities are below
// kNumPriorities; tcbFlags hold only kTcbFlagMask bits. Domain invariants: every domain named
// is below kNumDomains; an entry of length 0 is the end marker (domain 0); the last entry is an
// end marker; lengths fit in 56 bits; the start entry is not an end marker; the domain time
// left is never 0 between kernel entries.
void check_scheduler_invariants(const State& s, std::vector<std::string>& bad);

}  // namespace keel::spec
