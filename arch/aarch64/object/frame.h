// Invocations on frame caps: Map, Unmap, GetAddress (cache maintenance is still to come).
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_frame(const Invocation& inv);

}  // namespace keel
