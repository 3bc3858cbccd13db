// Interrupt delivery: the kernel tick drives the scheduler; every other interrupt is masked
// and reported until IRQ handler caps exist, as seL4 does for an IRQ nobody owns.
#include "kernel/core/interrupt.h"

#include "kernel/core/entry.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/print.h"
#include "kernel/machine/machine.h"

namespace keel {

namespace {

void handle_irq(word_t irq) {
  if (irq == machine::kernel_timer_irq()) {
    timer_tick();
    machine::reset_timer();
  } else {
    kprintf("keel: interrupt %lu has no handler; masked\n", irq);
    machine::mask_interrupt(irq, true);
  }
  machine::ack_interrupt(irq);
}

void take_active_irq() {
  const word_t irq = machine::get_active_irq();
  if (irq != machine::kIrqNone) handle_irq(irq);
}

}  // namespace

void handle_preemption() { take_active_irq(); }

void handle_interrupt() {
  take_active_irq();
  schedule();
  activate_thread(ks.cur_thread);
}

void init_kernel_timer() {
  machine::mask_interrupt(machine::kernel_timer_irq(), false);
  machine::reset_timer();
}

}  // namespace keel
