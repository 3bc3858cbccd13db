// The cache-maintenance invocations on frame caps (Page_Clean_Data .. Page_Unify_Instruction,
// offsets inside the frame) and VSpace caps (VSpace_Clean_Data .. VSpace_Unify_Instruction,
// user addresses), with seL4's checks (vspace.c decodeARMFrameInvocation,
// decodeARMVSpaceRootInvocation).
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

bool is_page_flush_label(Label l);
bool is_vspace_flush_label(Label l);
Outcome invoke_page_flush(const Invocation& inv);
Outcome invoke_vspace_flush(const Invocation& inv);

}  // namespace keel
