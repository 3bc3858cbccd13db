// Thread register invocations of seL4 16.0.0 (docs/sel4-facts/threads.md §1.1-1.3, §1.10,
// §1.11): ReadRegisters, WriteRegisters, CopyRegisters, SetTLSBase and SetFlags over the
// seL4_UserContext words of Thread::regs (word i of the message is regs[i]).
#include <algorithm>

#include "constants.h"
#include "scheduler.h"
#include "tcb.h"

namespace keel::spec {

namespace {

SyscallError error(Error e) { return SyscallError::of(e); }

// The flag bits of the first message word (the arch flags in bits 15:8 are ignored on AArch64).
constexpr word_t kSuspendSource = 1, kResumeTarget = 2, kTransferFrame = 4, kTransferInteger = 8;
constexpr word_t kReadSuspend = 1, kWriteResume = 1;

void copy_registers(Thread& dest, const Thread& src, word_t from, word_t to) {
  std::copy(src.regs.begin() + long(from), src.regs.begin() + long(to), dest.regs.begin() + long(from));
}

}  // namespace

word_t sanitise_register(word_t index, word_t v) {
  return index == kRegSpsr ? (v & kSpsrUserBits) | kPstateUser : v;
}

InvocationResult decode_read_registers(State& s, const Invocation& inv) {
  // seL4: TCB ReadRegisters — the flags word and the count
  if (inv.length < 2) return error(Error::TruncatedMessage);
  const word_t flags = inv.mrs[0], n = inv.mrs[1];
  // seL4: TCB ReadRegisters — count outside [1, 36] (before the self check)
  if (n < 1 || n > kNumContextRegs) return SyscallError::range(1, kNumContextRegs);
  const paddr_t t = inv.cap.ptr;
  // seL4: TCB ReadRegisters — a thread cannot read its own registers
  if (t == inv.thread) return error(Error::IllegalOperation);
  if ((flags & kReadSuspend) != 0) {
    suspend(s, t);  // first: a Running target's pc then reads as where it would go on
  }
  // For a Call the reply carries the first n words: MR0..3 in x2..x5, the rest in the caller's
  // IPC buffer only if the kernel may write it (else the length stops at 4); with Send nothing.
  const Thread& src = *s.thread(t);
  Done d;
  d.reply.assign(src.regs.begin(), src.regs.begin() + long(n));
  return d;
}

InvocationResult decode_write_registers(State& s, const Invocation& inv) {
  // seL4: TCB WriteRegisters — the flags word and the count
  if (inv.length < 2) return error(Error::TruncatedMessage);
  const word_t flags = inv.mrs[0], count = inv.mrs[1];
  // seL4: TCB WriteRegisters — fewer context words than the count (the whole word)
  if (inv.length - 2 < count) return error(Error::TruncatedMessage);
  const paddr_t t = inv.cap.ptr;
  // seL4: TCB WriteRegisters — a thread cannot write its own registers
  if (t == inv.thread) return error(Error::IllegalOperation);
  const bool resume = (flags & kWriteResume) != 0;
  Thread& dest = *s.thread(t);
  const word_t n = std::min<word_t>(count, kNumContextRegs);
  for (word_t i = 0; i < n; ++i) dest.regs[i] = sanitise_register(i, inv.mrs[2 + i]);
  dest.next_ip = dest.regs[kRegPc];  // even for count 0: the thread restarts at its FaultIP
  if (resume) restart(s, t);
  // seL4 then reschedules if the target is the current thread: unreachable, self is refused.
  return Done{};
}

InvocationResult decode_copy_registers(State& s, const Invocation& inv) {
  // seL4: TCB CopyRegisters — the flags word or the source cap missing
  if (inv.length < 1 || inv.extra_caps.empty()) return error(Error::TruncatedMessage);
  const Cap& src_cap = s.cap_at(inv.extra_caps[0]);
  // seL4: TCB CopyRegisters — the source is not a thread cap
  if (src_cap.type != CapType::Thread) return SyscallError::invalid_capability(1);
  // No self checks: source, destination and caller may all be the same thread.
  const word_t flags = inv.mrs[0];
  const paddr_t src = src_cap.ptr, dest = inv.cap.ptr;
  if ((flags & kSuspendSource) != 0) suspend(s, src);
  if ((flags & kResumeTarget) != 0) restart(s, dest);
  Thread& to = *s.thread(dest);
  if ((flags & kTransferFrame) != 0) {
    copy_registers(to, *s.thread(src), 0, kNumFrameRegs);  // raw: the SPSR is not sanitised
    to.next_ip = to.regs[kRegPc];
  }
  if ((flags & kTransferInteger) != 0) copy_registers(to, *s.thread(src), kNumFrameRegs, kNumContextRegs);
  if (s.cur_thread == dest) reschedule_required(s);
  // The caller that suspended itself gets no reply (syscall.cc sees it Inactive); one that copied
  // into itself gets the empty reply over the copied x0 and x1.
  return Done{};
}

InvocationResult decode_set_tls_base(State& s, const Invocation& inv) {
  // seL4: TCB SetTLSBase — no TLS word
  if (inv.length < 1) return error(Error::TruncatedMessage);
  const paddr_t t = inv.cap.ptr;
  s.thread(t)->regs[kRegTpidrEl0] = inv.mrs[0];
  if (s.cur_thread == t) reschedule_required(s);  // kept from when TLS was loaded on a switch only
  return Done{};
}

InvocationResult decode_set_flags(State& s, const Invocation& inv) {
  // seL4: TCB SetFlags — the clear and set words
  if (inv.length < 2) return error(Error::TruncatedMessage);
  Thread& t = *s.thread(inv.cap.ptr);
  // Setting wins over clearing; only known flags can be set. The FPU state this saves or
  // reloads (fpuRelease, lazyFPURestore) is not modelled: nothing user-visible changes now.
  t.flags = (t.flags & ~inv.mrs[0]) | (inv.mrs[1] & kTcbFlagMask);
  return Done{{t.flags}, std::nullopt};  // the reply: one word, the new flags
}

}  // namespace keel::spec
