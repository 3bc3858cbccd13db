// Notifications (seL4 notification.c): a 2^5-byte object that will hold its word, its state
// (idle, waiting, active), a queue of waiting threads and the thread bound to it.
//
// Invariants (once signals exist): an active notification has no waiters and a non-zero word;
// a waiting one has a non-empty queue; a bound thread's bound_notification points back here.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// The final cap to `ntfn` is gone: unbind its thread and cancel every waiter (seL4
// unbindMaybeNotification, cancelAllSignals).
void finalise_notification(paddr_t ntfn);

// An IRQ bound to `ntfn` (through its handler's SetNotification) arrived: seL4 sendSignal with
// the bound cap's badge. Does nothing yet: notifications' Signal, with the word, the waiters and
// the bound thread, arrives with the IPC issue, which fills this in. The caller masks and
// acknowledges the IRQ around it (kernel/core/interrupt.cc).
void notification_signal_from_irq(paddr_t ntfn, word_t badge);

}  // namespace keel
