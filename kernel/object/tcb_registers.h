// TCB invocations on a thread's registers: ReadRegisters, WriteRegisters, CopyRegisters,
// SetTLSBase and SetFlags (seL4 tcb.c; facts in docs/sel4-facts/threads.md §1.1–1.3, 1.10–1.11).
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

// seL4_TCBFlag_fpuDisabled, the only flag (seL4_TCBFlag_MASK = 1).
inline constexpr word_t kTcbFlagFpuDisabled = 1;
inline constexpr word_t kTcbFlagMask = kTcbFlagFpuDisabled;

struct ReadRegistersOp {
  Tcb* target;
  Tcb* caller;
  bool suspend_source;
  word_t count;
  bool is_call;
};

struct WriteRegistersOp {
  Tcb* target;
  bool resume_target;
  word_t count;
  const Invocation* inv;  // the values are MR 2.. of the message
};

struct CopyRegistersOp {
  Tcb* dest;
  Tcb* source;
  word_t flags;  // bit 0 suspend source, 1 resume dest, 2 frame registers, 3 integer registers
};

struct SetTlsBaseOp {
  Tcb* target;
  word_t tls_base;
};

struct SetFlagsOp {
  Tcb* target;
  Tcb* caller;
  word_t clear, set;
  bool is_call;
};

Outcome invoke_tcb_registers(const Invocation& inv);

}  // namespace keel
