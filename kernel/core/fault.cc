// Fault delivery, fault messages and fault replies (seL4 faulthandler.c, faults.c and the arch
// fault message layouts).
#include "kernel/core/fault.h"

#include "kernel/cap/cspace.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/message.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/print.h"
#include "kernel/object/endpoint.h"

namespace keel {

namespace {

const char* fault_name(FaultType t) {
  switch (t) {
    case FaultType::NullFault: return "null";
    case FaultType::CapFault: return "cap";
    case FaultType::UnknownSyscall: return "unknown syscall";
    case FaultType::UserException: return "user exception";
    case FaultType::VMFault: return "vm";
  }
  return "?";
}

// "(address 0x.., code 0x..[, lookup failure ..])"
void print_fault_details(const Fault& fault) {
  kprintf("(address 0x%lx, code 0x%lx", fault.address, fault.code);
  if (fault.type == FaultType::CapFault) {
    kprintf(", lookup failure %lu, bits left %lu", static_cast<word_t>(fault.lookup.type),
            fault.lookup.bits_left);
  }
  kprintf(")");
}

// seL4 handleDoubleFault: nobody can be told, so the kernel says it and the thread stops.
void double_fault(Tcb* thread, const Fault& fault, const Fault& handler_fault) {
  kprintf("keel: %s fault in thread \"%s\" at pc 0x%lx ", fault_name(fault.type), thread->name,
          thread->context.regs[FaultIP]);
  print_fault_details(fault);
  kprintf("; no fault handler, thread stopped (its handler: cap fault ");
  print_fault_details(handler_fault);
  kprintf(")\n");
  set_thread_state(thread, ThreadState::Inactive);
}

// A fault message word: MR i into x2..x5 or the buffer (seL4 setMR); returns the length so far.
struct FaultMessage {
  Tcb* receiver;
  word_t* buffer;
  word_t length = 0;
  void set(word_t i, word_t v) { length = set_mr(receiver, buffer, i, v); }
};

void cap_fault_message(FaultMessage& m, const Tcb* sender, const Fault& f) {
  m.set(0, sender->context.regs[FaultIP]);
  m.set(1, f.address);
  m.set(2, f.in_receive_phase ? 1 : 0);
  word_t words[4];
  const word_t n = lookup_fault_words(f.lookup, words);
  for (word_t i = 0; i < n; ++i) m.set(3 + i, words[i]);
}

template <size_t kCount>
word_t copy_registers(FaultMessage& m, const Tcb* sender, const Reg (&regs)[kCount]) {
  for (word_t i = 0; i < kCount; ++i) m.set(i, sender->context.regs[regs[i]]);
  return kCount;
}

void set_fault_message(FaultMessage& m, const Tcb* sender) {
  const Fault& f = sender->fault;
  switch (f.type) {
    case FaultType::CapFault: cap_fault_message(m, sender, f); return;
    case FaultType::UnknownSyscall: m.set(copy_registers(m, sender, kSyscallFaultRegs), f.code); return;
    case FaultType::UserException: {
      const word_t n = copy_registers(m, sender, kExceptionFaultRegs);
      m.set(n, f.code);
      m.set(n + 1, 0);  // seL4's exception code: always 0 on AArch64
      return;
    }
    case FaultType::VMFault:
      m.set(0, sender->context.regs[FaultIP]);
      m.set(1, f.address);
      m.set(2, f.instruction ? 1 : 0);
      m.set(3, f.code);
      return;
    case FaultType::NullFault: return;
  }
}

// Reply words 0..n-1 into the listed registers: x2..x5, then the replier's buffer if it has one
// (seL4 copyMRsFaultReply).
template <size_t kCount>
void copy_reply_registers(Tcb* faulter, Tcb* replier, const Reg (&regs)[kCount], word_t length) {
  const word_t n = length < kCount ? length : kCount;
  const word_t* buffer = n > kNumMsgRegisters ? arch::lookup_ipc_buffer(replier, false) : nullptr;
  for (word_t i = 0; i < n; ++i) {
    if (i >= kNumMsgRegisters && buffer == nullptr) return;
    const word_t v =
        i < kNumMsgRegisters ? replier->context.regs[kMsgRegisters[i]] : buffer[ipc_buffer::kMsg + i];
    faulter->context.regs[regs[i]] = sanitise_register(regs[i], v);
  }
}

}  // namespace

void handle_fault(Tcb* thread, const Fault& fault) {
  const cptr_t handler = thread->fault_handler;
  const LookupResult r = lookup_cap_and_slot(thread, handler);
  if (!r.ok()) {
    double_fault(thread, fault, Fault::cap_fault(handler, false, r.fault));
    return;
  }
  const EndpointCap ep{r.cap};
  const CapRights rights = ep.rights();
  if (r.cap.type() != CapType::Endpoint || !rights.write || !(rights.grant || rights.grant_reply)) {
    double_fault(thread, fault,
                 Fault::cap_fault(handler, false, LookupFault{.type = LookupFailureType::MissingCapability}));
    return;
  }
  thread->fault = fault;
  // seL4: a fault is a Call that always gets a reply cap.
  send_ipc(true, true, ep.badge(), rights.grant, true, thread, ep.ptr());
}

void do_fault_transfer(word_t badge, Tcb* sender, Tcb* receiver, word_t* recv_buf) {
  FaultMessage m{receiver, recv_buf};
  set_fault_message(m, sender);
  receiver->context.regs[kMsgInfoRegister] =
      MessageInfo{static_cast<word_t>(sender->fault.type), 0, 0, m.length}.to_word();
  receiver->context.regs[kBadgeRegister] = badge;
}

bool handle_fault_reply(Tcb* faulter, Tcb* replier) {
  const MessageInfo tag = MessageInfo::from_word(replier->context.regs[kMsgInfoRegister]);
  switch (faulter->fault.type) {
    case FaultType::CapFault:
    case FaultType::VMFault: return true;
    case FaultType::UnknownSyscall:
      copy_reply_registers(faulter, replier, kSyscallFaultRegs, tag.length);
      return tag.label == 0;
    case FaultType::UserException:
      copy_reply_registers(faulter, replier, kExceptionFaultRegs, tag.length);
      return tag.label == 0;
    case FaultType::NullFault: return true;
  }
  return true;
}

}  // namespace keel
