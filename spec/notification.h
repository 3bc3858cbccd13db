// Notifications in the abstract, so far only their binding to a thread (seL4 tcbBoundNotification
// and ntfnBoundTCB). Signals, waiters and the notification word need IPC: not modelled yet.
#pragma once

#include "state.h"

namespace keel::spec {

// seL4 bindNotification: both links set; nothing is delivered or woken.
void bind_notification(State& s, paddr_t tcb, paddr_t ntfn);
// seL4 unbindNotification: the thread's binding, if any, is undone on both sides.
void unbind_notification(State& s, paddr_t tcb);
// seL4 unbindMaybeNotification: the notification's binding, if any, is undone on both sides.
void unbind_maybe_notification(State& s, paddr_t ntfn);

}  // namespace keel::spec
