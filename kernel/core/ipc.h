// Message transfer between threads (seL4 thread.c doIPCTransfer, doReplyTransfer), the non-MCS
// reply caps that make a Call answerable, and cancelling a thread's IPC. Used by every send
// path: endpoint sends and receives, replies, and fault delivery.
#pragma once

#include "kernel/core/invocation.h"
#include "kernel/object/tcb.h"

namespace keel {

// Moves the sender's message (or its pending fault) to the receiver: message registers, IPC
// buffer words when both threads have buffers, at most one cap when `can_grant`, then the
// receiver's badge and message info. `ep` is the endpoint the message goes through (0 for a
// reply), which decides cap unwrapping.
void do_ipc_transfer(Tcb* sender, paddr_t ep, word_t badge, bool can_grant, Tcb* receiver);

// The caller blocks on reply, and the receiver gets a one-shot reply cap to it in its caller
// slot, a child of the caller's master reply cap (seL4 setupCallerCap).
void setup_caller_cap(Tcb* sender, Tcb* receiver, bool can_grant);
// An endpoint receive discards any reply cap the receiver still holds (seL4 deleteCallerCap).
void delete_caller_cap(Tcb* receiver);
// Answers the thread a reply cap in `slot` names: a message, or a fault reply; the cap is used
// up either way (seL4 doReplyTransfer).
void do_reply_transfer(Tcb* sender, Tcb* receiver, Cte* slot, bool grant);

// Send, NBSend or Call on a reply cap saved with SaveCaller: the reply it stands for.
Outcome invoke_reply(const Invocation& inv);

// Every thread of a queue detached from its endpoint or notification re-executes the syscall
// that queued it (seL4 cancelAllIPC, cancelAllSignals).
void restart_all_queued(Tcb* head);

// The thread leaves whatever IPC it is blocked in: off its endpoint or notification queue
// (then Inactive), or, blocked on reply, its pending fault and reply cap are dropped
// (seL4 cancelIPC). Other states are untouched.
void cancel_ipc(Tcb* t);

// The IPC invariants of the object a cap names (its queue, its binding, the thread it blocks
// or answers); null if they hold, else the broken rule. Host checks run it on every cap found.
[[nodiscard]] const char* check_ipc_invariants_of(Cap cap);

}  // namespace keel
