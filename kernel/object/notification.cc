// Notifications: signals, waits, binding to a thread and finalisation (seL4 notification.c).
#include "kernel/object/notification.h"

#include "kernel/core/ipc.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/tcb_queue.h"

namespace keel {

namespace {

TcbQueue queue_of(const Notification* n) { return TcbQueue{n->queue_head, n->queue_tail}; }

void set_queue(Notification* n, TcbQueue q) {
  n->queue_head = q.head;
  n->queue_tail = q.tail;
  n->set_state(q.empty() ? NotificationState::Idle : NotificationState::Waiting);
}

void wake_with_badge(Tcb* t, word_t badge) {
  set_thread_state(t, ThreadState::Running);
  t->context.regs[kBadgeRegister] = badge;
  possible_switch_to(t);
}

void signal_idle(Notification* n, word_t badge) {
  Tcb* bound = n->bound_tcb();
  if (bound != nullptr && bound->state == ThreadState::BlockedOnReceive) {
    cancel_ipc(bound);  // seL4: the bound thread leaves its endpoint Recv with the badge
    wake_with_badge(bound, badge);
    return;
  }
  n->word = badge;  // badge 0 makes it active all the same
  n->set_state(NotificationState::Active);
}

}  // namespace

void bind_notification(Tcb* t, paddr_t ntfn) {
  notification_at(ntfn)->set_bound_tcb(t);
  t->bound_notification = ntfn;
}

void unbind_notification(Tcb* t) {
  if (t->bound_notification == 0) return;
  notification_at(t->bound_notification)->set_bound_tcb(nullptr);
  t->bound_notification = 0;
}

void send_signal(paddr_t ntfn, word_t badge) {
  Notification* n = notification_at(ntfn);
  switch (n->state()) {
    case NotificationState::Idle: signal_idle(n, badge); return;
    case NotificationState::Waiting: {
      Tcb* t = n->queue_head;
      set_queue(n, tcb_queue_remove(queue_of(n), t));
      wake_with_badge(t, badge);
      return;
    }
    case NotificationState::Active:
      n->word = mutant(Mutant::SignalOverwritesWord) ? badge : (n->word | badge);
      return;
  }
}

void receive_signal(Tcb* t, paddr_t ntfn, bool blocking) {
  if (complete_signal(ntfn, t)) return;
  if (!blocking) {
    t->context.regs[kBadgeRegister] = 0;  // seL4 doNBRecvFailedTransfer
    return;
  }
  Notification* n = notification_at(ntfn);
  t->blocked = IpcBlock{.object = ntfn};
  set_thread_state(t, ThreadState::BlockedOnNotification);
  set_queue(n, tcb_queue_append(queue_of(n), t));
}

bool complete_signal(paddr_t ntfn, Tcb* t) {
  Notification* n = notification_at(ntfn);
  if (n->state() != NotificationState::Active) return false;
  t->context.regs[kBadgeRegister] = n->word;
  n->set_state(NotificationState::Idle);
  return true;
}

void cancel_signal(Tcb* t, paddr_t ntfn) {
  Notification* n = notification_at(ntfn);
  set_queue(n, tcb_queue_remove(queue_of(n), t));
  set_thread_state(t, ThreadState::Inactive);
}

Outcome invoke_notification(const Invocation& inv) {
  const auto decode = [](const Invocation& i) -> Result<NotificationCap> {
    const NotificationCap n{i.cap};
    if (!n.rights().write) return SyscallError::invalid_capability(0);  // seL4: no send right
    return n;
  };
  const auto perform = [](NotificationCap n) -> Outcome {
    send_signal(n.ptr(), n.badge());
    return PerformStatus::Done;
  };
  return decode_then_perform(inv, decode, perform);
}

// seL4 unbindMaybeNotification, then cancelAllSignals: every waiter re-runs its Wait.
void finalise_notification(paddr_t ntfn) {
  Notification* n = notification_at(ntfn);
  if (Tcb* t = n->bound_tcb()) unbind_notification(t);
  if (n->state() != NotificationState::Waiting) return;
  Tcb* head = n->queue_head;
  set_queue(n, TcbQueue{});
  restart_all_queued(head);
  reschedule_required();
}

}  // namespace keel
