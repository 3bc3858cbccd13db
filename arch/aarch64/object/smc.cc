// SMC cap invocation: decode checks, then `smc #0` through the machine seam.
#include "arch/aarch64/object/smc.h"

#include "kernel/core/message.h"
#include "kernel/lib/mutation.h"

namespace keel {

Result<SmcCallOp> decode_smc_invocation(const Invocation& inv) {
  // seL4: SMC cap — any label but ARMSMCCall is IllegalOperation.
  if (inv.op() != Label::ARMSMCCall) return SyscallError::of(Error::IllegalOperation);
  // seL4: SMC cap — all eight argument registers must be sent. A thread without an IPC buffer
  // has its length clamped to 4, so it always lands here.
  if (inv.length < machine::kSmcArgsSeL4) return SyscallError::of(Error::TruncatedMessage);
  // seL4: SMC cap — a badge names the one function ID allowed; 0 allows any. Full 64-bit
  // compare: no masking of w0 or of the SVE hint.
  const word_t badge = SmcCap{inv.cap}.badge();
  const word_t compared = mutant(Mutant::SmcBadgeLow32) ? mask_bits(32) : ~word_t{0};
  if (badge != 0 && (badge & compared) != (inv.mr(0) & compared) && !mutant(Mutant::SkipSmcBadgeCheck))
    return SyscallError::of(Error::IllegalOperation);
  SmcCallOp op{.args = {}, .caller = inv.thread, .is_call = inv.is_call};
  // x8..x17 go to the monitor as zero, so no kernel register contents leak to it.
  for (unsigned i = 0; i < machine::kSmcArgsSeL4; ++i) op.args.x[i] = inv.mr(i);
  return op;
}

PerformStatus perform_smc_call(const SmcCallOp& op) {
  const machine::SmcRegs result = machine::do_smc(op.args);
  // Only x0..x7 come back, as in seL4; x8..x17 are treated as clobbered.
  reply_from_perform(op.caller, op.is_call, result.x, machine::kSmcArgsSeL4);
  return PerformStatus::Done;
}

Outcome invoke_smc(const Invocation& inv) {
  return decode_then_perform(inv, decode_smc_invocation, perform_smc_call);
}

}  // namespace keel
