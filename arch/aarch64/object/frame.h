// Invocations on frame caps. Page_GetAddress so far; mapping arrives with VSpace invocations.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_frame(const Invocation& inv);

}  // namespace keel
