// The interrupt entry: take the IRQ, then schedule, as every kernel entry ends.
#include "interrupt.h"

#include "irq.h"
#include "scheduler.h"

namespace keel::spec {

Step interrupt(const State& s, word_t irq) {
  Step out{s, {}};
  if (s.halted) {
    out.result.outcome = Outcome::Halted;
    return out;
  }
  handle_interrupt(out.state, irq);
  end_kernel_entry(out.state);
  return out;
}

}  // namespace keel::spec
