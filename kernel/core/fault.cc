// Fault reporting for threads whose faults cannot be delivered.
#include "kernel/core/fault.h"

#include "kernel/core/invocation.h"
#include "kernel/lib/print.h"

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

}  // namespace

void handle_fault(Tcb* thread, const Fault& fault) {
  const word_t pc = thread->context.regs[FaultIP];
  kprintf("keel: %s fault in thread \"%s\" at pc 0x%lx (address 0x%lx, code 0x%lx", fault_name(fault.type),
          thread->name, pc, fault.address, fault.code);
  if (fault.type == FaultType::CapFault) {
    kprintf(", lookup failure %lu, bits left %lu", static_cast<word_t>(fault.lookup.type),
            fault.lookup.bits_left);
  }
  kprintf("); no fault handler, thread stopped\n");
  set_thread_state(thread, ThreadState::Inactive);
}

}  // namespace keel
