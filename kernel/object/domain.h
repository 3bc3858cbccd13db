// The domain cap's invocations (seL4 domain.c; facts in docs/sel4-facts/threads.md §3):
// DomainSet_Set moves a thread to a domain, ScheduleConfigure and ScheduleSetStart edit the
// domain schedule the kernel tick follows.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_domain(const Invocation& inv);

}  // namespace keel
