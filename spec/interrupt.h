// Interrupts in the abstract: an oracle event (which IRQ arrives, and when, is the machine's
// choice). What the IRQ does depends on its state (irq.h): the kernel tick runs the scheduler's
// clock, an IRQ with a handler is masked until acknowledged (signalling its notification).
#pragma once

#include "step.h"

namespace keel::spec {

inline constexpr word_t kKernelTimerIrq = 27;  // the EL1 virtual timer's PPI on QEMU virt

// The kernel entry for interrupt `irq` while s.cur_thread runs (or the idle thread waits).
Step interrupt(const State& s, word_t irq);

}  // namespace keel::spec
