// Reply caps: creation on a Call, deletion, and the reply itself (ipc.md §3).
#include "reply.h"

#include "cdt.h"
#include "fault.h"
#include "scheduler.h"
#include "transfer.h"

namespace keel::spec {

void setup_caller_cap(State& s, paddr_t sender, paddr_t receiver, bool can_grant) {
  set_thread_state(s, sender, ThreadState::BlockedOnReply);
  const SlotRef master{sender, kTcbReply}, caller{receiver, kTcbCaller};
  // The caller slot is empty: the receiver's Recv deleted its old content. cte_insert makes the
  // new cap a non-revocable child of the master (same region: the same thread).
  cte_insert(s, Cap::reply(sender, false, can_grant), master, caller);
}

void delete_caller_cap(State& s, paddr_t receiver) { cte_delete(s, SlotRef{receiver, kTcbCaller}); }

void do_reply_transfer(State& s, paddr_t sender, paddr_t receiver, SlotRef slot, bool grant) {
  Thread& r = *s.thread(receiver);
  if (r.state != ThreadState::BlockedOnReply) return;  // unreachable: a reply cap lives only that long
  if (!r.fault) {
    do_ipc_transfer(s, sender, std::nullopt, 0, grant, receiver);
    cte_delete(s, slot);
    set_thread_state(s, receiver, ThreadState::Running);
    possible_switch_to(s, receiver);
    return;
  }
  cte_delete(s, slot);
  const Fault f = *r.fault;
  const bool restart = handle_fault_reply(s, receiver, f, sender);
  s.thread(receiver)->fault.reset();
  if (restart) {
    set_thread_state(s, receiver, ThreadState::Restart);
    possible_switch_to(s, receiver);
  } else {
    set_thread_state(s, receiver, ThreadState::Inactive);
  }
}

void handle_reply(State& s, paddr_t thread) {
  const SlotRef caller{thread, kTcbCaller};
  const Cap c = s.cap_at(caller);
  // seL4: an empty caller slot is no error; a master reply cap cannot be there
  if (c.type != CapType::Reply || c.reply_master) return;
  do_reply_transfer(s, thread, c.ptr, caller, c.rights.grant);
}

}  // namespace keel::spec
