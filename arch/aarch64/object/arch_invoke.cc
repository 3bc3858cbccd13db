// arch_invoke_cap: dispatch of invocations on AArch64 caps (seL4 Arch_decodeInvocation).
#include "arch/aarch64/object/frame.h"
#include "arch/aarch64/object/smc.h"
#include "kernel/core/invocation.h"

namespace keel {

Outcome arch_invoke_cap(const Invocation& inv) {
  switch (inv.cap.type()) {
    case CapType::Smc: return invoke_smc(inv);
    case CapType::Frame: return invoke_frame(inv);
    // Page, page-table, VSpace and ASID invocations are later steps; until each lands its cap
    // refuses every label.
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    // Generic tags never come here (invoke_cap dispatches them).
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain: return SyscallError::of(Error::IllegalOperation);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
