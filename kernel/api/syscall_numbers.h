// seL4 16.0.0 non-MCS system call numbers (reference sel4-abi-aarch64.md §1.1).
#pragma once

#include "kernel/lib/types.h"

namespace keel {

enum class Syscall : sword_t {
  Call = -1,
  ReplyRecv = -2,
  Send = -3,
  NBSend = -4,
  Recv = -5,
  Reply = -6,
  Yield = -7,
  NBRecv = -8,
  DebugPutChar = -9,
  DebugDumpScheduler = -10,
  DebugHalt = -11,
  DebugCapIdentify = -12,
  DebugSnapshot = -13,
  DebugNameThread = -14,
};

// x7 in [kSyscallMin, kSyscallMax] is an API syscall; everything else takes the unknown path.
inline constexpr sword_t kSyscallMin = -8;
inline constexpr sword_t kSyscallMax = -1;

}  // namespace keel
