// Frame cap invocations (reference §6.9): Page_GetAddress; Map and Unmap are not specified yet;
// the cache maintenance labels are refused as keel refuses them today.
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

InvocationResult invoke_frame(State& /*s*/, const Invocation& inv) {
  // seL4 performPageGetAddress: for a Call, label 0, length 1, MR0 = the frame's physical address.
  if (inv.label == static_cast<word_t>(Label::ARMPageGetAddress)) return Done{{inv.cap.ptr}, std::nullopt};
  // Page_Map and Page_Unmap change page tables, which this spec does not model yet (the abstract
  // VSpace is the next step of the VSpace issue).
  if (inv.label == static_cast<word_t>(Label::ARMPageMap) ||
      inv.label == static_cast<word_t>(Label::ARMPageUnmap))
    return NotSpecified{"Page_Map and Page_Unmap (page tables)"};
  // keel: not yet implemented, seL4 differs: seL4 decodes the cache maintenance labels (42..45)
  // with their own checks; any other label is IllegalOperation there too.
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel::spec
