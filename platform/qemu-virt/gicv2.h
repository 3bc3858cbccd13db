// GICv2 interrupt controller: distributor and CPU interface behind the machine seam's
// interrupt functions (mask_interrupt, ack_interrupt, get_active_irq).
#pragma once

#include "kernel/lib/types.h"

namespace keel::platform::gicv2 {

// Kernel virtual addresses of the distributor and CPU interface; while either is 0 (no GICv2
// in the DTB) the seam's interrupt functions do nothing and report no interrupt.
void set_bases(word_t dist_kvaddr, word_t cpu_kvaddr);

// Distributor and CPU interface on, every shared interrupt disabled until an IRQ cap asks.
void init();

}  // namespace keel::platform::gicv2
