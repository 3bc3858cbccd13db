// Writing replies into a thread's message registers: error replies (seL4 §4.2) and successes.
#pragma once

#include "kernel/api/errors.h"
#include "kernel/core/invocation.h"

namespace keel {

// Writes MR i (x2..x5, then the IPC buffer); returns the count of MRs written so far, which
// stops at 4 when there is no buffer to receive into (as seL4's setMR).
word_t set_mr(Tcb* thread, word_t* buffer, word_t i, word_t value);
void reply_error(Tcb* thread, const SyscallError& error);
// The reply to a Call that succeeded: label 0 and `n` words (fewer when the caller has no IPC
// buffer to receive into, as seL4's setMR).
void reply_success(Tcb* thread, const word_t* words, word_t n);
// What an operation with results does in seL4's perform step: on Call, reply with the words;
// either way the caller is Running again, so the syscall path sends no empty reply after it.
void reply_from_perform(Tcb* thread, bool is_call, const word_t* words, word_t n);
// Words that describe a lookup failure: type, then the per-type words (seL4 §4.3).
word_t lookup_fault_words(const LookupFault& f, word_t out[4]);

}  // namespace keel
