// The IPC fastpath: each check below stands for a case where the slow path would do something
// else (fault, error, queue, transfer caps or buffer words, choose another thread); each
// effect is the slow path's for the cases left (seL4 sendIPC + setupCallerCap + schedule for a
// Call, doReplyTransfer + receiveIPC + schedule for a ReplyRecv).
#include "kernel/core/fastpath.h"

#include "kernel/api/message_info.h"
#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/ipc.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/notification.h"

namespace keel {

#if KEEL_HOST_CHECKS
bool g_fastpath_enabled = true;
word_t g_fastpath_taken = 0;
#endif

namespace {

// seL4 fastpath: no extra caps and at most the message registers' worth of words, read from
// the raw word (before the length is clamped to 120).
constexpr word_t kLengthAndExtraCapsMask = 0x1ff;

bool message_fits_registers(const Tcb* t) {
  return (t->context.regs[kMsgInfoRegister] & kLengthAndExtraCapsMask) <= kNumMsgRegisters;
}

// The endpoint cap x0 names in the thread's CSpace, or a null cap (which has no rights) for any
// other outcome.
Cap endpoint_cap(Tcb* t) {
  const LookupResult r = lookup_cap_and_slot(t, t->context.regs[kCapRegister]);
  return r.ok() && r.cap.type() == CapType::Endpoint ? r.cap : Cap::null();
}

// The slow path's possible_switch_to and schedule would run the woken thread at the end of
// this entry (the current thread having blocked).
bool runs_at_once(const Tcb* woken) {
  if (mutant(Mutant::FastpathIgnoresQueues)) return true;
  return woken->domain == ks.cur_domain && ks.action == SchedulerAction::ResumeCurrentThread &&
         candidate_may_run(woken);
}

// What the slow path's transfer gives a message with no caps that fits the registers: the
// words, the badge, and the tag without caps.
void transfer_registers(const Tcb* from, Tcb* to, word_t badge) {
  MessageInfo tag = MessageInfo::from_word(from->context.regs[kMsgInfoRegister]);
  for (word_t i = 0; i < tag.length; ++i) {
    to->context.regs[kMsgRegisters[i]] = from->context.regs[kMsgRegisters[i]];
  }
  tag.caps_unwrapped = 0;
  to->context.regs[kMsgInfoRegister] = tag.to_word();
  to->context.regs[kBadgeRegister] = badge;
}

void count_taken() {
#if KEEL_HOST_CHECKS
  ++g_fastpath_taken;
#endif
}

}  // namespace

bool fastpath_call(Tcb* caller, Cap invoked) {
  if (invoked.type() != CapType::Endpoint) return false;
  if (!message_fits_registers(caller) || !caller->fault.is_null()) return false;
  const EndpointCap cap{invoked};
  const CapRights rights = cap.rights();
  // seL4: a Call without Grant or GrantReply leaves the caller Inactive: the slow path's case.
  if (!rights.write || !(rights.grant || rights.grant_reply)) return false;
  Endpoint* ep = endpoint_at(cap.ptr());
  if (ep->state() != EndpointState::Recv || !runs_at_once(ep->queue_head)) return false;

  Tcb* receiver = dequeue_head(ep);
  transfer_registers(caller, receiver, cap.badge());
  receiver->state = ThreadState::Running;
  // Switching first keeps the caller's blocking from asking the scheduler for a new choice.
  switch_to_thread(receiver);
  setup_caller_cap(caller, receiver, receiver->blocked.can_grant);
  count_taken();
  return true;
}

bool fastpath_reply_recv(Tcb* replier) {
  if (!message_fits_registers(replier) || !replier->fault.is_null()) return false;
  const EndpointCap cap{endpoint_cap(replier)};
  if (!cap.rights().read) return false;
  // A pending signal on the bound notification is received first; a queued sender is taken.
  const paddr_t bound = replier->bound_notification;
  if (bound != 0 && notification_at(bound)->state() == NotificationState::Active) return false;
  if (endpoint_at(cap.ptr())->state() == EndpointState::Send) return false;
  Cte* slot = replier->slot(kTcbCaller);
  if (slot->cap.type() != CapType::Reply || ReplyCap{slot->cap}.is_master()) return false;
  Tcb* caller = tcb_from_object(ReplyCap{slot->cap}.tcb());
  // A caller whose fault awaits this reply gets a fault reply: the slow path's case.
  if (!caller->fault.is_null() || !runs_at_once(caller)) return false;

  transfer_registers(replier, caller, 0);
  if (!mutant(Mutant::FastpathKeepsReplyCap)) cte_delete_one(slot);
  caller->state = ThreadState::Running;
  // Switching first keeps the replier's blocking from asking the scheduler for a new choice.
  switch_to_thread(caller);
  block_receive(replier, cap);
  count_taken();
  return true;
}

}  // namespace keel
