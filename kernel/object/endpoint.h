// Endpoints (seL4 endpoint.c): a 2^4-byte object holding a FIFO queue of threads waiting to
// send or to receive, and its state (idle, send, receive).
//
// Invariants: an idle endpoint has an empty queue and a non-idle one a non-empty queue; every
// queued thread is BlockedOnSend (state Send) or BlockedOnReceive (state Recv) with
// blocked.object naming this endpoint; a thread is on at most one queue.
#pragma once

#include "kernel/api/object_type.h"
#include "kernel/core/invocation.h"
#include "kernel/object/tcb.h"

namespace keel {

enum class EndpointState : word_t { Idle = 0, Send = 1, Recv = 2 };

// Two words, as seL4 packs it: the tail thread (a Tcb is 256-byte aligned) shares its word with
// the state in the low two bits.
struct Endpoint {
  Tcb* queue_head;
  word_t tail_and_state;

  EndpointState state() const { return static_cast<EndpointState>(tail_and_state & 3); }
  Tcb* queue_tail() const { return reinterpret_cast<Tcb*>(tail_and_state & ~word_t{3}); }
  void set(Tcb* head, Tcb* tail, EndpointState s) {
    queue_head = head;
    tail_and_state = reinterpret_cast<word_t>(tail) | static_cast<word_t>(s);
  }
};
static_assert(sizeof(Endpoint) <= (word_t{1} << kEndpointBits));

inline Endpoint* endpoint_at(paddr_t p) { return ptr_from_paddr<Endpoint>(p); }

// Takes the first thread of a non-idle endpoint's queue (the endpoint is idle if it was the last).
Tcb* dequeue_head(Endpoint* ep);
// The receiver waits on the endpoint `cap` names, remembering the cap's Grant right for the
// reply cap a Call will leave it (seL4 receiveIPC, blocking with no sender).
void block_receive(Tcb* receiver, EndpointCap cap);

// seL4 sendIPC: to a waiting receiver at once, else the sender queues (or, not blocking, the
// message is dropped). A Call leaves a reply cap when the cap had Grant or GrantReply.
void send_ipc(bool blocking, bool is_call, word_t badge, bool can_grant, bool can_grant_reply, Tcb* sender,
              paddr_t ep);
// seL4 receiveIPC through `cap`: a pending signal on the bound notification first, then the
// first queued sender, else the receiver queues (or, not blocking, gets badge 0).
void receive_ipc(Tcb* receiver, Cap cap, bool blocking);
// A thread blocked sending or receiving leaves the queue and becomes Inactive.
void blocked_cancel_ipc(Tcb* t);
// Send, NBSend or Call on an endpoint cap: a send through it.
Outcome invoke_endpoint(const Invocation& inv);

// The final cap to `ep` is gone: every queued thread is cancelled (seL4 cancelAllIPC).
void finalise_endpoint(paddr_t ep);
// CNode_CancelBadgedSends: aborts every send queued on `ep` with this (non-zero) badge.
void cancel_badged_sends(paddr_t ep, word_t badge);

}  // namespace keel
