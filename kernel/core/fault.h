// Faults a thread raises (seL4 faulthandler.c, faults.c): delivered as a message to the thread's
// fault endpoint, answered by a reply that may set registers and restart the thread.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/object/tcb.h"
#include "kernel/object/thread_fault.h"

namespace keel {

// seL4 handleFault: a Call on the endpoint the thread's fault-handler CPtr names in its own
// CSpace; if that is not an endpoint it may send and grant a reply through, the double fault:
// the kernel reports both faults and the thread becomes Inactive.
void handle_fault(Tcb* thread, const Fault& fault);

// The fault message of `sender`'s pending fault, written into the receiver's registers and
// buffer with the handler cap's badge (seL4 doFaultTransfer).
void do_fault_transfer(word_t badge, Tcb* sender, Tcb* receiver, word_t* recv_buf);

// The handler's reply to `faulter`'s fault: registers set from the reply where seL4 allows it;
// true if the faulter restarts (seL4 handleFaultReply).
bool handle_fault_reply(Tcb* faulter, Tcb* replier);

}  // namespace keel
