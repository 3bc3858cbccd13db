// A thread's fault, as it is kept in its TCB until delivered and answered (seL4 seL4_Fault_t
// and tcbLookupFailure). Kept apart from fault delivery (kernel/core/fault.h) so the TCB can
// hold one.
#pragma once

#include "kernel/api/errors.h"

namespace keel {

// seL4_FaultType: also the label of the fault message (reference §7).
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
  LookupFault lookup;        // CapFault (seL4 keeps it in tcbLookupFailure)
  word_t code = 0;           // UserException / VMFault: the ESR; UnknownSyscall: the number
  bool instruction = false;  // VMFault: instruction abort

  bool is_null() const { return type == FaultType::NullFault; }
  static Fault cap_fault(cptr_t cptr, bool in_receive, LookupFault lf) {
    return Fault{.type = FaultType::CapFault, .address = cptr, .in_receive_phase = in_receive, .lookup = lf};
  }
};

}  // namespace keel
