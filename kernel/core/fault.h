// Faults a thread can raise (seL4 §7) and what happens to them.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/object/tcb.h"

namespace keel {

enum class FaultType : word_t {
  NullFault = 0,
  CapFault = 1,
  UnknownSyscall = 2,
  UserException = 3,
  VMFault = 5,
};

struct Fault {
  FaultType type = FaultType::NullFault;
  word_t address = 0;  // CapFault: the CPtr; VMFault: the faulting address
  bool in_receive_phase = false;
  LookupFault lookup;        // CapFault
  word_t code = 0;           // UserException / VMFault: the ESR; UnknownSyscall: the number
  bool instruction = false;  // VMFault: instruction abort

  static Fault cap_fault(cptr_t cptr, bool in_receive, LookupFault lf) {
    return Fault{.type = FaultType::CapFault, .address = cptr, .in_receive_phase = in_receive, .lookup = lf};
  }
};

// Delivers the fault to the thread's fault handler. keel has no endpoint IPC yet, so every
// fault ends as seL4 ends a fault with no usable handler: the kernel prints it and the thread
// becomes inactive.
void handle_fault(Tcb* thread, const Fault& fault);

}  // namespace keel
