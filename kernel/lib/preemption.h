// Preemption points for long-running kernel operations (seL4 preemptionPoint).
//
// Revoke, delete of CNodes/TCBs and untyped reset call preemption_point() after each bounded
// unit of work. When it returns true the operation stops with everything done so far kept
// consistent; the thread stays in Restart and re-executes the syscall, which continues.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

struct PreemptionState {
  word_t work_units = 0;   // since the last check (seL4 ksWorkUnitsCompleted)
  word_t total_units = 0;  // since start-up, for tests and statistics
  // Host tests: preempt at every `force_every`-th unit (0 = only when an interrupt is pending).
  word_t force_every = 0;
  word_t preemptions = 0;  // operations stopped so far (the host driver re-executes those)
};

extern PreemptionState g_preemption;

// Records one unit of work; true when the current operation must stop now.
[[nodiscard]] bool preemption_point();

}  // namespace keel
