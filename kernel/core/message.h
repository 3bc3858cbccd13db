// Writing replies into a thread's message registers: error replies (seL4 §4.2) and successes.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/core/invocation.h"

namespace keel {

// Writes MR i (x2..x5, then the IPC buffer); returns the count of MRs written so far, which
// stops at 4 when there is no buffer to receive into (as seL4's setMR).
word_t set_mr(Tcb* thread, word_t* buffer, word_t i, word_t value);
void reply_error(Tcb* thread, const SyscallError& error);
void reply_success(Tcb* thread, const ReplyMessage& reply);
// Words that describe a lookup failure: type, then the per-type words (seL4 §4.3).
word_t lookup_fault_words(const LookupFault& f, word_t out[4]);

}  // namespace keel
