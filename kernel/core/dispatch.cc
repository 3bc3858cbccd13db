// invoke_cap: the dispatch of an invocation on the invoked cap's type (seL4 decodeInvocation);
// each object's own file decodes and performs it.
#include "kernel/core/invocation.h"
#include "kernel/core/ipc.h"
#include "kernel/object/cnode.h"
#include "kernel/object/domain.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/irq.h"
#include "kernel/object/notification.h"
#include "kernel/object/tcb_invocation.h"
#include "kernel/object/untyped.h"

namespace keel {

Outcome invoke_cap(const Invocation& inv) {
  switch (inv.cap.type()) {
    case CapType::CNode: return invoke_cnode(inv);
    case CapType::Untyped: return invoke_untyped(inv);
    case CapType::Thread: return invoke_tcb(inv);
    // seL4: invoking a null or zombie cap is InvalidCapability(0).
    case CapType::Null:
    case CapType::Zombie: return SyscallError::invalid_capability(0);
    case CapType::Endpoint: return invoke_endpoint(inv);
    case CapType::Notification: return invoke_notification(inv);
    case CapType::Reply: return invoke_reply(inv);
    case CapType::IrqControl: return invoke_irq_control(inv);
    case CapType::IrqHandler: return invoke_irq_handler(inv);
    case CapType::Domain: return invoke_domain(inv);
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::Smc:
    case CapType::SgiSignal: return arch_invoke_cap(inv);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
