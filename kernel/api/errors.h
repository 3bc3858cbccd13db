// seL4_Error values and the lookup-failure kinds carried in error replies (reference §4).
#pragma once

#include "kernel/lib/types.h"

namespace keel {

enum class Error : word_t {
  NoError = 0,
  InvalidArgument = 1,
  InvalidCapability = 2,
  IllegalOperation = 3,
  RangeError = 4,
  AlignmentError = 5,
  FailedLookup = 6,
  TruncatedMessage = 7,
  DeleteFirst = 8,
  RevokeFirst = 9,
  NotEnoughMemory = 10,
};

// Encoded as seL4_LookupFailureType (kernel tag + 1).
enum class LookupFailureType : word_t {
  NoFailure = 0,
  InvalidRoot = 1,
  MissingCapability = 2,
  DepthMismatch = 3,
  GuardMismatch = 4,
};

struct LookupFault {
  LookupFailureType type = LookupFailureType::NoFailure;
  word_t bits_left = 0;
  word_t bits_found = 0;   // DepthMismatch, GuardMismatch
  word_t guard_found = 0;  // GuardMismatch
};

// A decode failure, by value: seL4's error plus the extra words its reply carries.
struct SyscallError {
  Error type = Error::NoError;
  word_t invalid_argument_number = 0;   // InvalidArgument
  word_t invalid_cap_number = 0;        // InvalidCapability
  word_t range_min = 0, range_max = 0;  // RangeError
  word_t memory_left = 0;               // NotEnoughMemory
  bool failed_lookup_was_source = false;
  LookupFault lookup;  // FailedLookup

  static constexpr SyscallError of(Error e) { return SyscallError{.type = e}; }
  static constexpr SyscallError invalid_argument(word_t n) {
    return SyscallError{.type = Error::InvalidArgument, .invalid_argument_number = n};
  }
  static constexpr SyscallError invalid_capability(word_t n) {
    return SyscallError{.type = Error::InvalidCapability, .invalid_cap_number = n};
  }
  static constexpr SyscallError range(word_t lo, word_t hi) {
    return SyscallError{.type = Error::RangeError, .range_min = lo, .range_max = hi};
  }
  static constexpr SyscallError not_enough_memory(word_t left) {
    return SyscallError{.type = Error::NotEnoughMemory, .memory_left = left};
  }
  static constexpr SyscallError failed_lookup(bool source, LookupFault f) {
    return SyscallError{.type = Error::FailedLookup, .failed_lookup_was_source = source, .lookup = f};
  }
};

}  // namespace keel
