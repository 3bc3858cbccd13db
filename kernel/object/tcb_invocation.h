// Invocations on thread caps. Only TCB_SetIPCBuffer exists so far; the rest of seL4's TCB
// API (registers, configure, priorities, suspend/resume, notifications) comes with scheduling.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

// Note for callers: a thread that removes its own IPC buffer cannot give itself a new one,
// because the frame cap travels as an extra cap and extra caps are read from the IPC buffer
// (seL4 behaves the same). Only another thread holding the TCB cap can restore it.
struct SetIpcBufferOp {
  Tcb* target = nullptr;
  vaddr_t buffer = 0;  // 0 removes the IPC buffer
  Cap frame;           // the derived frame cap (when buffer != 0)
  Cte* frame_slot = nullptr;
  Cap thread_cap;  // the invoked cap and its slot, re-checked before the insert
  Cte* thread_slot = nullptr;
};

Result<SetIpcBufferOp> decode_tcb_set_ipc_buffer(const Invocation& inv);
PerformStatus perform_tcb_set_ipc_buffer(const SetIpcBufferOp& op);
Outcome invoke_tcb(const Invocation& inv);

}  // namespace keel
