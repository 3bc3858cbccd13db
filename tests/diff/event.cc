// Events of the lockstep check: how drivers build them and how a report names them.
#include <cstdio>

#include "interrupt.h"
#include "lockstep.h"

namespace keel::diff {

std::string hex(word_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

namespace {

const char* syscall_name(word_t x7) {
  static const char* const names[] = {"Call",          "ReplyRecv",
                                      "Send",          "NBSend",
                                      "Recv",          "Reply",
                                      "Yield",         "NBRecv",
                                      "DebugPutChar",  "DebugDumpScheduler",
                                      "DebugHalt",     "DebugCapIdentify",
                                      "DebugSnapshot", "DebugNameThread"};
  const auto n = static_cast<std::int64_t>(x7);
  return n <= -1 && n >= -14 ? names[-n - 1] : nullptr;
}

const char* label_name(word_t l) {
  switch (l) {
    case 1: return "UntypedRetype";
    case 17: return "CNodeRevoke";
    case 18: return "CNodeDelete";
    case 19: return "CNodeCancelBadgedSends";
    case 20: return "CNodeCopy";
    case 21: return "CNodeMint";
    case 22: return "CNodeMove";
    case 23: return "CNodeMutate";
    case 24: return "CNodeRotate";
    case 25: return "CNodeSaveCaller";
    case 37: return "ARMSMCCall";
    default: return nullptr;
  }
}

}  // namespace

std::string describe(const Event& e) {
  if (e.is_interrupt()) return "interrupt " + std::to_string(e.interrupt);
  if (e.is_exception()) {
    const Event::Exception& x = *e.exception;
    return std::string(x.vm_fault ? (x.instruction ? "instruction abort" : "data abort") : "user exception") +
           " esr=" + hex(x.esr) + (x.vm_fault && !x.instruction ? " far=" + hex(x.far) : "");
  }
  std::string s;
  const char* name = syscall_name(e.regs[7]);
  s += name ? name : ("syscall " + std::to_string(static_cast<std::int64_t>(e.regs[7]))).c_str();
  const auto sys = static_cast<spec::Syscall>(static_cast<std::int64_t>(e.regs[7]));
  if (sys == spec::Syscall::Call || sys == spec::Syscall::Send || sys == spec::Syscall::NBSend) {
    const spec::MessageInfo info = spec::MessageInfo::from_word(e.regs[1]);
    const char* l = label_name(info.label);
    s += " cptr=" + hex(e.regs[0]) + " label=" + (l ? l : std::to_string(info.label)) +
         " len=" + std::to_string(info.length) + " mrs=[";
    for (word_t i = 0; i < info.length && i < 10; ++i)
      s += (i ? " " : "") + hex(i < 4 ? e.regs[2 + i] : e.ipc[1 + i]);
    s += "]";
    if (info.extra_caps > 0) {
      s += " extra=[";
      for (word_t i = 0; i < info.extra_caps; ++i)
        s += (i ? " " : "") + hex(e.ipc[spec::kIpcBufferCapsWord + i]);
      s += "]";
    }
  } else {
    s += " x0=" + hex(e.regs[0]);
  }
  return s;
}

static_assert(spec::kKernelTimerIrq == host::HostMachine::kTimerIrq, "spec and host model tick alike");

Event tick_event() {
  Event e;
  e.interrupt = spec::kKernelTimerIrq;
  return e;
}

Event exception_event(bool vm_fault, word_t esr, word_t far, bool instruction) {
  Event e;
  e.exception = Event::Exception{vm_fault, instruction, esr, far};
  return e;
}

Event call_event(cptr_t cptr, word_t label, const std::vector<word_t>& mrs, const std::vector<cptr_t>& extra,
                 spec::Syscall sys) {
  Event e;
  e.regs[0] = cptr;
  e.regs[1] = spec::MessageInfo{label, 0, extra.size(), mrs.size()}.to_word();
  for (size_t i = 0; i < mrs.size(); ++i) (i < 4 ? e.regs[2 + i] : e.ipc[1 + i]) = mrs[i];
  for (size_t i = 0; i < extra.size(); ++i) e.ipc[spec::kIpcBufferCapsWord + i] = extra[i];
  e.regs[7] = static_cast<word_t>(static_cast<std::int64_t>(sys));
  return e;
}

Event debug_event(spec::Syscall sys, word_t x0) {
  Event e;
  e.regs[0] = x0;
  e.regs[7] = static_cast<word_t>(static_cast<std::int64_t>(sys));
  return e;
}

Event raw_syscall_event(word_t number, word_t x0) {
  Event e;
  e.regs[0] = x0;
  e.regs[7] = number;
  return e;
}

}  // namespace keel::diff
