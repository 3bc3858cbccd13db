// Taking interrupts: at kernel entry for an IRQ, and at the preemption point that stopped a
// long operation (seL4 handleInterrupt). The IRQ state table lives in object/irq.h.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// seL4 takes the interrupt that preempted an operation before the thread restarts.
void handle_preemption();
// Boot, after init_irqs: the first tick is armed.
void init_kernel_timer();

}  // namespace keel
