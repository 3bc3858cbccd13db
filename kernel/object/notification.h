// Notifications (seL4 notification.c): a 2^5-byte object holding its word, its state (idle,
// waiting, active), a FIFO queue of waiting threads and the thread bound to it.
//
// Invariants: a bound thread's bound_notification names this notification and its
// bound_tcb names the thread (both or neither); a waiting notification has a non-empty queue of
// threads BlockedOnNotification on it, an idle or active one an empty queue; the word means
// something only while active.
#pragma once

#include "kernel/api/object_type.h"
#include "kernel/core/invocation.h"
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
  void set_state(NotificationState s) {
    bound_and_state = (bound_and_state & ~word_t{3}) | static_cast<word_t>(s);
  }
};
static_assert(sizeof(Notification) <= (word_t{1} << kNotificationBits));

inline Notification* notification_at(paddr_t p) { return ptr_from_paddr<Notification>(p); }

// seL4 bindNotification / unbindNotification: both links set or cleared together.
void bind_notification(Tcb* t, paddr_t ntfn);
void unbind_notification(Tcb* t);

// The final cap to `ntfn` is gone: unbind its thread and cancel every waiter (seL4
// unbindMaybeNotification, cancelAllSignals).
void finalise_notification(paddr_t ntfn);

// seL4 sendSignal: wakes the first waiter, or the bound thread if it waits in an endpoint
// Recv, with the badge in x0; otherwise the badge is OR-ed into the word.
void send_signal(paddr_t ntfn, word_t badge);
// seL4 receiveSignal (Recv, NBRecv, Wait, Poll): the word if active, else the thread waits (or,
// not blocking, gets 0).
void receive_signal(Tcb* t, paddr_t ntfn, bool blocking);
// An active notification's word goes to the thread, and it is idle again; false if not active.
bool complete_signal(paddr_t ntfn, Tcb* t);
// A thread waiting on `ntfn` leaves its queue and becomes Inactive.
void cancel_signal(Tcb* t, paddr_t ntfn);
// Send, NBSend or Call on a notification cap: a signal with the cap's badge.
Outcome invoke_notification(const Invocation& inv);

// An IRQ bound to `ntfn` (through its handler's SetNotification) arrived: a signal with the
// bound cap's badge. The caller masks and acknowledges the IRQ around it
// (kernel/core/interrupt.cc).
inline void notification_signal_from_irq(paddr_t ntfn, word_t badge) { send_signal(ntfn, badge); }

}  // namespace keel
