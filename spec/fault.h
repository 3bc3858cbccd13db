// Faults as messages (seL4 faulthandler.c, faults.c, arch/arm/api/faults.c; ipc.md §5): a
// fault is sent as a Call to the thread's fault handler endpoint, looked up in its own CSpace;
// with no usable handler the thread just stops (a double fault). The handler's reply decides
// whether the thread restarts, and may rewrite some of its registers.
#pragma once

#include <optional>
#include <vector>

#include "ipc_buffer.h"
#include "state.h"

namespace keel::spec {

// seL4 handleFault: send_fault_ipc, or, when that finds no usable handler, handleDoubleFault
// (the thread becomes Inactive; its tcbFault is not set). Returns whether the fault was sent.
bool handle_fault(State& s, paddr_t tcb, const Fault& f);
// seL4 sendFaultIPC: the handler CPtr must name an endpoint cap with Write and Grant or
// GrantReply; then tcbFault := f and the thread Calls it (a reply cap is always made).
bool send_fault_ipc(State& s, paddr_t tcb, const Fault& f);

// The words of a fault message (§5.3), the faulter's registers read now (at delivery).
std::vector<word_t> fault_message(const Thread& faulter, const Fault& f);
// seL4 doFaultTransfer: the receiver gets the fault message: x0 := badge, MR0..3 in x2..x5, the
// rest in its buffer if it may be written (else the message stops at 4), x1 := (fault type, 0,
// 0, length). No caps.
void do_fault_transfer(State& s, word_t badge, paddr_t sender, const Fault& f, paddr_t receiver,
                       const std::optional<IpcBuffer>& recv_buf);
// seL4 handleFaultReply (§5.5): an UnknownSyscall or UserException reply writes its words into
// the faulter's registers (SPSR sanitised) before its label is looked at; returns whether the
// faulter restarts (label 0; cap and VM faults always).
bool handle_fault_reply(State& s, paddr_t receiver, const Fault& f, paddr_t sender);

}  // namespace keel::spec
