// The shape every object invocation takes: decode (read-only, returns an operation or a
// SyscallError), then perform (mutates, ends done or preempted). The Restart state is set in one
// place, decode_then_perform, between the two.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/api/message_info.h"
#include "kernel/api/result.h"
#include "kernel/cap/cte.h"
#include "kernel/config/config.h"
#include "kernel/core/scheduler.h"
#include "kernel/machine/machine.h"
#include "kernel/object/tcb.h"

namespace keel {

struct ExtraCap {
  Cap cap;
  Cte* slot = nullptr;
};

// One invocation of a cap, as decoded from the caller's registers and IPC buffer.
struct Invocation {
  Tcb* thread = nullptr;
  word_t label = 0;
  word_t length = 0;    // message length, already clamped (4 without an IPC buffer)
  Cap cap;              // the invoked cap
  Cte* slot = nullptr;  // where it lives
  cptr_t cptr = 0;
  ExtraCap extra[kMsgMaxExtraCaps];
  word_t num_extra = 0;
  bool is_call = false;
  bool is_blocking = false;
  const word_t* ipc_buffer = nullptr;  // kernel view of the caller's IPC buffer, or null

  // MR i of the message: x2..x5 for i < 4, IPC buffer msg[i] beyond (0 if there is none).
  word_t mr(unsigned i) const {
    if (i < kNumMsgRegisters) return thread->context.regs[kMsgRegisters[i]];
    return ipc_buffer ? ipc_buffer[ipc_buffer::kMsg + i] : 0;
  }
  Label op() const { return static_cast<Label>(label); }
};

// Decode reads, perform writes: host builds check the first half by making kernel memory
// read-only while decode runs (machine::begin_read_only), so a decode that writes fails loudly.
template <typename Decode, typename Perform>
Outcome decode_then_perform(const Invocation& inv, Decode decode, Perform perform) {
  if constexpr (config::kCheckDecodeReadOnly) machine::begin_read_only();
  const auto decoded = decode(inv);
  if constexpr (config::kCheckDecodeReadOnly) machine::end_read_only();
  if (!decoded.ok()) return decoded.error;
  set_thread_state(inv.thread, ThreadState::Restart);
  return perform(decoded.value);
}

// Dispatch on the invoked cap's type (kernel/core/dispatch.cc); arch caps go to arch_invoke.
Outcome invoke_cap(const Invocation& inv);
Outcome arch_invoke_cap(const Invocation& inv);

}  // namespace keel
