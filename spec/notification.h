// Notifications in the abstract (seL4 notification.c, l4v IpcCancel_A/Ipc_A; ipc.md §4): the
// binding to a thread (tcbBoundNotification and ntfnBoundTCB kept in step), signals, waiters
// and the pending word.
#pragma once

#include "state.h"

namespace keel::spec {

// seL4 bindNotification: both links set; nothing is delivered or woken.
void bind_notification(State& s, paddr_t tcb, paddr_t ntfn);
// seL4 unbindNotification: the thread's binding, if any, is undone on both sides.
void unbind_notification(State& s, paddr_t tcb);
// seL4 unbindMaybeNotification: the notification's binding, if any, is undone on both sides.
void unbind_maybe_notification(State& s, paddr_t ntfn);

// seL4 sendSignal (§4.2): wakes the bound thread blocked receiving on any endpoint (Idle), or
// the head waiter (Waiting), with x0 := badge; else the word is set (Idle) or OR-ed (Active).
void send_signal(State& s, paddr_t ntfn, word_t badge);
// seL4 receiveSignal (§4.3), `cap` the notification cap received on: Active hands over the word
// in x0; otherwise the thread waits (blocking) or gets x0 := 0.
void receive_signal(State& s, paddr_t thread, const Cap& cap, bool is_blocking);
// seL4 completeSignal: an Active notification's word goes to the thread's x0; Idle again.
void complete_signal(State& s, paddr_t ntfn, paddr_t tcb);
// seL4 cancelSignal: the thread leaves the wait queue and becomes Inactive.
void cancel_signal(State& s, paddr_t tcb, paddr_t ntfn);
// seL4 cancelAllSignals (final cap deleted): every waiter restarts at the head of its ready
// queue, then a new thread is chosen.
void cancel_all_signals(State& s, paddr_t ntfn);

}  // namespace keel::spec
