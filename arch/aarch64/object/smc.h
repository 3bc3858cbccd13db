// The SMC capability's invocation, exactly as seL4's ARMSMCCall (reference sel4-smc.md §2.5-2.7).
#pragma once

#include "kernel/core/invocation.h"
#include "kernel/machine/machine.h"

namespace keel {

// A decoded SMC call: the registers the secure monitor will see.
struct SmcCallOp {
  machine::SmcRegs args;
  Tcb* caller;
  bool is_call;
};

// Read-only: label, length and badge checks in seL4's order.
Result<SmcCallOp> decode_smc_invocation(const Invocation& inv);
// Makes the call; the results become the reply (MR0..MR7 = x0..x7).
PerformStatus perform_smc_call(const SmcCallOp& op);
Outcome invoke_smc(const Invocation& inv);

}  // namespace keel
