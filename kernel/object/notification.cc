// Notification binding, finalisation and signals from IRQs. Nothing can wait on a notification
// until signals arrive (the IPC issue), so finalisation has only a binding to undo.
#include "kernel/object/notification.h"

namespace keel {

void bind_notification(Tcb* t, paddr_t ntfn) {
  notification_at(ntfn)->set_bound_tcb(t);
  t->bound_notification = ntfn;
}

void unbind_notification(Tcb* t) {
  if (t->bound_notification == 0) return;
  notification_at(t->bound_notification)->set_bound_tcb(nullptr);
  t->bound_notification = 0;
}

void finalise_notification(paddr_t ntfn) {
  if (Tcb* t = notification_at(ntfn)->bound_tcb()) unbind_notification(t);
}

void notification_signal_from_irq(paddr_t, word_t) {}

}  // namespace keel
