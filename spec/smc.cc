// SMC invocation (sel4-smc.md §2.5, §2.7): decode checks in order, then the monitor's answer,
// which the spec takes from an oracle. Badge rules live in the generic cap algebra.
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

InvocationResult invoke_smc(State& /*s*/, const Invocation& inv) {
  if (inv.label != static_cast<word_t>(Label::ARMSMCCall)) return SyscallError::of(Error::IllegalOperation);
  // A thread without an IPC buffer has its length clamped to 4, so it always lands here.
  if (inv.length < kNumSmcRegs) return SyscallError::of(Error::TruncatedMessage);
  // Badge 0 allows any function ID; otherwise MR0 must equal the badge, all 64 bits.
  if (inv.cap.badge != 0 && inv.cap.badge != inv.mrs[0]) return SyscallError::of(Error::IllegalOperation);
  if (!inv.smc_oracle || !*inv.smc_oracle) return NotSpecified{"SMC without a monitor oracle"};

  SmcCall call;
  for (unsigned i = 0; i < kNumSmcRegs; ++i) call.args[i] = inv.mrs[i];
  call.results = (*inv.smc_oracle)(call.args);
  // The SMC happens for Send too; only a Call gets the results back.
  return Done{std::vector<word_t>(call.results.begin(), call.results.end()), call};
}

}  // namespace keel::spec
