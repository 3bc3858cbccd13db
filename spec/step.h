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

enum class Outcome {
  Returned,      // the thread continues after the svc with `regs` and `ipc_buffer`
  Faulted,       // the thread faulted and, having no handler, is now inactive
  Stopped,       // the calling thread is inactive (it suspended itself, or made a Call through a
                 // cap with neither Grant nor GrantReply) or was destroyed: no reply
  Blocked,       // the thread waits in IPC (to send, receive, be replied to, or for a signal); with
                 // `fault` set, it is its fault that went to the handler; registers come later
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
  std::optional<SgiSent> sgi;  // the SGI the kernel raised, if any
  std::string not_specified;   // why, for Outcome::NotSpecified
};

struct Step {
  State state;
  SyscallResult result;
};

// The specification of one system call by s.cur_thread.
Step step(const State& s, const SyscallEvent& e);

// A synchronous exception of the current thread that is not a syscall (ipc.md §5.1,
// vspace.md §7): an EL0 data or instruction abort (a VM fault) or any other exception class (a
// user exception), taken at the instruction the thread would execute next (its NextIP).
struct ExceptionEvent {
  enum class Kind { UserException, VMFault };
  Kind kind = Kind::UserException;
  std::array<word_t, 8> regs{};  // x0..x7 at the exception (the kernel saves them)
  word_t esr = 0;                // ESR_EL1
  word_t far = 0;                // FAR_EL1: a data abort's address
  bool instruction = false;      // VMFault: an instruction abort (its address is the pc)
};

// seL4 handleUserLevelFault / handleVMFaultEvent: FaultIP := the faulting instruction, the fault
// (UserException: number = ESR, code 0; VMFault: address = FAR, or the pc for an instruction
// abort, FSR = ESR bits 31:0) goes to the thread's handler (outcome Blocked) or, with none, the
// thread stops (Faulted); then the entry ends like step(). Registers and buffer in the result are
// the thread's (no reply is written; the buffer is the event-less frame content).
Step exception(const State& s, const ExceptionEvent& e);

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
