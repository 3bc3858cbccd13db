// Which thread's FP/SIMD state is in the hardware (seL4 16.0.0 fpu.h, facts in
// docs/sel4-facts/threads.md §4). The state moves only when a thread that does not own the FPU
// is switched to, so syscalls and interrupts that return to the same thread never copy it.
#pragma once

#include "kernel/object/tcb.h"

namespace keel {

// seL4 lazyFPURestore, at every switch to a thread: a thread with fpuDisabled gets a trapping
// FPU; the owner gets it back as it is; any other thread's state is loaded (the owner's saved).
void fpu_switch_to(Tcb* t);
// seL4 fpuRelease: if `t` owns the FPU its state is saved and nobody owns it any more (the
// thread is being deleted, moved to another domain, or has just had its FPU disabled).
void fpu_release(Tcb* t);

}  // namespace keel
