// seL4's debug system calls (reference §1.4), recognised on the unknown-syscall path.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// Handles a debug syscall number; false when `number` is not one.
bool handle_debug_syscall(sword_t number);

}  // namespace keel
