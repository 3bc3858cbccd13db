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
  schedule(out.state);
  Thread* t = out.state.cur_thread ? out.state.thread(*out.state.cur_thread) : nullptr;
  if (t != nullptr && t->state == ThreadState::Restart) t->state = ThreadState::Running;
  return out;
}

}  // namespace keel::spec
