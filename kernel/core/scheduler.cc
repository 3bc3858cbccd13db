// The non-MCS scheduler, as seL4's thread.c defines it: per-(domain, priority) ready queues
// with a two-level bitmap, a scheduler action decided during the entry and carried out once at
// its end, round-robin time slices and a domain schedule driven by the kernel tick.
#include "kernel/core/scheduler.h"

#include "kernel/core/fpu.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/string.h"
#include "kernel/machine/machine.h"

namespace keel {

namespace {

ThreadQueue& queue_of(const Tcb* t) { return ks.ready_queues[t->domain][t->priority]; }

void bitmap_set(word_t domain, word_t prio) {
  ks.ready_l2[domain][prio / 64] |= word_t{1} << (prio % 64);
  ks.ready_l1[domain] |= word_t{1} << (prio / 64);
}

void bitmap_clear(word_t domain, word_t prio) {
  word_t& l2 = ks.ready_l2[domain][prio / 64];
  l2 &= ~(word_t{1} << (prio % 64));
  if (l2 == 0) ks.ready_l1[domain] &= ~(word_t{1} << (prio / 64));
}

word_t highest_bit(word_t w) { return 63 - static_cast<word_t>(__builtin_clzll(w)); }

// seL4 isHighestPrio: nothing queued in the domain above `prio`.
bool is_highest_priority(word_t domain, word_t prio) {
  return ks.ready_l1[domain] == 0 || prio >= highest_ready_priority(domain);
}

// seL4 nextDomain: the schedule wraps to its start at an end marker (length 0).
void next_domain() {
  // seL4 prepareNextDomain: no FPU state carries over into another domain.
  if (ks.fpu_owner != nullptr) fpu_release(ks.fpu_owner);
  word_t next = ks.domain_schedule_index + 1;
  if (next >= config::kNumDomainSchedules || ks.domain_schedule[next].length == 0) {
    next = ks.domain_schedule_start;
  }
  ks.domain_schedule_index = next;
  ks.cur_domain = ks.domain_schedule[next].domain;
  ks.domain_time = ks.domain_schedule[next].length;
}

void choose_thread() {
  const word_t dom = config::kNumDomains > 1 ? ks.cur_domain : 0;
  if (ks.ready_l1[dom] == 0) {
    ks.cur_thread = ks.idle_thread;
    return;
  }
  switch_to_thread(ks.ready_queues[dom][highest_ready_priority(dom)].head);
}

void schedule_choose_new_thread() {
  if (ks.domain_time == 0) next_domain();
  choose_thread();
}

// seL4 schedule, SwitchToThread case: the candidate runs unless a higher priority is queued,
// and at equal priority the current thread, queued at the head, keeps its turn.
void switch_to_candidate(Tcb* candidate, bool was_runnable) {
  if (!candidate_may_run(candidate)) {
    tcb_sched_enqueue(candidate);
    schedule_choose_new_thread();
  } else if (was_runnable && candidate->priority == ks.cur_thread->priority) {
    tcb_sched_append(candidate);
    schedule_choose_new_thread();
  } else {
    switch_to_thread(candidate);
  }
}

}  // namespace

void switch_to_thread(Tcb* t) {
  fpu_switch_to(t);
  tcb_sched_dequeue(t);
  ks.cur_thread = t;
}

bool candidate_may_run(const Tcb* candidate) {
  const bool fastfail = ks.cur_thread == ks.idle_thread || candidate->priority < ks.cur_thread->priority;
  return !fastfail || is_highest_priority(ks.cur_domain, candidate->priority);
}

bool is_runnable(const Tcb* t) {
  return t->state == ThreadState::Running || t->state == ThreadState::Restart;
}

void set_thread_state(Tcb* t, ThreadState s) {
  t->state = s;
  // seL4 scheduleTCB: the running thread stopped, so someone else must be chosen.
  if (t == ks.cur_thread && ks.action == SchedulerAction::ResumeCurrentThread && !is_runnable(t)) {
    reschedule_required();
  }
}

word_t highest_ready_priority(word_t domain) {
  const word_t l1 = highest_bit(ks.ready_l1[domain]);
  return l1 * 64 + highest_bit(ks.ready_l2[domain][l1]);
}

void tcb_sched_enqueue(Tcb* t) {
  if (t->queued) return;
  ThreadQueue& q = queue_of(t);
  if (q.head == nullptr) {
    bitmap_set(t->domain, t->priority);
    q.tail = t;
  } else {
    q.head->sched_prev = t;
  }
  t->sched_prev = nullptr;
  t->sched_next = q.head;
  q.head = t;
  t->queued = true;
}

void tcb_sched_append(Tcb* t) {
  if (t->queued) return;
  ThreadQueue& q = queue_of(t);
  if (q.head == nullptr) {
    bitmap_set(t->domain, t->priority);
    q.head = t;
  } else {
    q.tail->sched_next = t;
  }
  t->sched_prev = q.tail;
  t->sched_next = nullptr;
  q.tail = t;
  t->queued = true;
}

void tcb_sched_dequeue(Tcb* t) {
  if (!t->queued) return;
  ThreadQueue& q = queue_of(t);
  (t->sched_prev != nullptr ? t->sched_prev->sched_next : q.head) = t->sched_next;
  (t->sched_next != nullptr ? t->sched_next->sched_prev : q.tail) = t->sched_prev;
  if (q.head == nullptr) bitmap_clear(t->domain, t->priority);
  t->sched_next = t->sched_prev = nullptr;
  t->queued = false;
}

void reschedule_required() {
  // seL4: a pending switch candidate is not lost, it goes back to its queue.
  if (ks.action == SchedulerAction::SwitchToThread) tcb_sched_enqueue(ks.switch_candidate);
  ks.action = SchedulerAction::ChooseNewThread;
  ks.switch_candidate = nullptr;
}

void possible_switch_to(Tcb* t) {
  if (ks.cur_domain != t->domain) {
    tcb_sched_enqueue(t);
  } else if (ks.action != SchedulerAction::ResumeCurrentThread) {
    // More than one thread wants to run next: let the queues decide.
    reschedule_required();
    tcb_sched_enqueue(t);
  } else {
    ks.action = SchedulerAction::SwitchToThread;
    ks.switch_candidate = t;
  }
}

void schedule() {
  if (ks.action != SchedulerAction::ResumeCurrentThread) {
    const bool was_runnable = ks.cur_thread != ks.idle_thread && is_runnable(ks.cur_thread);
    if (was_runnable) tcb_sched_enqueue(ks.cur_thread);
    if (ks.action == SchedulerAction::ChooseNewThread) {
      schedule_choose_new_thread();
    } else {
      switch_to_candidate(ks.switch_candidate, was_runnable);
    }
  }
  ks.action = SchedulerAction::ResumeCurrentThread;
  ks.switch_candidate = nullptr;
}

void activate_thread(Tcb* t) {
  // A thread resumes at NextIP; Restart makes it re-execute the instruction at FaultIP.
  if (t->state == ThreadState::Restart) {
    t->context.regs[NextIP] = t->context.regs[FaultIP];
    t->state = ThreadState::Running;
  }
}

void timer_tick() {
  Tcb* cur = ks.cur_thread;
  if (cur->state == ThreadState::Running) {
    if (cur->time_slice > 1) {
      --cur->time_slice;
    } else {
      cur->time_slice = config::kTimeSliceTicks;
      tcb_sched_append(cur);
      reschedule_required();
    }
  }
  if constexpr (config::kNumDomains > 1) {
    if (--ks.domain_time == 0) reschedule_required();
  }
}

void handle_yield() {
  tcb_sched_dequeue(ks.cur_thread);
  tcb_sched_append(ks.cur_thread);
  reschedule_required();
}

void init_scheduler() {
  ks.domain_schedule[0] = DomainScheduleEntry{.domain = 0, .length = kMaxDomainDuration};
  ks.domain_schedule_index = ks.domain_schedule_start = 0;
  ks.cur_domain = ks.domain_schedule[0].domain;
  ks.domain_time = ks.domain_schedule[0].length;
  // Static storage shaped like a TCB object; the idle thread's slots are never used.
  alignas(16) static uint8_t storage[word_t{1} << kTcbBits];
  Tcb* idle = reinterpret_cast<Tcb*>(storage + kTcbOffset);
  memset(storage, 0, sizeof(storage));
  idle->state = ThreadState::IdleThreadState;
  memcpy(idle->name, "idle", sizeof("idle"));
  ks.idle_thread = idle;
  ks.cur_thread = idle;
  ks.fpu_owner = nullptr;
  machine::disable_fpu();
}

}  // namespace keel
