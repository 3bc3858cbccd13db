// Invocations on page-table caps (seL4 decodeARMPageTableInvocation): Map and Unmap.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_page_table(const Invocation& inv);

}  // namespace keel
