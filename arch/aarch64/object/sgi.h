// Software-generated interrupts (SGIs) as seL4 16.0.0 offers them without SMP: IRQControl's
// IssueSGISignal makes an SGI-signal cap for one SGI id and one target CPU interface; invoking
// that cap raises the SGI (seL4 arch interrupt.c; docs/sel4-facts/interrupts.md §1.3).
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

// GICv2 (seL4 NUM_SGIS, GIC_SGI_NUM_TARGETS): SGI ids 0..15, CPU interfaces 0..7.
inline constexpr word_t kNumSgis = 16;
inline constexpr word_t kSgiNumTargets = 8;

// A decoded IssueSGISignal: the new cap's id and target, where it goes, and its parent.
struct IssueSgiOp {
  word_t id;
  word_t target;
  Cte* dest;
  Cte* control;
};

// Read-only: seL4's checks in order (length and destination CNode, id range, target, the
// destination's lookup, the destination empty).
Result<IssueSgiOp> decode_issue_sgi_signal(const Invocation& inv);
// Inserts the new cap as a child of the IRQControl cap.
PerformStatus perform_issue_sgi_signal(const IssueSgiOp& op);

// An invocation of an SGI-signal cap: any label, no checks; raises the SGI.
struct SgiSignalOp {
  word_t id;
  word_t target;
};
Result<SgiSignalOp> decode_sgi_signal(const Invocation& inv);
PerformStatus perform_sgi_signal(const SgiSignalOp& op);
Outcome invoke_sgi_signal(const Invocation& inv);

}  // namespace keel
