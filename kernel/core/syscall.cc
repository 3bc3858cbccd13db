// The system call path: decode the syscall number, run the invocation, reply, pick the next
// thread. Register use follows seL4's AArch64 ABI (reference §1.2, §1.3).
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cspace.h"
#include "kernel/config/config.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/debug_syscall.h"
#include "kernel/core/entry.h"
#include "kernel/core/fastpath.h"
#include "kernel/core/fault.h"
#include "kernel/core/interrupt.h"
#include "kernel/core/ipc.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/message.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/print.h"
#include "kernel/machine/machine.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/notification.h"

namespace keel {

namespace {

// Looks up the extra caps named in the IPC buffer; false (with the fault) if one fails.
bool lookup_extra_caps(Invocation& inv, word_t count, Fault& fault) {
  if (inv.ipc_buffer == nullptr) return true;  // seL4: no buffer, no extra caps
  for (word_t i = 0; i < count; ++i) {
    const cptr_t cptr = inv.ipc_buffer[ipc_buffer::kCapsOrBadges + i];
    const LookupResult r = lookup_cap_and_slot(inv.thread, cptr);
    if (!r.ok()) {
      fault = Fault::cap_fault(cptr, false, r.fault);
      return false;
    }
    inv.extra[i] = ExtraCap{r.cap, r.slot};
    inv.num_extra = i + 1;
  }
  return true;
}

// The cap a Send, NBSend or Call invokes (x0), looked up once for the fastpath and the slow path.
LookupResult lookup_invoked_cap() {
  return lookup_cap_and_slot(ks.cur_thread, ks.cur_thread->context.regs[kCapRegister]);
}

// Returns true when the operation was preempted (the thread will re-execute the syscall).
bool handle_invocation(bool is_call, bool is_blocking, const LookupResult& target) {
  Tcb* thread = ks.cur_thread;
  const cptr_t cptr = thread->context.regs[kCapRegister];
  if (!target.ok()) {
    // seL4: a failed lookup of the invoked cap is a cap fault, or nothing for NBSend.
    if (is_blocking) handle_fault(thread, Fault::cap_fault(cptr, false, target.fault));
    return false;
  }
  const MessageInfo info = MessageInfo::from_word(thread->context.regs[kMsgInfoRegister]);
  Invocation inv{.thread = thread,
                 .label = info.label,
                 .cap = target.cap,
                 .slot = target.slot,
                 .cptr = cptr,
                 .is_call = is_call,
                 .is_blocking = is_blocking};
  inv.ipc_buffer = arch::lookup_ipc_buffer(thread, false);
  inv.length = info.length;
  if (inv.ipc_buffer == nullptr && inv.length > kNumMsgRegisters) inv.length = kNumMsgRegisters;
  Fault fault;
  if (!lookup_extra_caps(inv, info.extra_caps, fault)) {
    if (is_blocking) handle_fault(thread, fault);
    return false;
  }
  const Outcome outcome = invoke_cap(inv);
  if (!outcome.ok()) {
    if (is_call) reply_error(thread, outcome.error);
    return false;
  }
  if (preempted(outcome)) return true;
  if (thread->state != ThreadState::Restart) return false;
  if (is_call) reply_success(thread, nullptr, 0);
  set_thread_state(thread, ThreadState::Running);
  return false;
}

void recv_fault(Tcb* thread, cptr_t cptr) {
  handle_fault(thread,
               Fault::cap_fault(cptr, true, LookupFault{.type = LookupFailureType::MissingCapability}));
}

// seL4 handleRecv: an endpoint or a notification the thread may receive from; anything else is
// a cap fault in the receive phase.
void handle_recv(bool blocking) {
  Tcb* thread = ks.cur_thread;
  const cptr_t cptr = thread->context.regs[kCapRegister];
  const LookupResult r = lookup_cap_and_slot(thread, cptr);
  if (!r.ok()) {
    handle_fault(thread, Fault::cap_fault(cptr, true, r.fault));
    return;
  }
  if (r.cap.type() == CapType::Endpoint) {
    if (!EndpointCap{r.cap}.rights().read) return recv_fault(thread, cptr);
    delete_caller_cap(thread);
    receive_ipc(thread, r.cap, blocking);
    return;
  }
  if (r.cap.type() == CapType::Notification) {
    const NotificationCap n{r.cap};
    const Tcb* bound = notification_at(n.ptr())->bound_tcb();
    // seL4: only the bound thread may wait on a bound notification.
    if (!n.rights().read || (bound != nullptr && bound != thread)) return recv_fault(thread, cptr);
    receive_signal(thread, n.ptr(), blocking);
    return;
  }
  recv_fault(thread, cptr);
}

// seL4 handleReply: answers the caller whose reply cap is in the caller slot, if any.
void handle_reply() {
  Tcb* thread = ks.cur_thread;
  Cte* slot = thread->slot(kTcbCaller);
  if (slot->cap.type() != CapType::Reply) return;
  const ReplyCap reply{slot->cap};
  do_reply_transfer(thread, tcb_from_object(reply.tcb()), slot, reply.can_grant());
}

// seL4 handleUnknownSyscall: the debug numbers are syscalls only in a debug build; in a release
// build they fault like any other unknown number.
void handle_unknown_syscall(sword_t number) {
  if constexpr (config::kDebugBuild) {
    if (handle_debug_syscall(number)) return;
  }
  handle_fault(ks.cur_thread, Fault{.type = FaultType::UnknownSyscall, .code = word_t(number)});
}

}  // namespace

// The fastpath's result equals the slow path's, which runs whenever it declines; when it takes
// the syscall, the woken thread is current and there is nothing left to schedule.
void handle_syscall(sword_t number) {
  if (number < kSyscallMin || number > kSyscallMax) {
    handle_unknown_syscall(number);
  } else {
    switch (static_cast<Syscall>(number)) {
      case Syscall::Call: {
        const LookupResult target = lookup_invoked_cap();
        const bool endpoint = target.cap.type() == CapType::Endpoint;  // tested here: most Calls are not
        if (fastpath_enabled() && endpoint && fastpath_call(ks.cur_thread, target.cap)) return;
        if (handle_invocation(true, true, target)) handle_preemption();
        break;
      }
      case Syscall::Send:
        if (handle_invocation(false, true, lookup_invoked_cap())) handle_preemption();
        break;
      case Syscall::NBSend:
        if (handle_invocation(false, false, lookup_invoked_cap())) handle_preemption();
        break;
      case Syscall::Recv: handle_recv(true); break;
      case Syscall::NBRecv: handle_recv(false); break;
      case Syscall::Reply: handle_reply(); break;
      case Syscall::ReplyRecv:
        if (fastpath_enabled() && fastpath_reply_recv(ks.cur_thread)) return;
        handle_reply();
        handle_recv(true);
        break;
      case Syscall::Yield: handle_yield(); break;
      case Syscall::DebugPutChar:
      case Syscall::DebugDumpScheduler:
      case Syscall::DebugHalt:
      case Syscall::DebugCapIdentify:
      case Syscall::DebugSnapshot:
      case Syscall::DebugNameThread: break;  // outside [kSyscallMin, kSyscallMax]
    }
  }
  schedule();
  activate_thread(ks.cur_thread);
}

void handle_user_exception(word_t esr, word_t far) {
  handle_fault(ks.cur_thread, Fault{.type = FaultType::UserException, .address = far, .code = esr});
  schedule();
  activate_thread(ks.cur_thread);
}

// seL4 handleVMFault: a prefetch abort reports the restart PC as its address; the status is
// the syndrome's low 32 bits (seL4's FSR field).
void handle_vm_fault(word_t esr, word_t far, bool instruction) {
  const word_t address = instruction ? ks.cur_thread->context.regs[FaultIP] : far;
  handle_fault(ks.cur_thread, Fault{.type = FaultType::VMFault,
                                    .address = address,
                                    .code = esr & 0xffffffff,
                                    .instruction = instruction});
  schedule();
  activate_thread(ks.cur_thread);
}

}  // namespace keel
