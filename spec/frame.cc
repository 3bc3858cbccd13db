// Frame cap invocations (reference §6.9, facts vspace.md §5.3–§5.6): Page_GetAddress here; Page_Map,
// Page_Unmap, the cache maintenance labels (40..45) and labels of other caps in vspace.cc.
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

InvocationResult invoke_frame(State& s, const Invocation& inv) {
  // seL4 performPageGetAddress: for a Call, label 0, length 1, MR0 = the frame's physical address.
  if (inv.label == static_cast<word_t>(Label::ARMPageGetAddress)) return Done{{inv.cap.ptr}, std::nullopt};
  return invoke_page(s, inv);
}

}  // namespace keel::spec
