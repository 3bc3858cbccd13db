// Non-MCS reply caps (seL4 tcb.c setupCallerCap, thread.c doReplyTransfer, syscall.c
// handleReply; ipc.md §3): a Call leaves the caller BlockedOnReply and a reply cap naming it in
// the receiver's caller slot, a child of the caller's master reply cap; replying through it
// (Reply, ReplyRecv, or Send/Call on a saved copy) deletes it and wakes the caller.
#pragma once

#include "state.h"

namespace keel::spec {

// seL4 setupCallerCap: sender := BlockedOnReply; the reply cap (canGrant = the receiver's Recv
// cap Grant right) goes into the receiver's caller slot, below the sender's master.
void setup_caller_cap(State& s, paddr_t sender, paddr_t receiver, bool can_grant);
// seL4 deleteCallerCap: the receiver's caller slot is emptied; the caller it named stays
// BlockedOnReply (reply caps have no finaliser).
void delete_caller_cap(State& s, paddr_t receiver);
// seL4 doReplyTransfer: a normal reply is transferred (caps only with `grant`), then the reply
// cap in `slot` is deleted and the receiver runs; a fault reply deletes the cap first, then
// handle_fault_reply decides between Restart and Inactive and the fault is cleared.
void do_reply_transfer(State& s, paddr_t sender, paddr_t receiver, SlotRef slot, bool grant);
// seL4 handleReply: the reply cap in the thread's caller slot, if any, is used; else nothing.
void handle_reply(State& s, paddr_t thread);

}  // namespace keel::spec
