// TCB invocations on a thread's scheduling: SetPriority, SetMCPriority, SetSchedParams,
// Suspend and Resume (seL4 tcb.c, thread.c; facts in docs/sel4-facts/threads.md §1.7–1.8).
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

struct SchedParamsOp {
  Tcb* target;
  bool set_mcp, set_priority;
  word_t mcp, priority;
};

// seL4 setPriority: the thread leaves its queue, and if runnable may preempt (or, being
// current, gives way) at the end of the entry.
void set_priority(Tcb* t, word_t priority);

Outcome invoke_tcb_sched(const Invocation& inv);

}  // namespace keel
