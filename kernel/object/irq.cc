// The IRQ state table, IRQControl and IRQ handler invocations, and handler deletion (seL4
// interrupt.c and arch interrupt.c). What an arriving IRQ does is in kernel/core/interrupt.cc.
#include "kernel/object/irq.h"

#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/invocation.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/mutation.h"

namespace keel {

void init_irqs(paddr_t node) {
  ks.irq_node = ptr_from_paddr<Cte>(node);
  for (word_t irq = 0; irq < kNumIrqs; ++irq) set_irq_state(IrqState::Inactive, irq);
  set_irq_state(IrqState::Timer, machine::kernel_timer_irq());
}

void set_irq_state(IrqState state, word_t irq) {
  ks.irq_state[irq] = state;
  machine::mask_interrupt(irq, state == IrqState::Inactive);
}

IrqState irq_state(word_t irq) { return ks.irq_state[irq]; }

Cte* irq_slot(word_t irq) { return ks.irq_node + irq; }

namespace {

struct IssueHandlerOp {
  word_t irq;
  Cte* dest;
  Cte* control;
  bool set_trigger;
  bool edge;
};

// seL4: IRQControl Get / GetTrigger — the words and the destination CNode, then the IRQ's range,
// then the IRQ still free (the timer never is), then the destination slot's lookup and emptiness.
Result<IssueHandlerOp> decode_issue(const Invocation& inv, bool with_trigger) {
  const unsigned words = with_trigger ? 4 : 3;
  if (inv.length < words || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const word_t irq = inv.mr(0), index = inv.mr(words - 2), depth = inv.mr(words - 1);
  if (irq > config::kMaxIrq) return SyscallError::range(0, config::kMaxIrq);
  if (irq_state(irq) != IrqState::Inactive) return SyscallError::of(Error::RevokeFirst);
  const Result<Cte*> dest = lookup_target_slot(inv.extra[0].cap, index, depth);
  if (!dest.ok()) return dest.error;
  const SyscallError e = ensure_empty_slot(dest.value);
  if (e.type != Error::NoError) return e;
  return IssueHandlerOp{irq, dest.value, inv.slot, with_trigger, with_trigger && inv.mr(1) != 0};
}

Result<IssueHandlerOp> decode_get(const Invocation& inv) { return decode_issue(inv, false); }
Result<IssueHandlerOp> decode_get_trigger(const Invocation& inv) { return decode_issue(inv, true); }

// The trigger is set first; the Signal state unmasks the IRQ at once (seL4 invokeIRQControl).
PerformStatus perform_issue(const IssueHandlerOp& op) {
  if (op.set_trigger) machine::set_irq_trigger(op.irq, op.edge);
  set_irq_state(IrqState::Signal, op.irq);
  cte_insert(IrqHandlerCap::make(op.irq), op.control, op.dest);
  return PerformStatus::Done;
}

struct HandlerOp {
  word_t irq;
};

struct SetNotificationOp {
  word_t irq;
  Cap ntfn;
  Cte* src;
};

word_t irq_of(const Invocation& inv) { return IrqHandlerCap{inv.cap}.irq(); }

// seL4: IRQHandler Ack and Clear have no checks.
Result<HandlerOp> decode_handler_op(const Invocation& inv) { return HandlerOp{irq_of(inv)}; }

// GICv2 on one core: Ack unmasks what delivery masked.
PerformStatus perform_ack(const HandlerOp& op) {
  if (!mutant(Mutant::AckNeverUnmasks)) machine::mask_interrupt(op.irq, false);
  return PerformStatus::Done;
}

PerformStatus perform_clear(const HandlerOp& op) {
  cte_delete_one(irq_slot(op.irq));
  return PerformStatus::Done;
}

// seL4: IRQHandler SetNotification — a notification cap that may send; anything else is
// InvalidCapability numbered 0 (not 1), as seL4 numbers this extra cap.
Result<SetNotificationOp> decode_set_notification(const Invocation& inv) {
  if (inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const Cap c = inv.extra[0].cap;
  if (c.type() != CapType::Notification || !NotificationCap{c}.rights().write) {
    return SyscallError::invalid_capability(0);
  }
  return SetNotificationOp{irq_of(inv), c, inv.extra[0].slot};
}

// The old cap goes first; the new one is copied as it is (seL4 does not derive it).
PerformStatus perform_set_notification(const SetNotificationOp& op) {
  Cte* slot = irq_slot(op.irq);
  cte_delete_one(slot);
  cte_insert(op.ntfn, op.src, slot);
  return PerformStatus::Done;
}

}  // namespace

// Labels other than these go to the arch (IssueSGISignal, docs/sel4-facts/interrupts.md §1.3).
Outcome invoke_irq_control(const Invocation& inv) {
  const Label l = inv.op();
  if (l == Label::IRQIssueIRQHandler) return decode_then_perform(inv, decode_get, perform_issue);
  if (l == Label::ARMIRQIssueIRQHandlerTrigger) {
    return decode_then_perform(inv, decode_get_trigger, perform_issue);
  }
  return arch_invoke_irq_control(inv);
}

Outcome invoke_irq_handler(const Invocation& inv) {
  const Label l = inv.op();
  if (l == Label::IRQAckIRQ) return decode_then_perform(inv, decode_handler_op, perform_ack);
  if (l == Label::IRQSetIRQHandler) {
    return decode_then_perform(inv, decode_set_notification, perform_set_notification);
  }
  if (l == Label::IRQClearIRQHandler) return decode_then_perform(inv, decode_handler_op, perform_clear);
  return SyscallError::of(Error::IllegalOperation);
}

void deleting_irq_handler(word_t irq) { cte_delete_one(irq_slot(irq)); }

void post_cap_deletion(Cap cleanup_info) {
  if (cleanup_info.type() == CapType::IrqHandler) {
    set_irq_state(IrqState::Inactive, IrqHandlerCap{cleanup_info}.irq());
  }
}

}  // namespace keel
