// Interrupt delivery (seL4 handleInterrupt): what an IRQ does depends on its state in the IRQ
// table (kernel/object/irq.h) — the kernel tick drives the scheduler, an IRQ with a handler
// signals its notification and stays masked until acknowledged, an IRQ nobody owns is masked.
#include "kernel/core/interrupt.h"

#include "kernel/core/entry.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/print.h"
#include "kernel/machine/machine.h"
#include "kernel/object/irq.h"
#include "kernel/object/notification.h"

namespace keel {

namespace {

// seL4: the notification in the IRQ's slot is signalled if it may be sent to; either way the
// IRQ is masked until its handler acknowledges it (GICv2).
void handle_signal_irq(word_t irq) {
  const Cap c = irq_slot(irq)->cap;
  if (c.type() == CapType::Notification && NotificationCap{c}.rights().write) {
    notification_signal_from_irq(NotificationCap{c}.ptr(), NotificationCap{c}.badge());
  } else {
    kprintf("keel: interrupt %lu undelivered: no notification\n", irq);
  }
  machine::mask_interrupt(irq, true);
}

void handle_irq(word_t irq) {
  if (irq > config::kMaxIrq) {  // seL4: treated as an inactive IRQ
    kprintf("keel: interrupt %lu is above maxIRQ; masked\n", irq);
    machine::mask_interrupt(irq, true);
    machine::ack_interrupt(irq);
    return;
  }
  switch (irq_state(irq)) {
    case IrqState::Signal: handle_signal_irq(irq); break;
    case IrqState::Timer:
      timer_tick();
      machine::reset_timer();
      break;
    case IrqState::Reserved: break;  // seL4 handleReservedIRQ: nothing without hyp or PMU IRQs
    case IrqState::Inactive:
      kprintf("keel: interrupt %lu has no handler; masked\n", irq);
      machine::mask_interrupt(irq, true);
      break;
  }
  machine::ack_interrupt(irq);  // seL4 acknowledges every reported IRQ, whatever its state
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

// The timer's IRQ was unmasked when init_irqs put it in the Timer state.
void init_kernel_timer() { machine::reset_timer(); }

}  // namespace keel
