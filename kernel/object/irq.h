// IRQ control, IRQ handler caps and the IRQ state table (seL4 interrupt.c; facts in
// docs/sel4-facts/interrupts.md): which IRQs are free, handed to a handler cap, or the kernel's
// (the timer), and each one's notification cap, kept in a kernel slot (the IRQ node) that takes
// part in the derivation tree like any other slot.
//
// Invariants: a handler cap exists only for an IRQ in the Signal state; an IRQ's node slot holds
// a notification cap or nothing, and nothing unless the IRQ is in the Signal state; an Inactive
// IRQ is masked (every state change writes the mask); the kernel timer's IRQ is in the Timer
// state and never handed out.
#pragma once

#include "kernel/api/result.h"
#include "kernel/cap/cte.h"
#include "kernel/config/config.h"

namespace keel {

struct Invocation;

// seL4 irq_state_t without IPI (one core).
enum class IrqState : uint8_t { Inactive, Signal, Timer, Reserved };

inline constexpr word_t kNumIrqs = config::kMaxIrq + 1;
// The IRQ node has 2^8 slots, as seL4's (IRQ_CNODE_SLOT_BITS); IRQ i's notification is slot i.
inline constexpr unsigned kIrqNodeSlotBits = 8;
static_assert(kNumIrqs <= (word_t{1} << kIrqNodeSlotBits));

// Boot (seL4 init_irqs): `node` is zeroed kernel memory of 2^(kIrqNodeSlotBits + kSlotBits)
// bytes; every IRQ becomes Inactive (masked), then the kernel timer's Timer (unmasked).
void init_irqs(paddr_t node);
// seL4 setIRQState: the state, and the mask with it (masked exactly when Inactive).
void set_irq_state(IrqState state, word_t irq);
IrqState irq_state(word_t irq);
Cte* irq_slot(word_t irq);

// Invocations of the IRQControl cap (Get, GetTrigger) and of IRQ handler caps (Ack,
// SetNotification, Clear).
Outcome invoke_irq_control(const Invocation& inv);
Outcome invoke_irq_handler(const Invocation& inv);
// The arch's IRQControl labels (seL4 Arch_decodeIRQControlInvocation): on AArch64 without SMP,
// IssueSGISignal (arch/aarch64/object/sgi.cc); any other label is IllegalOperation.
Outcome arch_invoke_irq_control(const Invocation& inv);

// finalise_cap of the last handler cap for `irq`: delete its notification slot (seL4
// deletingIRQHandler).
void deleting_irq_handler(word_t irq);
// Called once a slot is empty, with finalise_cap's clean-up cap: an IRQ handler's IRQ becomes
// Inactive and masked (seL4 postCapDeletion, deletedIRQHandler).
void post_cap_deletion(Cap cleanup_info);

}  // namespace keel
