// Invocations on thread caps (seL4 decodeTCBInvocation): the dispatch, and the thread-control
// operations that install caps in the TCB's slots — Configure, SetSpace, SetIPCBuffer (facts in
// docs/sel4-facts/threads.md §1.4–1.6). Registers and scheduling live in tcb_registers.h and
// tcb_sched.h.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

// A new cap for one of the target's slots: derived from `source_slot`'s cap, installed only if
// that slot and the invoked thread cap's slot still hold what they held at decode (deleting the
// old cap may have emptied either).
struct SlotUpdate {
  Cap cap;
  Cte* source_slot = nullptr;
};

// Note for callers: a thread that removes its own IPC buffer cannot give itself a new one,
// because the frame cap travels as an extra cap and extra caps are read from the IPC buffer
// (seL4 behaves the same). Only another thread holding the TCB cap can restore it.
struct ThreadControlOp {
  Tcb* target = nullptr;
  Cap thread_cap;  // the invoked cap and its slot, re-checked before each insert
  Cte* thread_slot = nullptr;
  bool update_space = false;
  cptr_t fault_handler = 0;
  SlotUpdate cspace, vspace;
  bool update_buffer = false;
  vaddr_t buffer = 0;  // 0 removes the IPC buffer
  SlotUpdate frame;    // the derived frame cap (when buffer != 0)
};

Outcome invoke_tcb(const Invocation& inv);

}  // namespace keel
