// Scheduling in the abstract: thread states, ready queues as lists, and the choice of the next
// thread (seL4's non-MCS rules, l4v Schedule_A). Every kernel entry ends with schedule().
#pragma once

#include "state.h"

namespace keel::spec {

bool is_runnable(const Thread& t);
// Sets the state; the current thread stopping means a new one must be chosen.
void set_thread_state(State& s, paddr_t tcb, ThreadState st);

// Enqueue puts a thread at the head of its (domain, priority) queue, append at the tail; a
// thread already queued stays where it is. Dequeue of an unqueued thread does nothing.
void sched_enqueue(State& s, paddr_t tcb);
void sched_append(State& s, paddr_t tcb);
void sched_dequeue(State& s, paddr_t tcb);
bool is_queued(const State& s, paddr_t tcb);

// seL4 suspend: the thread stops (Inactive) and leaves its ready queue.
void suspend(State& s, paddr_t tcb);

void reschedule_required(State& s);
void possible_switch_to(State& s, paddr_t tcb);
// Carries out the decision: afterwards cur_thread is the thread to run (none = idle).
void schedule(State& s);
// seL4_Yield.
void yield(State& s);
// The kernel tick (a timer interrupt): time slices and the domain's time run down.
void timer_tick(State& s);

// Scheduler invariants: a queued thread is runnable, in the queue of its own (domain,
// priority), and in one queue once; the current thread is not queued; priorities are below
// kNumPriorities.
void check_scheduler_invariants(const State& s, std::vector<std::string>& bad);

}  // namespace keel::spec
