// The interrupt entry: take the IRQ, then schedule, as every kernel entry ends.
#include "interrupt.h"

#include "scheduler.h"

namespace keel::spec {

Step interrupt(const State& s, word_t irq) {
  Step out{s, {}};
  if (s.halted) {
    out.result.outcome = Outcome::Halted;
    return out;
  }
  if (irq != kKernelTimerIrq) {
    out.result.outcome = Outcome::NotSpecified;
    out.result.not_specified = "an IRQ nobody owns (masked and reported)";
    return out;
  }
  timer_tick(out.state);
  end_kernel_entry(out.state);
  return out;
}

}  // namespace keel::spec
