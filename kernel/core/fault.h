// Faults a thread can raise (seL4 §7) and what happens to them.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/object/tcb.h"
#include "kernel/object/thread_fault.h"

namespace keel {

// Delivers the fault to the thread's fault handler. keel has no endpoint IPC yet, so every
// fault ends as seL4 ends a fault with no usable handler: the kernel prints it and the thread
// becomes inactive.
void handle_fault(Tcb* thread, const Fault& fault);

}  // namespace keel
