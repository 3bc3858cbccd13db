// Frame cap invocations (seL4 decodeARMFrameInvocation), the GetAddress part.
#include "arch/aarch64/object/frame.h"

namespace keel {

namespace {

struct GetAddressOp {
  paddr_t paddr;
};

PerformStatus perform_get_address(const GetAddressOp& op, ReplyMessage& reply) {
  reply.push(op.paddr);
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_frame(const Invocation& inv, ReplyMessage& reply) {
  if (inv.op() == Label::ARMPageGetAddress) {
    const Result<GetAddressOp> op = GetAddressOp{FrameCap{inv.cap}.ptr()};
    return decode_then_perform(inv, op, perform_get_address, reply);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
