// Invocations on the ASID control cap (MakePool) and ASID pool caps (Assign), seL4 vspace.c.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_asid_control(const Invocation& inv);
Outcome invoke_asid_pool(const Invocation& inv);

}  // namespace keel
