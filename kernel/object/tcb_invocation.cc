// Thread cap invocations (seL4 decodeTCBInvocation), the IPC buffer part.
#include "kernel/object/tcb_invocation.h"

#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/arch_hooks.h"

namespace keel {

Result<SetIpcBufferOp> decode_tcb_set_ipc_buffer(const Invocation& inv) {
  // seL4: TCB SetIPCBuffer — one message word and the frame cap are required.
  if (inv.length < 1 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  SetIpcBufferOp op{.target = tcb_from_object(ThreadCap{inv.cap}.ptr()),
                    .buffer = inv.mr(0),
                    .thread_cap = inv.cap,
                    .thread_slot = inv.slot};
  if (op.buffer == 0) return op;
  const Result<Cap> derived = derive_cap(inv.extra[0].slot, inv.extra[0].cap);
  if (!derived.ok()) return derived.error;
  const SyscallError e = arch::check_valid_ipc_buffer(op.buffer, derived.value);
  if (e.type != Error::NoError) return e;
  op.frame = derived.value;
  op.frame_slot = inv.extra[0].slot;
  return op;
}

PerformStatus perform_tcb_set_ipc_buffer(const SetIpcBufferOp& op) {
  Cte* slot = op.target->slot(kTcbBuffer);
  if (cte_delete(slot, true) == PerformStatus::Preempted) return PerformStatus::Preempted;
  op.target->ipc_buffer = op.buffer;
  // seL4 installs the new cap only if, after the delete, the source still holds the same frame
  // and the invoked slot still holds the thread (deleting the old cap may have emptied either).
  if (op.frame_slot != nullptr && same_object_as(op.frame, op.frame_slot->cap) &&
      same_object_as(op.thread_cap, op.thread_slot->cap)) {
    cte_insert(op.frame, op.frame_slot, slot);
  }
  return PerformStatus::Done;
}

Outcome invoke_tcb(const Invocation& inv) {
  if (inv.op() == Label::TCBSetIPCBuffer) {
    return decode_then_perform(inv, decode_tcb_set_ipc_buffer, perform_tcb_set_ipc_buffer);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
