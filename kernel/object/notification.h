// Notifications (seL4 notification.c): a 2^5-byte object holding its word, its state (idle,
// waiting, active), a queue of waiting threads and the thread bound to it.
//
// Invariants: a bound thread's bound_notification names this notification and its
// bound_tcb names the thread (both or neither); (once signals exist) an active notification
// has no waiters, a waiting one a non-empty queue.
#pragma once

#include "kernel/api/object_type.h"
#include "kernel/object/tcb.h"

namespace keel {

enum class NotificationState : word_t { Idle = 0, Waiting, Active };

// Four words, as seL4 packs it: the bound thread (a TCB is 256-byte aligned inside its object)
// shares its word with the state in the low two bits.
struct Notification {
  Tcb* queue_head;
  Tcb* queue_tail;
  word_t word;  // the badges signalled since the last wait
  word_t bound_and_state;

  NotificationState state() const { return static_cast<NotificationState>(bound_and_state & 3); }
  Tcb* bound_tcb() const { return reinterpret_cast<Tcb*>(bound_and_state & ~word_t{3}); }
  void set_bound_tcb(Tcb* t) { bound_and_state = reinterpret_cast<word_t>(t) | (bound_and_state & 3); }
};
static_assert(sizeof(Notification) <= (word_t{1} << kNotificationBits));

inline Notification* notification_at(paddr_t p) { return ptr_from_paddr<Notification>(p); }

// seL4 bindNotification / unbindNotification: both links set or cleared together.
void bind_notification(Tcb* t, paddr_t ntfn);
void unbind_notification(Tcb* t);

// The final cap to `ntfn` is gone: unbind its thread and cancel every waiter (seL4
// unbindMaybeNotification, cancelAllSignals).
void finalise_notification(paddr_t ntfn);

// An IRQ bound to `ntfn` (through its handler's SetNotification) arrived: seL4 sendSignal with
// the bound cap's badge. Does nothing yet: notifications' Signal, with the word, the waiters and
// the bound thread, arrives with the IPC issue, which fills this in. The caller masks and
// acknowledges the IRQ around it (kernel/core/interrupt.cc).
void notification_signal_from_irq(paddr_t ntfn, word_t badge);

}  // namespace keel
