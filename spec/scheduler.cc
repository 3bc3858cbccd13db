// The non-MCS scheduler in the abstract: the same decisions as seL4's schedule(), over plain
// lists instead of intrusive queues and bitmaps.
#include "scheduler.h"

#include <algorithm>

#include "constants.h"
#include "endpoint.h"

namespace keel::spec {

namespace {

QueueKey key_of(const Thread& t) { return {t.domain, t.priority}; }

// The highest priority with a queued thread in `domain`, if any.
std::optional<word_t> highest_priority(const State& s, word_t domain) {
  std::optional<word_t> best;
  for (const auto& [key, q] : s.ready_queues)
    if (key.first == domain && !q.empty()) best = key.second;  // keys ascend by priority
  return best;
}

void switch_to_thread(State& s, paddr_t tcb) {
  sched_dequeue(s, tcb);
  s.cur_thread = tcb;
}

void choose_thread(State& s) {
  const word_t dom = kNumDomains > 1 ? s.cur_domain : 0;
  if (auto prio = highest_priority(s, dom))
    switch_to_thread(s, s.ready_queues.at({dom, *prio}).front());
  else
    s.cur_thread.reset();  // the idle thread
}

// seL4 scheduleChooseNewThread: a domain whose time is up gives way to the next one first.
void schedule_choose_new_thread(State& s) {
  if (s.domain_time == 0) next_domain(s);
  choose_thread(s);
}

const Thread* current(const State& s) { return s.cur_thread ? s.thread(*s.cur_thread) : nullptr; }

// A candidate woken during the entry runs unless a higher priority is queued (looked at only
// when the candidate is below the current thread or the current thread is idle); at equal
// priority a runnable current thread keeps its turn.
void switch_to_candidate(State& s, paddr_t candidate, bool was_runnable) {
  const Thread& c = *s.thread(candidate);
  const Thread* cur = current(s);
  const bool fastfail = cur == nullptr || c.priority < cur->priority;
  const auto top = highest_priority(s, s.cur_domain);
  if (fastfail && top && *top > c.priority) {
    sched_enqueue(s, candidate);
    schedule_choose_new_thread(s);
  } else if (was_runnable && c.priority == cur->priority) {
    sched_append(s, candidate);  // a no-op if restart() queued it already: it keeps the head
    schedule_choose_new_thread(s);
  } else {
    switch_to_thread(s, candidate);
  }
}

}  // namespace

bool is_runnable(const Thread& t) {
  return t.state == ThreadState::Running || t.state == ThreadState::Restart;
}

bool is_blocked(const Thread& t) {
  switch (t.state) {
    case ThreadState::BlockedOnReceive:
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReply:
    case ThreadState::BlockedOnNotification: return true;
    case ThreadState::Inactive:
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::Idle: return false;
  }
  return false;
}

bool is_stopped(const Thread& t) { return t.state == ThreadState::Inactive || is_blocked(t); }

void set_thread_state(State& s, paddr_t tcb, ThreadState st) {
  Thread* t = s.thread(tcb);
  t->state = st;
  t->blocked = IpcBlock{};  // what a blocked thread waits with means nothing in another state
  if (s.cur_thread == tcb && !s.choose_new_thread && !s.switch_candidate && !is_runnable(*t))
    reschedule_required(s);
}

void set_blocked_state(State& s, paddr_t tcb, ThreadState st, const IpcBlock& b) {
  set_thread_state(s, tcb, st);
  s.thread(tcb)->blocked = b;
}

bool is_queued(const State& s, paddr_t tcb) {
  for (const auto& [key, q] : s.ready_queues)
    if (std::find(q.begin(), q.end(), tcb) != q.end()) return true;
  return false;
}

void sched_enqueue(State& s, paddr_t tcb) {
  if (is_queued(s, tcb)) return;
  auto& q = s.ready_queues[key_of(*s.thread(tcb))];
  q.insert(q.begin(), tcb);
}

void sched_append(State& s, paddr_t tcb) {
  if (is_queued(s, tcb)) return;
  s.ready_queues[key_of(*s.thread(tcb))].push_back(tcb);
}

void sched_dequeue(State& s, paddr_t tcb) {
  for (auto it = s.ready_queues.begin(); it != s.ready_queues.end(); ++it) {
    auto& q = it->second;
    auto pos = std::find(q.begin(), q.end(), tcb);
    if (pos == q.end()) continue;
    q.erase(pos);
    if (q.empty()) s.ready_queues.erase(it);
    return;
  }
}

void suspend(State& s, paddr_t tcb) {
  cancel_ipc(s, tcb);
  Thread& t = *s.thread(tcb);
  // A Running thread was stopped between instructions: it goes on at NextIP when resumed. One
  // in Restart (e.g. the caller suspending itself) keeps FaultIP and re-executes its svc.
  if (t.state == ThreadState::Running) t.regs[kRegPc] = t.next_ip;
  set_thread_state(s, tcb, ThreadState::Inactive);
  sched_dequeue(s, tcb);
}

// seL4 setupReplyMaster: the thread's own master reply cap, an original with no parent.
static void setup_reply_master(State& s, paddr_t tcb) {
  const SlotRef reply{tcb, kTcbReply};
  if (s.slot_at(reply)) return;
  s.slots[reply] = Slot{Cap::reply(tcb, true, true), true, true, std::nullopt};
}

void restart(State& s, paddr_t tcb) {
  if (!is_stopped(*s.thread(tcb))) return;
  cancel_ipc(s, tcb);
  setup_reply_master(s, tcb);
  set_thread_state(s, tcb, ThreadState::Restart);
  sched_enqueue(s, tcb);
  possible_switch_to(s, tcb);
}

void set_priority(State& s, paddr_t tcb, word_t prio) {
  sched_dequeue(s, tcb);
  Thread& t = *s.thread(tcb);
  t.priority = prio;
  if (!is_runnable(t)) return;  // a blocked thread keeps its place in an endpoint queue
  if (s.cur_thread == tcb)
    reschedule_required(s);
  else
    possible_switch_to(s, tcb);
}

void set_domain(State& s, paddr_t tcb, word_t domain) {
  sched_dequeue(s, tcb);
  Thread& t = *s.thread(tcb);
  t.domain = domain;
  if (is_runnable(t)) sched_enqueue(s, tcb);  // the current thread too, until schedule() picks
  if (s.cur_thread == tcb) reschedule_required(s);
}

void next_domain(State& s) {
  word_t i = s.domain_schedule_index + 1;
  if (i >= kNumDomainSchedules || s.domain_schedule[i].is_end_marker()) i = s.domain_schedule_start;
  s.domain_schedule_index = i;
  s.cur_domain = s.domain_schedule[i].domain;
  s.domain_time = s.domain_schedule[i].length;
}

void reschedule_required(State& s) {
  if (s.switch_candidate) sched_enqueue(s, *s.switch_candidate);
  s.switch_candidate.reset();
  s.choose_new_thread = true;
}

void possible_switch_to(State& s, paddr_t tcb) {
  if (s.thread(tcb)->domain != s.cur_domain) {
    sched_enqueue(s, tcb);
  } else if (s.choose_new_thread || s.switch_candidate) {
    reschedule_required(s);
    sched_enqueue(s, tcb);
  } else {
    s.switch_candidate = tcb;
  }
}

void schedule(State& s) {
  if (s.choose_new_thread || s.switch_candidate) {
    const Thread* cur = current(s);
    const bool was_runnable = cur != nullptr && is_runnable(*cur);
    if (was_runnable) sched_enqueue(s, *s.cur_thread);
    if (s.choose_new_thread)
      schedule_choose_new_thread(s);
    else
      switch_to_candidate(s, *s.switch_candidate, was_runnable);
  }
  s.choose_new_thread = false;
  s.switch_candidate.reset();
}

void yield(State& s) {
  sched_dequeue(s, *s.cur_thread);
  sched_append(s, *s.cur_thread);
  reschedule_required(s);
}

void timer_tick(State& s) {
  Thread* t = s.cur_thread ? s.thread(*s.cur_thread) : nullptr;
  if (t != nullptr && t->state == ThreadState::Running) {  // not idle, not preempted in Restart
    if (t->time_slice > 1) {
      --t->time_slice;
    } else {
      t->time_slice = kTimeSlice;
      sched_append(s, *s.cur_thread);
      reschedule_required(s);
    }
  }
  if constexpr (kNumDomains > 1) {  // with one domain its time never runs down
    if (--s.domain_time == 0) reschedule_required(s);
  }
}

static void check_domain_invariants(const State& s, std::vector<std::string>& bad) {
  for (const DomainScheduleEntry& e : s.domain_schedule) {
    if (e.domain >= kNumDomains) bad.push_back("a domain schedule entry names no domain");
    if (e.length == 0 && e.domain != 0) bad.push_back("an empty domain schedule entry is not an end marker");
    if (e.length > kMaxDomainDuration) bad.push_back("a domain schedule length exceeds 56 bits");
  }
  if (!s.domain_schedule.back().is_end_marker()) bad.push_back("the last domain schedule entry is in use");
  if (s.domain_schedule_index >= kNumDomainSchedules || s.domain_schedule_start >= kNumDomainSchedules ||
      s.domain_schedule[s.domain_schedule_start].is_end_marker())
    bad.push_back("the domain schedule index or start is out of place");
  if (s.cur_domain >= kNumDomains) bad.push_back("the current domain is out of range");
  if (s.domain_time == 0) bad.push_back("the domain time ran out without a domain switch");
}

void check_scheduler_invariants(const State& s, std::vector<std::string>& bad) {
  std::map<paddr_t, int> seen;
  for (const auto& [key, q] : s.ready_queues) {
    if (q.empty()) bad.push_back("an empty ready queue is present");
    for (paddr_t t : q) {
      ++seen[t];
      const Thread* th = s.thread(t);
      if (th == nullptr) {
        bad.push_back("a ready queue holds a non-thread");
      } else if (!is_runnable(*th)) {
        bad.push_back("a queued thread is not runnable");
      } else if (key_of(*th) != key) {
        bad.push_back("a thread is queued away from its domain and priority");
      }
    }
  }
  for (const auto& [t, n] : seen)
    if (n > 1) bad.push_back("a thread is queued more than once");
  if (s.cur_thread && seen.count(*s.cur_thread)) bad.push_back("the current thread is queued");
  for (const auto& [p, o] : s.objects) {
    if (o.kind != ObjectKind::Tcb) continue;
    if (o.tcb.priority >= kNumPriorities || o.tcb.mcp >= kNumPriorities)
      bad.push_back("a priority is out of range");
    if (o.tcb.domain >= kNumDomains) bad.push_back("a thread's domain is out of range");
    if ((o.tcb.flags & ~kTcbFlagMask) != 0) bad.push_back("a thread has unknown flags");
    if (is_runnable(o.tcb) && s.cur_thread != p && !seen.count(p))
      bad.push_back("a runnable thread is neither current nor queued");
  }
  if (s.choose_new_thread || s.switch_candidate) bad.push_back("a scheduler decision is left pending");
  check_domain_invariants(s, bad);
}

void end_kernel_entry(State& s) {
  schedule(s);
  Thread* t = s.cur_thread ? s.thread(*s.cur_thread) : nullptr;
  if (t != nullptr && t->state == ThreadState::Restart) {
    t->next_ip = t->regs[kRegPc];
    t->state = ThreadState::Running;
  }
}

}  // namespace keel::spec
