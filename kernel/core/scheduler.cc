// Thread state changes and the choice of the next thread to run.
#include "kernel/core/scheduler.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/print.h"

namespace keel {

void set_thread_state(Tcb* t, ThreadState s) { t->state = s; }

bool is_runnable(const Tcb* t) {
  return t->state == ThreadState::Running || t->state == ThreadState::Restart;
}

void schedule() {
  if (ks.cur_thread != nullptr && is_runnable(ks.cur_thread)) return;
  // Only the root task exists until TCB invocations and IPC arrive, and nothing can wake a
  // stopped thread, so an idle kernel would wait forever: say so and halt (the exit path stops
  // the machine).
  if (ks.halted) return;
  kprintf("keel: no runnable thread remains; stopping the machine\n");
  ks.halted = true;
}

void activate_thread(Tcb* t) {
  // A thread resumes at NextIP; Restart makes it re-execute the instruction at FaultIP.
  if (t->state == ThreadState::Restart) {
    t->context.regs[NextIP] = t->context.regs[FaultIP];
    set_thread_state(t, ThreadState::Running);
  }
}

}  // namespace keel
