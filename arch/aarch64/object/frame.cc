// Frame cap invocations (seL4 decodeARMFrameInvocation), the GetAddress part.
#include "arch/aarch64/object/frame.h"

#include "kernel/core/message.h"

namespace keel {

namespace {

struct GetAddressOp {
  paddr_t paddr;
  Tcb* caller;
  bool is_call;
};

Result<GetAddressOp> decode_get_address(const Invocation& inv) {
  return GetAddressOp{FrameCap{inv.cap}.ptr(), inv.thread, inv.is_call};
}

PerformStatus perform_get_address(const GetAddressOp& op) {
  reply_from_perform(op.caller, op.is_call, &op.paddr, 1);
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_frame(const Invocation& inv) {
  if (inv.op() == Label::ARMPageGetAddress) {
    return decode_then_perform(inv, decode_get_address, perform_get_address);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
