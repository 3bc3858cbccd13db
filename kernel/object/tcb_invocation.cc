// Thread cap invocations: the dispatch on the label, and thread control (Configure, SetSpace,
// SetIPCBuffer), which replaces caps in the TCB's CSpace, VSpace and buffer slots.
#include "kernel/object/tcb_invocation.h"

#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/kernel_state.h"
#include "kernel/object/notification.h"
#include "kernel/object/tcb_registers.h"
#include "kernel/object/tcb_sched.h"

namespace keel {

namespace {

ThreadControlOp control_of(const Invocation& inv) {
  return ThreadControlOp{
      .target = tcb_from_object(ThreadCap{inv.cap}.ptr()), .thread_cap = inv.cap, .thread_slot = inv.slot};
}

// seL4: the buffer frame is derived and checked only for a non-zero address.
SyscallError decode_buffer(ThreadControlOp& op, vaddr_t buffer, const ExtraCap& frame) {
  op.update_buffer = true;
  op.buffer = buffer;
  if (buffer == 0) return SyscallError{};
  const Result<Cap> derived = derive_cap(frame.slot, frame.cap);
  if (!derived.ok()) return derived.error;
  const SyscallError e = arch::check_valid_ipc_buffer(buffer, derived.value);
  if (e.type != Error::NoError) return e;
  op.frame = SlotUpdate{derived.value, frame.slot};
  return SyscallError{};
}

// A root cap given to a thread: new cap data applied (preserving nothing), then derived.
Result<Cap> derive_root(const ExtraCap& root, word_t data) {
  const Cap cap = data != 0 ? update_cap_data(false, data, root.cap) : root.cap;
  return derive_cap(root.slot, cap);
}

// seL4 decodeSetSpace's checks, shared with Configure: the old roots must be quick to delete,
// the new CSpace root a CNode and the new VSpace root one with an ASID.
SyscallError decode_space(ThreadControlOp& op, const Invocation& inv, unsigned first_word) {
  op.update_space = true;
  op.fault_handler = inv.mr(0);
  if (slot_cap_long_running_delete(op.target->slot(kTcbCTable)) ||
      slot_cap_long_running_delete(op.target->slot(kTcbVTable))) {
    return SyscallError::of(Error::IllegalOperation);
  }
  const Result<Cap> cspace = derive_root(inv.extra[0], inv.mr(first_word));
  if (!cspace.ok()) return cspace.error;
  if (cspace.value.type() != CapType::CNode) return SyscallError::of(Error::IllegalOperation);
  const Result<Cap> vspace = derive_root(inv.extra[1], inv.mr(first_word + 1));
  if (!vspace.ok()) return vspace.error;
  if (!arch::is_valid_vtable_root(vspace.value)) return SyscallError::of(Error::IllegalOperation);
  op.cspace = SlotUpdate{cspace.value, inv.extra[0].slot};
  op.vspace = SlotUpdate{vspace.value, inv.extra[1].slot};
  return SyscallError{};
}

Result<ThreadControlOp> decode_configure(const Invocation& inv) {
  // seL4: TCB Configure — four words and the CSpace, VSpace and buffer caps.
  if (inv.length < 4 || inv.num_extra < 3) return SyscallError::of(Error::TruncatedMessage);
  ThreadControlOp op = control_of(inv);
  SyscallError e = decode_buffer(op, inv.mr(3), inv.extra[2]);
  if (e.type == Error::NoError) e = decode_space(op, inv, 1);
  if (e.type != Error::NoError) return e;
  return op;
}

Result<ThreadControlOp> decode_set_space(const Invocation& inv) {
  // seL4: TCB SetSpace — three words and the CSpace and VSpace caps.
  if (inv.length < 3 || inv.num_extra < 2) return SyscallError::of(Error::TruncatedMessage);
  ThreadControlOp op = control_of(inv);
  const SyscallError e = decode_space(op, inv, 1);
  if (e.type != Error::NoError) return e;
  return op;
}

Result<ThreadControlOp> decode_set_ipc_buffer(const Invocation& inv) {
  // seL4: TCB SetIPCBuffer — one word and the frame cap, even to remove the buffer.
  if (inv.length < 1 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  ThreadControlOp op = control_of(inv);
  const SyscallError e = decode_buffer(op, inv.mr(0), inv.extra[0]);
  if (e.type != Error::NoError) return e;
  return op;
}

// Empties the slot, then installs the update if both re-checks hold.
PerformStatus replace_slot(const ThreadControlOp& op, TcbSlot which, const SlotUpdate& update) {
  Cte* slot = op.target->slot(which);
  if (cte_delete(slot, true) == PerformStatus::Preempted) return PerformStatus::Preempted;
  if (update.source_slot != nullptr && same_object_as(update.cap, update.source_slot->cap) &&
      same_object_as(op.thread_cap, op.thread_slot->cap)) {
    cte_insert(update.cap, update.source_slot, slot);
  }
  return PerformStatus::Done;
}

PerformStatus perform_thread_control(const ThreadControlOp& op) {
  if (op.update_space) {
    op.target->fault_handler = op.fault_handler;
    if (replace_slot(op, kTcbCTable, op.cspace) == PerformStatus::Preempted) return PerformStatus::Preempted;
    if (replace_slot(op, kTcbVTable, op.vspace) == PerformStatus::Preempted) return PerformStatus::Preempted;
  }
  if (op.update_buffer) {
    if (replace_slot(op, kTcbBuffer, op.frame) == PerformStatus::Preempted) return PerformStatus::Preempted;
    op.target->ipc_buffer = op.buffer;
    if (op.target == ks.cur_thread) reschedule_required();
  }
  return PerformStatus::Done;
}

struct BindOp {
  Tcb* target;
  paddr_t ntfn;
};

Result<BindOp> decode_bind_notification(const Invocation& inv) {
  // seL4: TCB BindNotification — the notification cap (the length is not checked); every refusal
  // is IllegalOperation, even a cap of the wrong type.
  if (inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  Tcb* target = tcb_from_object(ThreadCap{inv.cap}.ptr());
  if (target->bound_notification != 0) return SyscallError::of(Error::IllegalOperation);
  const Cap cap = inv.extra[0].cap;
  if (cap.type() != CapType::Notification || !NotificationCap{cap}.rights().read) {
    return SyscallError::of(Error::IllegalOperation);
  }
  const Notification* n = notification_at(NotificationCap{cap}.ptr());
  if (n->queue_head != nullptr || n->bound_tcb() != nullptr) return SyscallError::of(Error::IllegalOperation);
  return BindOp{target, NotificationCap{cap}.ptr()};
}

PerformStatus perform_bind_notification(const BindOp& op) {
  bind_notification(op.target, op.ntfn);  // a pending signal is not delivered now
  return PerformStatus::Done;
}

Result<BindOp> decode_unbind_notification(const Invocation& inv) {
  // seL4: TCB UnbindNotification — the thread must be bound.
  Tcb* target = tcb_from_object(ThreadCap{inv.cap}.ptr());
  if (target->bound_notification == 0) return SyscallError::of(Error::IllegalOperation);
  return BindOp{target, target->bound_notification};
}

PerformStatus perform_unbind_notification(const BindOp& op) {
  unbind_notification(op.target);
  return PerformStatus::Done;
}

bool is_label_between(const Invocation& inv, Label first, Label last) {
  return inv.label >= static_cast<word_t>(first) && inv.label <= static_cast<word_t>(last);
}

}  // namespace

Outcome invoke_tcb(const Invocation& inv) {
  const Label l = inv.op();
  if (l == Label::TCBConfigure) return decode_then_perform(inv, decode_configure, perform_thread_control);
  if (l == Label::TCBSetSpace) return decode_then_perform(inv, decode_set_space, perform_thread_control);
  if (l == Label::TCBSetIPCBuffer)
    return decode_then_perform(inv, decode_set_ipc_buffer, perform_thread_control);
  if (is_label_between(inv, Label::TCBReadRegisters, Label::TCBCopyRegisters) || l == Label::TCBSetTLSBase ||
      l == Label::TCBSetFlags) {
    return invoke_tcb_registers(inv);
  }
  if (is_label_between(inv, Label::TCBSetPriority, Label::TCBSetSchedParams) ||
      is_label_between(inv, Label::TCBSuspend, Label::TCBResume)) {
    return invoke_tcb_sched(inv);
  }
  if (l == Label::TCBBindNotification) {
    return decode_then_perform(inv, decode_bind_notification, perform_bind_notification);
  }
  if (l == Label::TCBUnbindNotification) {
    return decode_then_perform(inv, decode_unbind_notification, perform_unbind_notification);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
