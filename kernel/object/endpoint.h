// Endpoints (seL4 endpoint.c): a 2^4-byte object that will hold a queue of threads waiting to
// send or to receive, and its state (idle, send, receive).
//
// Invariants (once IPC exists): an idle endpoint has an empty queue; every queued thread is
// blocked on this endpoint in the state the endpoint's state names; a thread is on one queue.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// The final cap to `ep` is gone: every queued thread is cancelled (seL4 cancelAllIPC).
void finalise_endpoint(paddr_t ep);
// CNode_CancelBadgedSends: aborts every send queued on `ep` with this (non-zero) badge.
void cancel_badged_sends(paddr_t ep, word_t badge);

}  // namespace keel
