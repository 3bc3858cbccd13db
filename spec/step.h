// One kernel entry by the current thread: a system call, given its registers x0..x7 and the
// words of its IPC buffer, ending with the registers and buffer it gets back (or a fault, a
// halt, or "not specified yet").
#pragma once

#include <array>
#include <string>

#include "constants.h"
#include "invocation.h"

namespace keel::spec {

struct SyscallEvent {
  std::array<word_t, 8> regs{};                      // x0..x7 at the svc
  std::array<word_t, kIpcBufferWords> ipc_buffer{};  // the thread's IPC buffer, if it has one
  SmcOracle smc_oracle;                              // what the monitor answers, if asked
};

struct Fault {
  enum class Kind { CapFault, UnknownSyscall };
  Kind kind = Kind::CapFault;
  cptr_t address = 0;             // CapFault: the CPtr that failed
  bool in_receive_phase = false;  // CapFault
  LookupFault lookup;             // CapFault
  word_t syscall = 0;             // UnknownSyscall: x7
  friend bool operator==(const Fault&, const Fault&) = default;
};

enum class Outcome {
  Returned,      // the thread continues after the svc with `regs` and `ipc_buffer`
  Faulted,       // the thread faulted and, having no handler, is now inactive
  Stopped,       // the operation suspended or destroyed the calling thread: no reply
  Halted,        // the kernel stopped (DebugHalt, or a DebugNameThread misuse)
  NotSpecified,  // outside what the spec describes yet; the state is returned unchanged
};
const char* to_string(Outcome o);

struct SyscallResult {
  Outcome outcome = Outcome::Returned;
  std::array<word_t, 8> regs{};                      // the caller's x0..x7 afterwards (also in its Thread)
  std::array<word_t, kIpcBufferWords> ipc_buffer{};  // the IPC buffer afterwards
  std::string output;                                // debug console output
  std::optional<Fault> fault;
  std::optional<SmcCall> smc;  // the SMC the kernel made, if any
  std::string not_specified;   // why, for Outcome::NotSpecified
};

struct Step {
  State state;
  SyscallResult result;
};

// The specification of one system call by s.cur_thread.
Step step(const State& s, const SyscallEvent& e);

// seL4_MessageInfo.
struct MessageInfo {
  word_t label = 0, caps_unwrapped = 0, extra_caps = 0, length = 0;
  // The length is clamped to 120, as the kernel reads it.
  static constexpr MessageInfo from_word(word_t w) {
    MessageInfo m{w >> 12, (w >> 9) & 7, (w >> 7) & 3, w & 0x7f};
    if (m.length > kMsgMaxLength) m.length = kMsgMaxLength;
    return m;
  }
  constexpr word_t to_word() const { return label << 12 | caps_unwrapped << 9 | extra_caps << 7 | length; }
};

// The message words of an error reply (reference §4.2).
std::vector<word_t> error_reply_words(const SyscallError& e);

}  // namespace keel::spec
