// The scheduler's invariants (see scheduler.h), for the host checks after every kernel entry.
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/print.h"

namespace keel {

namespace {

const char* check_queue(word_t dom, word_t prio) {
  const ThreadQueue& q = ks.ready_queues[dom][prio];
  const bool bit = ((ks.ready_l2[dom][prio / 64] >> (prio % 64)) & 1) != 0;
  if (bit != (q.head != nullptr)) return "the ready bitmap disagrees with a queue";
  const Tcb* prev = nullptr;
  for (const Tcb* t = q.head; t != nullptr; prev = t, t = t->sched_next) {
    if (t->sched_prev != prev) return "a ready queue's links disagree";
    if (!t->queued || !is_runnable(t)) return "a queued thread is not runnable or not flagged queued";
    if (t->domain != dom || t->priority != prio) return "a thread is queued away from its priority";
    if (t == ks.cur_thread) return "the current thread is queued";
  }
  if (q.tail != prev) return "a ready queue's tail is wrong";
  return nullptr;
}

const char* check_all() {
  if (ks.action != SchedulerAction::ResumeCurrentThread) return "a scheduler decision is left pending";
  for (word_t d = 0; d < config::kNumDomains; ++d) {
    for (word_t i = 0; i < kL2Words; ++i) {
      if (((ks.ready_l1[d] >> i) & 1) != (ks.ready_l2[d][i] != 0))
        return "the level-1 ready bitmap disagrees";
    }
    for (word_t p = 0; p < config::kNumPriorities; ++p) {
      if (const char* bad = check_queue(d, p)) return bad;
    }
  }
  return nullptr;
}

}  // namespace

bool check_scheduler_invariants(char* why, size_t why_len) {
  const char* bad = check_all();
  if (bad != nullptr) ksnprintf(why, why_len, "%s", bad);
  return bad == nullptr;
}

}  // namespace keel
