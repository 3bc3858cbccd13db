// Reply encoding for kernel invocations, bit-exact with seL4's error replies.
#include "kernel/core/message.h"

#include "kernel/core/arch_hooks.h"

namespace keel {

word_t set_mr(Tcb* thread, word_t* buffer, word_t i, word_t value) {
  if (i < kNumMsgRegisters) {
    thread->context.regs[kMsgRegisters[i]] = value;
    return i + 1;
  }
  if (buffer == nullptr) return kNumMsgRegisters;
  buffer[ipc_buffer::kMsg + i] = value;
  return i + 1;
}

word_t lookup_fault_words(const LookupFault& f, word_t out[4]) {
  out[0] = static_cast<word_t>(f.type);
  switch (f.type) {
    case LookupFailureType::NoFailure:
    case LookupFailureType::InvalidRoot: return 1;
    case LookupFailureType::MissingCapability: out[1] = f.bits_left; return 2;
    case LookupFailureType::DepthMismatch:
      out[1] = f.bits_left;
      out[2] = f.bits_found;
      return 3;
    case LookupFailureType::GuardMismatch:
      out[1] = f.bits_left;
      out[2] = f.guard_found;
      out[3] = f.bits_found;
      return 4;
  }
  return 1;
}

namespace {

// The words an error reply carries after its label (seL4 setMRs_syscall_error).
word_t error_words(const SyscallError& e, word_t out[5]) {
  switch (e.type) {
    case Error::InvalidArgument: out[0] = e.invalid_argument_number; return 1;
    case Error::InvalidCapability: out[0] = e.invalid_cap_number; return 1;
    case Error::RangeError:
      out[0] = e.range_min;
      out[1] = e.range_max;
      return 2;
    case Error::NotEnoughMemory: out[0] = e.memory_left; return 1;
    case Error::FailedLookup:
      out[0] = e.failed_lookup_was_source ? 1 : 0;
      return 1 + lookup_fault_words(e.lookup, out + 1);
    case Error::NoError:
    case Error::IllegalOperation:
    case Error::AlignmentError:
    case Error::TruncatedMessage:
    case Error::DeleteFirst:
    case Error::RevokeFirst: return 0;
  }
  return 0;
}

void set_reply_header(Tcb* thread, word_t label, word_t length) {
  thread->context.regs[kBadgeRegister] = 0;
  thread->context.regs[kMsgInfoRegister] = MessageInfo{label, 0, 0, length}.to_word();
}

}  // namespace

void reply_error(Tcb* thread, const SyscallError& error) {
  word_t words[5];
  const word_t n = error_words(error, words);
  word_t* buffer = arch::lookup_ipc_buffer(thread, true);
  word_t length = 0;
  for (word_t i = 0; i < n; ++i) length = set_mr(thread, buffer, i, words[i]);
  set_reply_header(thread, static_cast<word_t>(error.type), length);
}

void reply_success(Tcb* thread, const word_t* words, word_t n) {
  word_t* buffer = arch::lookup_ipc_buffer(thread, true);
  word_t length = 0;
  for (word_t i = 0; i < n; ++i) length = set_mr(thread, buffer, i, words[i]);
  set_reply_header(thread, 0, length);
}

void reply_from_perform(Tcb* thread, bool is_call, const word_t* words, word_t n) {
  if (is_call) reply_success(thread, words, n);
  set_thread_state(thread, ThreadState::Running);
}

}  // namespace keel
