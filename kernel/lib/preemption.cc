// Work-unit accounting behind preemption_point().
#include "kernel/lib/preemption.h"

#include "kernel/config/config.h"
#include "kernel/machine/machine.h"

namespace keel {

constinit PreemptionState g_preemption;

bool preemption_point() {
  PreemptionState& p = g_preemption;
  ++p.work_units;
  ++p.total_units;
  bool stop = p.force_every != 0 && p.total_units % p.force_every == 0;
  // seL4 only looks for a pending interrupt every kMaxWorkUnitsPerPreemption units.
  if (!stop && p.work_units >= config::kMaxWorkUnitsPerPreemption) {
    p.work_units = 0;
    stop = machine::interrupt_pending();
  }
  if (stop) ++p.preemptions;
  return stop;
}

}  // namespace keel
