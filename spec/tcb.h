// The parts of the thread cap invocations (tcb.cc, tcb_registers.cc) they share, and seL4
// invokeTCB_ThreadControl's space and IPC-buffer steps, exposed so tests can reach the
// re-checks no sequence of invocations reaches.
#pragma once

#include <optional>

#include "invocation.h"

namespace keel::spec {

// threads.md §1.1-1.3, §1.10, §1.11 (tcb_registers.cc).
InvocationResult decode_read_registers(State& s, const Invocation& inv);
InvocationResult decode_write_registers(State& s, const Invocation& inv);
InvocationResult decode_copy_registers(State& s, const Invocation& inv);
InvocationResult decode_set_tls_base(State& s, const Invocation& inv);
InvocationResult decode_set_flags(State& s, const Invocation& inv);

// seL4 sanitiseRegister (non-hyp): only the SPSR changes, keeping NZCV and forcing EL0t with
// PSTATE_USER's masks; PC, SP and the rest are taken as written (a bad value faults later).
// WriteRegisters and fault replies (fault.cc) use it.
word_t sanitise_register(word_t index, word_t v);

// A cap decoded for one of the thread's slots and the slot it was derived from.
struct NewCap {
  Cap cap;
  SlotRef src;
};

// seL4 invokeTCB_ThreadControl with update_space: the fault handler CPtr, then the CSpace root
// and the VSpace root, each slot emptied and refilled (threads.md §1.4 steps 1-3). The target is
// inv.cap's thread.
void thread_control_space(State& s, const Invocation& inv, cptr_t fault_handler, const NewCap& cspace,
                          const NewCap& vspace);
// The same with update_ipc_buffer (step 4): no cap for address 0.
void thread_control_ipc_buffer(State& s, const Invocation& inv, word_t vaddr,
                               const std::optional<NewCap>& frame);

}  // namespace keel::spec
