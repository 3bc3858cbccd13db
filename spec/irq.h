// Interrupts in the abstract (l4v Interrupt_A): each IRQ's state, the kernel's slot for its
// notification cap, the controller's masks and triggers, the IRQControl and IRQHandler
// invocations and what an arriving IRQ does (docs/sel4-facts/interrupts.md).
//
// Invariants (check_irq_invariants, l4v valid_irq_handlers / valid_irq_node / valid_irq_masks):
// a handler cap names an IRQ in the Signal state; an IRQ's slot holds nothing but a notification
// cap, and only while the IRQ is in the Signal state; an Inactive IRQ is masked.
#pragma once

#include <string>
#include <vector>

#include "invocation.h"

namespace keel::spec {

IrqState irq_state(const State& s, word_t irq);
// seL4 setIRQState: the state, and the mask with it (masked exactly when Inactive).
void set_irq_state(State& s, IrqState st, word_t irq);
// seL4 maskInterrupt; IRQs above kMaxIrq have no mask the spec keeps.
void mask_interrupt(State& s, word_t irq, bool mask);
SlotRef irq_slot(const State& s, word_t irq);

// finaliseCap of the last handler cap for `irq` and the clean-up once its slot is empty (seL4
// deletingIRQHandler, deletedIRQHandler).
void deleting_irq_handler(State& s, word_t irq);
void deleted_irq_handler(State& s, word_t irq);

// seL4 handleInterrupt, before the entry's schedule().
void handle_interrupt(State& s, word_t irq);

void check_irq_invariants(const State& s, std::vector<std::string>& bad);

}  // namespace keel::spec
