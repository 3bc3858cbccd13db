// Invocations on frame caps: Map, Unmap, GetAddress and cache maintenance.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_frame(const Invocation& inv);

}  // namespace keel
