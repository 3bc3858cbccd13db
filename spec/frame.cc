// Frame cap invocations (reference §6.9): Page_GetAddress; Map, Unmap and cache maintenance are
// not specified yet.
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

InvocationResult invoke_frame(State& /*s*/, const Invocation& inv) {
  // seL4 performPageGetAddress: for a Call, label 0, length 1, MR0 = the frame's physical address.
  if (inv.label == static_cast<word_t>(Label::ARMPageGetAddress)) return Done{{inv.cap.ptr}, std::nullopt};
  // Page_Map, Page_Unmap and cache maintenance (labels 40..45) depend on page tables, which this
  // spec does not model yet (the abstract VSpace is the next step of the VSpace issue).
  if (inv.label >= static_cast<word_t>(Label::ARMPageMap) &&
      inv.label <= static_cast<word_t>(Label::ARMPageUnify_Instruction))
    return NotSpecified{"Page_Map, Page_Unmap and cache maintenance (page tables)"};
  // seL4: any other label on a frame cap.
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel::spec
