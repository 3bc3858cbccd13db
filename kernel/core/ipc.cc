// Message transfer, reply caps and IPC cancellation (seL4 thread.c, tcb.c, endpoint.c).
#include "kernel/core/ipc.h"

#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/fault.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/notification.h"

namespace keel {

namespace {

struct ExtraCaps {
  Cte* slots[kMsgMaxExtraCaps] = {};
  word_t count = 0;
};

// The sender's extra caps, looked up again at transfer time: without a buffer there are none,
// and a failed lookup now (a cap deleted while the sender waited) means none at all.
ExtraCaps lookup_extra_caps(Tcb* sender, const word_t* buffer, word_t count) {
  ExtraCaps caps;
  if (buffer == nullptr) return caps;
  for (word_t i = 0; i < count; ++i) {
    const LookupResult r = lookup_cap_and_slot(sender, buffer[ipc_buffer::kCapsOrBadges + i]);
    if (!r.ok()) return ExtraCaps{};
    caps.slots[caps.count++] = r.slot;
  }
  return caps;
}

// seL4 copyMRs: registers first, buffer words only when both threads have a buffer.
word_t copy_mrs(Tcb* sender, const word_t* send_buf, Tcb* receiver, word_t* recv_buf, word_t n) {
  word_t i = 0;
  for (; i < n && i < kNumMsgRegisters; ++i) {
    receiver->context.regs[kMsgRegisters[i]] = sender->context.regs[kMsgRegisters[i]];
  }
  if (send_buf == nullptr || recv_buf == nullptr) return i;
  for (; i < n; ++i) recv_buf[ipc_buffer::kMsg + i] = send_buf[ipc_buffer::kMsg + i];
  return i;
}

// The empty slot the receiver named for a cap (seL4 getReceiveSlots), or null: any lookup
// failure, or an occupied slot, silently means no slot.
Cte* receive_slot(Tcb* receiver, const word_t* buffer) {
  const LookupResult root = lookup_cap_and_slot(receiver, buffer[ipc_buffer::kReceiveCNode]);
  if (!root.ok()) return nullptr;
  const Result<Cte*> slot =
      lookup_target_slot(root.cap, buffer[ipc_buffer::kReceiveIndex], buffer[ipc_buffer::kReceiveDepth]);
  if (!slot.ok() || !slot.value->cap.is_null()) return nullptr;
  return slot.value;
}

// seL4 transferCaps: caps to the endpoint the message travels through arrive as their badge
// (unwrapped); any other cap is derived into the receive slot, which takes one cap only.
MessageInfo transfer_caps(MessageInfo info, const ExtraCaps& caps, paddr_t ep, Tcb* receiver,
                          word_t* recv_buf) {
  info.extra_caps = 0;
  info.caps_unwrapped = 0;
  if (caps.count == 0 || recv_buf == nullptr) return info;
  Cte* dest = receive_slot(receiver, recv_buf);
  word_t i = 0;
  for (; i < caps.count; ++i) {
    Cte* src = caps.slots[i];
    const Cap cap = src->cap;
    if (cap.type() == CapType::Endpoint && EndpointCap{cap}.ptr() == ep) {
      recv_buf[ipc_buffer::kCapsOrBadges + i] = EndpointCap{cap}.badge();
      info.caps_unwrapped |= word_t{1} << i;
      continue;
    }
    if (dest == nullptr) break;
    const Result<Cap> derived = derive_cap(src, cap);
    if (!derived.ok() || derived.value.is_null()) break;
    cte_insert(derived.value, src, dest);
    dest = nullptr;
  }
  info.extra_caps = i;
  return info;
}

void do_normal_transfer(Tcb* sender, const word_t* send_buf, paddr_t ep, word_t badge, bool can_grant,
                        Tcb* receiver, word_t* recv_buf) {
  MessageInfo tag = MessageInfo::from_word(sender->context.regs[kMsgInfoRegister]);
  const bool grant = can_grant || mutant(Mutant::TransferIgnoresGrant);
  const ExtraCaps caps = grant ? lookup_extra_caps(sender, send_buf, tag.extra_caps) : ExtraCaps{};
  const word_t length = copy_mrs(sender, send_buf, receiver, recv_buf, tag.length);
  tag = transfer_caps(tag, caps, ep, receiver, recv_buf);
  tag.length = length;
  receiver->context.regs[kMsgInfoRegister] = tag.to_word();
  receiver->context.regs[kBadgeRegister] = badge;
}

}  // namespace

void do_ipc_transfer(Tcb* sender, paddr_t ep, word_t badge, bool can_grant, Tcb* receiver) {
  word_t* recv_buf = arch::lookup_ipc_buffer(receiver, true);
  if (sender->fault.is_null()) {
    do_normal_transfer(sender, arch::lookup_ipc_buffer(sender, false), ep, badge, can_grant, receiver,
                       recv_buf);
  } else {
    do_fault_transfer(badge, sender, receiver, recv_buf);
  }
}

void setup_caller_cap(Tcb* sender, Tcb* receiver, bool can_grant) {
  set_thread_state(sender, ThreadState::BlockedOnReply);
  cte_insert(ReplyCap::make(object_of(sender), false, can_grant), sender->slot(kTcbReply),
             receiver->slot(kTcbCaller));
}

void delete_caller_cap(Tcb* receiver) { cte_delete_one(receiver->slot(kTcbCaller)); }

void do_reply_transfer(Tcb* sender, Tcb* receiver, Cte* slot, bool grant) {
  if (receiver->fault.is_null()) {
    do_ipc_transfer(sender, 0, 0, grant, receiver);
    cte_delete_one(slot);
    set_thread_state(receiver, ThreadState::Running);
    possible_switch_to(receiver);
    return;
  }
  cte_delete_one(slot);
  const bool restart = handle_fault_reply(receiver, sender);
  receiver->fault = Fault{};
  if (restart) {
    set_thread_state(receiver, ThreadState::Restart);
    possible_switch_to(receiver);
  } else {
    set_thread_state(receiver, ThreadState::Inactive);
  }
}

Outcome invoke_reply(const Invocation& inv) {
  const auto decode = [](const Invocation& i) -> Result<ReplyCap> {
    const ReplyCap reply{i.cap};
    if (reply.is_master()) return SyscallError::invalid_capability(0);  // seL4: a master cap
    return reply;
  };
  const auto perform = [&inv](ReplyCap reply) -> Outcome {
    do_reply_transfer(inv.thread, tcb_from_object(reply.tcb()), inv.slot, reply.can_grant());
    return PerformStatus::Done;
  };
  return decode_then_perform(inv, decode, perform);
}

void restart_all_queued(Tcb* head) {
  for (Tcb* t = head; t != nullptr;) {
    Tcb* next = t->ep_next;
    t->ep_next = t->ep_prev = nullptr;
    set_thread_state(t, ThreadState::Restart);
    tcb_sched_enqueue(t);
    t = next;
  }
}

// Blocked on reply: the reply cap to the thread is the master's only child, wherever it was
// moved to (SaveCaller keeps its place in the derivation list).
static void cancel_reply(Tcb* t) {
  t->fault = Fault{};
  const paddr_t next = t->slot(kTcbReply)->mdb.next();
  if (next == 0) return;
  Cte* caller_cap = ptr_from_paddr<Cte>(next);
  if (caller_cap->cap.type() == CapType::Reply) cte_delete_one(caller_cap);
}

void cancel_ipc(Tcb* t) {
  switch (t->state) {
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReceive: blocked_cancel_ipc(t); return;
    case ThreadState::BlockedOnNotification: cancel_signal(t, t->blocked.object); return;
    case ThreadState::BlockedOnReply: cancel_reply(t); return;
    case ThreadState::Inactive:
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::IdleThreadState: return;
  }
}

}  // namespace keel
