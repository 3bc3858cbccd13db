// arch_invoke_cap: dispatch of invocations on AArch64 caps (seL4 Arch_decodeInvocation).
#include "arch/aarch64/object/asid_invocation.h"
#include "arch/aarch64/object/cache_maintenance.h"
#include "arch/aarch64/object/frame.h"
#include "arch/aarch64/object/page_table.h"
#include "arch/aarch64/object/sgi.h"
#include "arch/aarch64/object/smc.h"
#include "kernel/core/invocation.h"

namespace keel {

Outcome arch_invoke_cap(const Invocation& inv) {
  switch (inv.cap.type()) {
    case CapType::Smc: return invoke_smc(inv);
    case CapType::SgiSignal: return invoke_sgi_signal(inv);
    case CapType::Frame: return invoke_frame(inv);
    case CapType::PageTable: return invoke_page_table(inv);
    case CapType::AsidControl: return invoke_asid_control(inv);
    case CapType::AsidPool: return invoke_asid_pool(inv);
    case CapType::VSpace: return invoke_vspace_flush(inv);
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
