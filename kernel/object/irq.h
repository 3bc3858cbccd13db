// IRQ handler caps and the IRQ state table (seL4 interrupt.c): which IRQs are free, handed to a
// handler cap, or reserved for the kernel (the timer), and each one's bound notification.
//
// Invariants (once IRQ caps exist): a handler cap exists only for an IRQ in the signal state;
// an IRQ's notification is live; the kernel timer's IRQ is never handed out.
#pragma once

#include "kernel/cap/cap.h"

namespace keel {

// finalise_cap of the last handler cap for `irq`: mask it and make it free (seL4
// deletingIRQHandler).
void deleting_irq_handler(word_t irq);
// Called once a slot is empty, with finalise_cap's clean-up cap (an IRQ handler, or null).
void post_cap_deletion(Cap cleanup_info);

}  // namespace keel
