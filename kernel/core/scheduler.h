// Thread scheduling primitives used by every kernel entry.
#pragma once

#include "kernel/object/tcb.h"

namespace keel {

void set_thread_state(Tcb* t, ThreadState s);
bool is_runnable(const Tcb* t);
// Makes ks.cur_thread a runnable thread, or sets ks.halted if there is none.
void schedule();
// Prepares the current thread to return to user mode (Restart re-executes its syscall).
void activate_thread(Tcb* t);

}  // namespace keel
