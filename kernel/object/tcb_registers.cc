// Thread register invocations. Registers travel in seL4_UserContext order (kUserContextRegs);
// a suspend or resume asked for in the same call happens before the copy, as in seL4.
#include "kernel/object/tcb_registers.h"

#include "kernel/core/fpu.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/message.h"

namespace keel {

namespace {

constexpr word_t kSuspendSource = 1, kResumeTarget = 2, kTransferFrame = 4, kTransferInteger = 8;

Tcb* target_of(const Invocation& inv) { return tcb_from_object(ThreadCap{inv.cap}.ptr()); }

Result<ReadRegistersOp> decode_read_registers(const Invocation& inv) {
  // seL4: TCB ReadRegisters — two words; a count in [1, 36]; never the caller itself.
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  const word_t count = inv.mr(1);
  if (count < 1 || count > kUserContextWords) return SyscallError::range(1, kUserContextWords);
  Tcb* target = target_of(inv);
  if (target == inv.thread) return SyscallError::of(Error::IllegalOperation);
  return ReadRegistersOp{target, inv.thread, (inv.mr(0) & kSuspendSource) != 0, count, inv.is_call};
}

PerformStatus perform_read_registers(const ReadRegistersOp& op) {
  if (op.suspend_source) suspend(op.target);
  word_t words[kUserContextWords];
  for (word_t i = 0; i < op.count; ++i) words[i] = op.target->context.regs[kUserContextRegs[i]];
  reply_from_perform(op.caller, op.is_call, words, op.count);
  return PerformStatus::Done;
}

Result<WriteRegistersOp> decode_write_registers(const Invocation& inv) {
  // seL4: TCB WriteRegisters — two words and `count` values after them; never the caller.
  if (inv.length < 2 || inv.length - 2 < inv.mr(1)) return SyscallError::of(Error::TruncatedMessage);
  Tcb* target = target_of(inv);
  if (target == inv.thread) return SyscallError::of(Error::IllegalOperation);
  return WriteRegistersOp{target, (inv.mr(0) & 1) != 0, inv.mr(1), &inv};
}

PerformStatus perform_write_registers(const WriteRegistersOp& op) {
  const word_t n = op.count < kUserContextWords ? op.count : kUserContextWords;
  word_t* regs = op.target->context.regs;
  for (word_t i = 0; i < n; ++i) {
    const Reg r = kUserContextRegs[i];
    regs[r] = sanitise_register(r, op.inv->mr(static_cast<unsigned>(2 + i)));
  }
  // The PC written (or the old restart PC) is where the thread resumes, even for count 0.
  regs[NextIP] = regs[FaultIP];
  if (op.resume_target) restart(op.target);
  return PerformStatus::Done;
}

Result<CopyRegistersOp> decode_copy_registers(const Invocation& inv) {
  // seL4: TCB CopyRegisters — the flags word and the source TCB cap.
  if (inv.length < 1 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  if (inv.extra[0].cap.type() != CapType::Thread) return SyscallError::invalid_capability(1);
  return CopyRegistersOp{target_of(inv), tcb_from_object(ThreadCap{inv.extra[0].cap}.ptr()), inv.mr(0)};
}

void copy_registers(Tcb* dest, const Tcb* source, unsigned from, unsigned to) {
  for (unsigned i = from; i < to; ++i) {
    dest->context.regs[kUserContextRegs[i]] = source->context.regs[kUserContextRegs[i]];
  }
}

PerformStatus perform_copy_registers(const CopyRegistersOp& op) {
  if (op.flags & kSuspendSource) suspend(op.source);
  if (op.flags & kResumeTarget) restart(op.dest);
  // Copied raw: seL4 does not sanitise what another thread of the user already had.
  if (op.flags & kTransferFrame) {
    copy_registers(op.dest, op.source, 0, kNumFrameRegisters);
    op.dest->context.regs[NextIP] = op.dest->context.regs[FaultIP];
  }
  if (op.flags & kTransferInteger) copy_registers(op.dest, op.source, kNumFrameRegisters, kUserContextWords);
  if (op.dest == ks.cur_thread) reschedule_required();
  return PerformStatus::Done;
}

Result<SetTlsBaseOp> decode_set_tls_base(const Invocation& inv) {
  // seL4: TCB SetTLSBase — one word.
  if (inv.length < 1) return SyscallError::of(Error::TruncatedMessage);
  return SetTlsBaseOp{target_of(inv), inv.mr(0)};
}

PerformStatus perform_set_tls_base(const SetTlsBaseOp& op) {
  op.target->context.regs[TPIDR_EL0] = op.tls_base;
  if (op.target == ks.cur_thread) reschedule_required();
  return PerformStatus::Done;
}

Result<SetFlagsOp> decode_set_flags(const Invocation& inv) {
  // seL4: TCB SetFlags — the clear and set words.
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  return SetFlagsOp{target_of(inv), inv.thread, inv.mr(0), inv.mr(1), inv.is_call};
}

PerformStatus perform_set_flags(const SetFlagsOp& op) {
  // "set" wins over "clear"; bits outside the mask are dropped.
  op.target->flags = (op.target->flags & ~op.clear) | (op.set & kTcbFlagMask);
  // Disabling takes effect at once (the state is saved); enabling at the target's next switch,
  // or now for the caller itself.
  if (op.target->flags & kTcbFlagFpuDisabled) {
    fpu_release(op.target);
  } else if (op.target == ks.cur_thread) {
    fpu_switch_to(op.target);
  }
  reply_from_perform(op.caller, op.is_call, &op.target->flags, 1);
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_tcb_registers(const Invocation& inv) {
  const Label l = inv.op();
  if (l == Label::TCBReadRegisters)
    return decode_then_perform(inv, decode_read_registers, perform_read_registers);
  if (l == Label::TCBWriteRegisters)
    return decode_then_perform(inv, decode_write_registers, perform_write_registers);
  if (l == Label::TCBCopyRegisters)
    return decode_then_perform(inv, decode_copy_registers, perform_copy_registers);
  if (l == Label::TCBSetTLSBase) return decode_then_perform(inv, decode_set_tls_base, perform_set_tls_base);
  if (l == Label::TCBSetFlags) return decode_then_perform(inv, decode_set_flags, perform_set_flags);
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
