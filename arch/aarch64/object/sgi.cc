// IRQControl IssueSGISignal and SGI-signal cap invocations (seL4 arch interrupt.c, no SMP).
#include "arch/aarch64/object/sgi.h"

#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/irq.h"

namespace keel {

Result<IssueSgiOp> decode_issue_sgi_signal(const Invocation& inv) {
  // seL4: IssueSGISignal — four words (id, target, index, depth) and the destination CNode.
  if (inv.length < 4 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const word_t id = inv.mr(0), target = inv.mr(1), index = inv.mr(2), depth = inv.mr(3);
  // seL4: the id, the whole word, below NUM_SGIS; then the target no higher than the GIC's last.
  if (id >= kNumSgis) return SyscallError::range(0, kNumSgis - 1);
  if (target > kSgiNumTargets - 1) return SyscallError::invalid_argument(1);
  const Result<Cte*> dest = lookup_target_slot(inv.extra[0].cap, index, depth);
  if (!dest.ok()) return dest.error;
  const SyscallError e = ensure_empty_slot(dest.value);
  if (e.type != Error::NoError) return e;
  return IssueSgiOp{id, target, dest.value, inv.slot};
}

// The IRQ table is untouched: the cap alone is the authority to raise the SGI.
PerformStatus perform_issue_sgi_signal(const IssueSgiOp& op) {
  cte_insert(SgiSignalCap::make(op.id, op.target), op.control, op.dest);
  return PerformStatus::Done;
}

Outcome arch_invoke_irq_control(const Invocation& inv) {
  if (inv.op() == Label::ARMIRQIssueSGISignal) {
    return decode_then_perform(inv, decode_issue_sgi_signal, perform_issue_sgi_signal);
  }
  return SyscallError::of(Error::IllegalOperation);
}

// seL4: an SGI-signal cap takes any label and any message; there is nothing to check.
Result<SgiSignalOp> decode_sgi_signal(const Invocation& inv) {
  const SgiSignalCap c{inv.cap};
  return SgiSignalOp{c.id(), c.target()};
}

PerformStatus perform_sgi_signal(const SgiSignalOp& op) {
  const word_t target = mutant(Mutant::SgiTargetOffByOne) ? op.target + 1 : op.target;
  machine::send_sgi(target, op.id);
  return PerformStatus::Done;
}

Outcome invoke_sgi_signal(const Invocation& inv) {
  return decode_then_perform(inv, decode_sgi_signal, perform_sgi_signal);
}

}  // namespace keel
