// IRQControl (Get, GetTrigger) and IRQHandler (Ack, SetNotification, Clear) invocations with
// seL4's check order, handler deletion, and the handling of an arriving IRQ.
#include "irq.h"

#include "cdt.h"
#include "constants.h"
#include "cspace.h"
#include "notification.h"
#include "scheduler.h"

namespace keel::spec {

IrqState irq_state(const State& s, word_t irq) {
  auto it = s.irq_states.find(irq);
  return it == s.irq_states.end() ? IrqState::Inactive : it->second;
}

void mask_interrupt(State& s, word_t irq, bool mask) {
  if (irq > kMaxIrq) return;
  if (mask)
    s.irq_unmasked.erase(irq);
  else
    s.irq_unmasked.insert(irq);
}

void set_irq_state(State& s, IrqState st, word_t irq) {
  if (st == IrqState::Inactive)
    s.irq_states.erase(irq);
  else
    s.irq_states[irq] = st;
  mask_interrupt(s, irq, st == IrqState::Inactive);
}

SlotRef irq_slot(const State& s, word_t irq) { return SlotRef{s.irq_node, irq}; }

void deleting_irq_handler(State& s, word_t irq) { cte_delete(s, irq_slot(s, irq)); }

void deleted_irq_handler(State& s, word_t irq) { set_irq_state(s, IrqState::Inactive, irq); }

namespace {

// The signal itself: seL4 sendSignal with the handler cap's badge.
void signal_from_irq(State& s, paddr_t ntfn, word_t badge) { send_signal(s, ntfn, badge); }

// seL4: IRQControl Get / GetTrigger — words and the destination CNode, the IRQ's range, the IRQ
// still free (else RevokeFirst), the destination lookup, the destination empty.
InvocationResult issue_irq_handler(State& s, const Invocation& inv, bool with_trigger) {
  const word_t n = with_trigger ? 4 : 3;
  if (inv.length < n || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  const word_t irq = inv.mrs[0], index = inv.mrs[n - 2], depth = inv.mrs[n - 1];
  if (irq > kMaxIrq) return SyscallError::range(0, kMaxIrq);
  if (irq_state(s, irq) != IrqState::Inactive) return SyscallError::of(Error::RevokeFirst);
  auto dest = lookup_target_slot(s, s.cap_at(inv.extra_caps[0]), index, depth);
  if (!dest.ok()) return dest.error();
  if (!s.cap_at(dest.value()).is_null()) return SyscallError::of(Error::DeleteFirst);
  if (with_trigger) {  // the controller's trigger mode first, as seL4 sets it
    if (inv.mrs[1] != 0)
      s.irq_edge_triggered.insert(irq);
    else
      s.irq_edge_triggered.erase(irq);
  }
  set_irq_state(s, IrqState::Signal, irq);  // which unmasks it
  cte_insert(s, Cap::irq_handler(irq), inv.slot, dest.value());
  return Done{};
}

// seL4: IRQHandler SetNotification — a notification cap that may send, else InvalidCapability(0)
// (the extra cap is numbered 0 here). The old cap is deleted, the new one copied underived.
InvocationResult set_notification(State& s, const Invocation& inv, word_t irq) {
  if (inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  const SlotRef src = inv.extra_caps[0];
  const Cap cap = s.cap_at(src);
  if (cap.type != CapType::Notification || !cap.rights.write) return SyscallError::invalid_capability(0);
  cte_delete(s, irq_slot(s, irq));
  cte_insert(s, cap, src, irq_slot(s, irq));
  return Done{};
}

// seL4: IRQControl IssueSGISignal (no SMP) — words and the destination CNode, the SGI id below
// 16 (RangeError 0..15), the target a GICv2 CPU interface (else InvalidArgument 1), the
// destination lookup, the destination empty. The new cap is IRQControl's child; no IRQ changes.
InvocationResult issue_sgi_signal(State& s, const Invocation& inv) {
  if (inv.length < 4 || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  const word_t id = inv.mrs[0], target = inv.mrs[1], index = inv.mrs[2], depth = inv.mrs[3];
  if (id >= kNumSgis) return SyscallError::range(0, kNumSgis - 1);
  if (target > kSgiNumTargets - 1) return SyscallError::invalid_argument(1);
  auto dest = lookup_target_slot(s, s.cap_at(inv.extra_caps[0]), index, depth);
  if (!dest.ok()) return dest.error();
  if (!s.cap_at(dest.value()).is_null()) return SyscallError::of(Error::DeleteFirst);
  cte_insert(s, Cap::sgi_signal(id, target), inv.slot, dest.value());
  return Done{};
}

bool is(const Invocation& inv, Label l) { return inv.label == static_cast<word_t>(l); }

}  // namespace

InvocationResult invoke_irq_control(State& s, const Invocation& inv) {
  if (is(inv, Label::IRQIssueIRQHandler)) return issue_irq_handler(s, inv, false);
  if (is(inv, Label::ARMIRQIssueIRQHandlerTrigger)) return issue_irq_handler(s, inv, true);
  if (is(inv, Label::ARMIRQIssueSGISignal)) return issue_sgi_signal(s, inv);
  return SyscallError::of(Error::IllegalOperation);
}

// seL4: an SGI-signal cap, any label, any message: the SGI is raised and the call succeeds.
InvocationResult invoke_sgi_signal(State& /*s*/, const Invocation& inv) {
  return Done{{}, std::nullopt, SgiSent{inv.cap.target, inv.cap.irq}};
}

InvocationResult invoke_irq_handler(State& s, const Invocation& inv) {
  const word_t irq = inv.cap.irq;
  if (is(inv, Label::IRQAckIRQ)) {
    mask_interrupt(s, irq, false);  // GICv2: Ack unmasks
    return Done{};
  }
  if (is(inv, Label::IRQSetIRQHandler)) return set_notification(s, inv, irq);
  if (is(inv, Label::IRQClearIRQHandler)) {
    cte_delete(s, irq_slot(s, irq));
    return Done{};
  }
  return SyscallError::of(Error::IllegalOperation);
}

// An IRQ above maxIRQ is masked and acknowledged, which changes nothing kept here.
void handle_interrupt(State& s, word_t irq) {
  if (irq > kMaxIrq) return;
  switch (irq_state(s, irq)) {
    case IrqState::Signal: {
      const Cap& c = s.cap_at(irq_slot(s, irq));
      if (c.type == CapType::Notification && c.rights.write) signal_from_irq(s, c.ptr, c.badge);
      mask_interrupt(s, irq, true);  // GICv2: until the handler acknowledges it
      return;
    }
    case IrqState::Timer: timer_tick(s); return;
    case IrqState::Reserved: return;                                // nothing reserved here
    case IrqState::Inactive: mask_interrupt(s, irq, true); return;  // l4v: cannot happen
  }
}

void check_irq_invariants(const State& s, std::vector<std::string>& bad) {
  for (const auto& [ref, sl] : s.slots) {
    if (sl.cap.type == CapType::IrqHandler && irq_state(s, sl.cap.irq) != IrqState::Signal)
      bad.push_back("handler cap for IRQ " + std::to_string(sl.cap.irq) +
                    " which is not in the Signal state");
    if (ref.object != s.irq_node || s.irq_node == 0) continue;
    if (sl.cap.type != CapType::Notification)
      bad.push_back("IRQ " + std::to_string(ref.index) + "'s slot holds a " + to_string(sl.cap.type));
    if (irq_state(s, ref.index) != IrqState::Signal)
      bad.push_back("IRQ " + std::to_string(ref.index) +
                    " has a notification but is not in the Signal state");
  }
  for (word_t irq = 0; irq <= kMaxIrq; ++irq)
    if (irq_state(s, irq) == IrqState::Inactive && s.irq_unmasked.count(irq) != 0)
      bad.push_back("IRQ " + std::to_string(irq) + " is inactive but unmasked");
}

}  // namespace keel::spec
