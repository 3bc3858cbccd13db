// AArch64's part of a thread: its saved user registers and the seL4 register roles. The core
// includes this arch interface header (data and constants only, no code that touches hardware)
// as <keel/arch/user_context.h>; the entry code saves into and restores from this layout, so the
// indices and offsets are fixed (the kernel's own save area, not seL4 ABI).
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// seL4's register names (registerset.h), kept so kernel, spec and seL4 sources read alike.
// NOLINTBEGIN(readability-identifier-naming)
enum Reg : unsigned {
  X0 = 0,
  X1,
  X2,
  X3,
  X4,
  X5,
  X6,
  X7,
  X8,
  X9,
  X10,
  X11,
  X12,
  X13,
  X14,
  X15,
  X16,
  X17,
  X18,
  X19,
  X20,
  X21,
  X22,
  X23,
  X24,
  X25,
  X26,
  X27,
  X28,
  X29,
  X30,
  SP_EL0 = 31,
  NextIP = 32,  // ELR_EL1: where the thread resumes
  SPSR_EL1 = 33,
  FaultIP = 34,  // the restart PC: address of the instruction that entered the kernel
  TPIDR_EL0 = 35,
  TPIDRRO_EL0 = 36,
  kNumContextRegs = 37,
};
// NOLINTEND(readability-identifier-naming)

// seL4's register roles on AArch64.
inline constexpr Reg kCapRegister = X0;
inline constexpr Reg kBadgeRegister = X0;
inline constexpr Reg kMsgInfoRegister = X1;
inline constexpr Reg kMsgRegisters[] = {X2, X3, X4, X5};
inline constexpr Reg kSyscallRegister = X7;

// EL0t with FIQ masked, as seL4's debug builds start user threads.
inline constexpr word_t kPstateUser = 0x40;

struct FpuState {
  alignas(16) uint8_t v[32][16];
  uint32_t fpsr;
  uint32_t fpcr;
};

struct UserContext {
  word_t regs[kNumContextRegs];
  word_t pad;  // keeps the FPU state 16-byte aligned
  FpuState fpu;
};
static_assert(offsetof(UserContext, fpu) == size_t{38} * 8);

// seL4_UserContext, the order Read/Write/CopyRegisters use (reference §8): the 17 "frame"
// registers first, then the 19 "integer" ones.
inline constexpr unsigned kNumFrameRegisters = 17;
inline constexpr unsigned kNumGpRegisters = 19;
inline constexpr unsigned kUserContextWords = kNumFrameRegisters + kNumGpRegisters;
inline constexpr Reg kUserContextRegs[kUserContextWords] = {
    FaultIP, SP_EL0, SPSR_EL1, X0,  X1,  X2,  X3,  X4,  X5,  X6,  X7,        X8,
    X16,     X17,    X18,      X29, X30, X9,  X10, X11, X12, X13, X14,       X15,
    X19,     X20,    X21,      X22, X23, X24, X25, X26, X27, X28, TPIDR_EL0, TPIDRRO_EL0};

// seL4 sanitiseRegister (non-hyp): only the SPSR changes; user code keeps its condition flags
// but always runs at EL0t with FIQ masked.
inline constexpr word_t sanitise_register(Reg r, word_t v) {
  return r == SPSR_EL1 ? (v & 0xf0000000) | kPstateUser : v;
}

// The registers a fault message carries and a fault reply may set (seL4 MessageID_Syscall,
// MessageID_Exception): an unknown syscall sends x0..x7 and the control registers, a user
// exception only the control registers.
inline constexpr Reg kSyscallFaultRegs[] = {X0, X1, X2,      X3,     X4,     X5,
                                            X6, X7, FaultIP, SP_EL0, NextIP, SPSR_EL1};
inline constexpr Reg kExceptionFaultRegs[] = {FaultIP, SP_EL0, SPSR_EL1};

// A new thread's registers: all zero but the processor state, as seL4 starts user threads.
inline void init_user_context(UserContext& c) { c.regs[SPSR_EL1] = kPstateUser; }

}  // namespace keel
