// Kernel entry points. Each reads and writes the current thread's saved registers and returns;
// the arch exit path (or the host driver) then resumes whichever thread is current.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// `svc #0` from EL0; the number is x7 of the caller.
void handle_syscall(sword_t number);
// Any other synchronous exception from EL0 (esr/far as the hardware reported them).
void handle_user_exception(word_t esr, word_t far);
void handle_vm_fault(word_t esr, word_t far, bool instruction);
void handle_interrupt();

}  // namespace keel
