// Endpoints in the abstract (seL4 endpoint.c, l4v Ipc_A/IpcCancel_A, docs/sel4-facts/ipc.md §2):
// a FIFO queue of blocked senders or receivers and the state that says which, the two halves of
// a rendezvous, and the ways a blocked thread is taken out of it again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "state.h"

namespace keel::spec {

// seL4 sendIPC (ipc.md §2.2). The sender is in Restart (a syscall) or Running (a fault).
// Idle/Send: a blocking send queues the sender BlockedOnSend, a non-blocking one is dropped.
// Recv: the head receiver gets the message and runs; a Call then leaves the sender
// BlockedOnReply with a reply cap in the receiver's caller slot (Grant or GrantReply), or
// Inactive (neither).
void send_ipc(State& s, bool blocking, bool do_call, word_t badge, bool can_grant, bool can_grant_reply,
              paddr_t thread, paddr_t ep);
// seL4 receiveIPC (ipc.md §2.3), with `cap` the endpoint cap received on (the caller cap was
// deleted already). An Active bound notification is taken first; otherwise the head sender's
// message, or the thread blocks (NBRecv: x0 := 0 instead).
void receive_ipc(State& s, paddr_t thread, const Cap& cap, bool is_blocking);

// seL4 cancelIPC (ipc.md §2.6): a thread blocked sending or receiving leaves its endpoint queue,
// one waiting on a notification its wait queue (both then Inactive); one BlockedOnReply loses
// its fault and the reply cap naming it (its state is left for the caller to overwrite). A
// cancelled send keeps its fault (§2.8).
void cancel_ipc(State& s, paddr_t tcb);
// seL4 cancelAllIPC (§2.7), for the final cap's deletion: every queued thread, in queue order,
// goes to Restart at the head of its ready queue; then a new thread is chosen.
void cancel_all_ipc(State& s, paddr_t ep);
// seL4 cancelBadgedSends (§2.9): the queued senders whose stored badge is `badge` restart as
// above, the others keep their order. Only an endpoint in the Send state is touched.
void cancel_badged_sends(State& s, paddr_t ep, word_t badge);

// Queue helpers shared with notifications: remove one thread from a FIFO queue.
void queue_remove(std::vector<paddr_t>& q, paddr_t tcb);

// The IPC invariants: endpoint and notification queues hold threads blocked on that object in
// the matching state, once; every such thread is in its object's queue once; an object's state
// agrees with its queue; blocking fields are at their defaults where not meaningful; non-master
// reply caps name a thread BlockedOnReply, are children of its master, one per thread.
void check_ipc_invariants(const State& s, std::vector<std::string>& bad);

}  // namespace keel::spec
