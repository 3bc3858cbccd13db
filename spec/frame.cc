// Frame cap invocations (reference §6.9): Page_GetAddress; every other label is refused as keel
// refuses it today.
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

InvocationResult invoke_frame(State& /*s*/, const Invocation& inv) {
  // seL4 performPageGetAddress: for a Call, label 0, length 1, MR0 = the frame's physical address.
  if (inv.label == static_cast<word_t>(Label::ARMPageGetAddress)) return Done{{inv.cap.ptr}, std::nullopt};
  // keel: not yet implemented, seL4 differs. seL4 decodes Page_Map, Page_Unmap and the cache
  // maintenance labels (40..45) with their own checks; any other label is IllegalOperation there too.
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel::spec
