// Notifications: binding, signals, waiting and cancelling (seL4 notification.c; ipc.md §4).
#include "notification.h"

#include "endpoint.h"
#include "ipc_buffer.h"
#include "scheduler.h"

namespace keel::spec {

void bind_notification(State& s, paddr_t tcb, paddr_t ntfn) {
  s.objects.at(ntfn).bound_tcb = tcb;
  s.thread(tcb)->bound_notification = ntfn;
}

void unbind_notification(State& s, paddr_t tcb) {
  Thread* t = s.thread(tcb);
  if (t == nullptr || !t->bound_notification) return;
  auto n = s.objects.find(*t->bound_notification);
  if (n != s.objects.end()) n->second.bound_tcb.reset();
  t->bound_notification.reset();
}

void unbind_maybe_notification(State& s, paddr_t ntfn) {
  auto n = s.objects.find(ntfn);
  if (n == s.objects.end() || !n->second.bound_tcb) return;
  unbind_notification(s, *n->second.bound_tcb);
}

// A woken thread runs with the badge in x0 and nothing else of its registers changed.
static void wake_with_badge(State& s, paddr_t tcb, word_t badge) {
  set_thread_state(s, tcb, ThreadState::Running);
  reg_x(*s.thread(tcb), 0) = badge;
  possible_switch_to(s, tcb);
}

static void set_active(Object& n, word_t word) {
  n.ntfn_state = NotificationState::Active;
  n.ntfn_word = word;  // seL4: badge 0 still makes the notification Active
}

void send_signal(State& s, paddr_t ntfn, word_t badge) {
  Object& n = s.objects.at(ntfn);
  switch (n.ntfn_state) {
    case NotificationState::Idle: {
      const Thread* bound = n.bound_tcb ? s.thread(*n.bound_tcb) : nullptr;
      if (bound != nullptr && bound->state == ThreadState::BlockedOnReceive) {
        const paddr_t tcb = *n.bound_tcb;
        cancel_ipc(s, tcb);  // seL4: it leaves the endpoint it was receiving on
        wake_with_badge(s, tcb, badge);
      } else {
        set_active(n, badge);
      }
      return;
    }
    case NotificationState::Waiting: {
      const paddr_t dest = n.queue.front();
      n.queue.erase(n.queue.begin());
      if (n.queue.empty()) n.ntfn_state = NotificationState::Idle;
      wake_with_badge(s, dest, badge);  // one waiter per signal, with this signal's badge alone
      return;
    }
    case NotificationState::Active: n.ntfn_word |= badge; return;
  }
}

void receive_signal(State& s, paddr_t thread, const Cap& cap, bool is_blocking) {
  Object& n = s.objects.at(cap.ptr);
  if (n.ntfn_state == NotificationState::Active) {
    complete_signal(s, cap.ptr, thread);
    return;
  }
  if (!is_blocking) {
    reg_x(*s.thread(thread), 0) = 0;  // seL4 doNBRecvFailedTransfer
    return;
  }
  set_blocked_state(s, thread, ThreadState::BlockedOnNotification, IpcBlock{.object = cap.ptr});
  n.queue.push_back(thread);
  n.ntfn_state = NotificationState::Waiting;
}

void complete_signal(State& s, paddr_t ntfn, paddr_t tcb) {
  Object& n = s.objects.at(ntfn);
  if (n.ntfn_state != NotificationState::Active) return;
  reg_x(*s.thread(tcb), 0) = n.ntfn_word;
  n.ntfn_state = NotificationState::Idle;
  n.ntfn_word = 0;  // the spec keeps no word while Idle (seL4's stale word is never read)
}

void cancel_signal(State& s, paddr_t tcb, paddr_t ntfn) {
  Object& n = s.objects.at(ntfn);
  queue_remove(n.queue, tcb);
  if (n.queue.empty()) n.ntfn_state = NotificationState::Idle;
  set_thread_state(s, tcb, ThreadState::Inactive);
}

void cancel_all_signals(State& s, paddr_t ntfn) {
  Object& n = s.objects.at(ntfn);
  if (n.ntfn_state != NotificationState::Waiting) return;
  const std::vector<paddr_t> queue = n.queue;
  n.queue.clear();
  n.ntfn_state = NotificationState::Idle;
  for (paddr_t t : queue) {
    set_thread_state(s, t, ThreadState::Restart);
    sched_enqueue(s, t);
  }
  reschedule_required(s);
}

}  // namespace keel::spec
