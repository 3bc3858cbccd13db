// Frame cap invocations (reference §6.9, facts vspace.md §5.3–§5.6): Page_GetAddress here; Page_Map,
// Page_Unmap and the cache maintenance labels (40..45) are specified in vspace.cc and dispatched
// there once the lockstep check reads the kernel's page tables (kModelVSpace, vspace.h).
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

InvocationResult invoke_frame(State& s, const Invocation& inv) {
  // seL4 performPageGetAddress: for a Call, label 0, length 1, MR0 = the frame's physical address.
  if (inv.label == static_cast<word_t>(Label::ARMPageGetAddress)) return Done{{inv.cap.ptr}, std::nullopt};
  if (kModelVSpace) return invoke_page(s, inv);
  if (inv.label >= static_cast<word_t>(Label::ARMPageMap) &&
      inv.label <= static_cast<word_t>(Label::ARMPageUnify_Instruction))
    return NotSpecified{"Page_Map, Page_Unmap and cache maintenance (kModelVSpace is off)"};
  return SyscallError::of(Error::IllegalOperation);  // a label of another cap type, as in seL4
}

}  // namespace keel::spec
