// Fault delivery, fault messages and fault replies (ipc.md §5).
#include "fault.h"

#include <algorithm>

#include "cspace.h"
#include "endpoint.h"
#include "scheduler.h"
#include "step.h"
#include "tcb.h"

namespace keel::spec {

namespace {

// The registers a fault reply may write, in message order (seL4 fault_messages): x0..x7,
// FaultIP, SP, the ELR slot (the spec's NextIP) and SPSR for an UnknownSyscall; FaultIP, SP and
// SPSR for a UserException.
enum class ReplyReg { X0, X1, X2, X3, X4, X5, X6, X7, FaultIp, Sp, Elr, Spsr };
constexpr ReplyReg kSyscallReplyRegs[] = {ReplyReg::X0,      ReplyReg::X1, ReplyReg::X2,  ReplyReg::X3,
                                          ReplyReg::X4,      ReplyReg::X5, ReplyReg::X6,  ReplyReg::X7,
                                          ReplyReg::FaultIp, ReplyReg::Sp, ReplyReg::Elr, ReplyReg::Spsr};
constexpr ReplyReg kExceptionReplyRegs[] = {ReplyReg::FaultIp, ReplyReg::Sp, ReplyReg::Spsr};

void set_reply_reg(Thread& t, ReplyReg r, word_t v) {
  if (r == ReplyReg::FaultIp)
    t.regs[kRegPc] = v;
  else if (r == ReplyReg::Sp)
    t.regs[kRegSp] = v;
  else if (r == ReplyReg::Elr)
    t.next_ip = v;
  else if (r == ReplyReg::Spsr)
    t.regs[kRegSpsr] = sanitise_register(kRegSpsr, v);
  else
    reg_x(t, static_cast<unsigned>(r)) = v;  // x0..x7
}

// seL4 copyMRsFaultReply: word i of the reply (x2..x5, then the replier's buffer, skipped if it
// has none) goes to register regs[i], for i < min(length, regs).
template <size_t kN>
void copy_fault_reply(State& s, paddr_t sender, paddr_t receiver, const ReplyReg (&regs)[kN], word_t length) {
  const std::optional<IpcBuffer> buf = lookup_ipc_buffer(s, sender, false);
  const word_t n = std::min<word_t>(length, kN);
  for (word_t i = 0; i < n; ++i) {
    if (i >= kMsgRegisters && !buf) return;
    const word_t v =
        i < kMsgRegisters ? reg_x(*s.thread(sender), 2 + unsigned(i)) : buffer_word(s, *buf, i + 1);
    set_reply_reg(*s.thread(receiver), regs[i], v);
  }
}

// seL4 setMRs_lookup_failure: the failure type + 1, then its own words.
void append_lookup_failure(std::vector<word_t>& w, const LookupFault& lf) {
  w.push_back(static_cast<word_t>(lf.type));
  switch (lf.type) {
    case LookupFailureType::MissingCapability: w.push_back(lf.bits_left); break;
    case LookupFailureType::DepthMismatch: w.insert(w.end(), {lf.bits_left, lf.bits_found}); break;
    case LookupFailureType::GuardMismatch:
      w.insert(w.end(), {lf.bits_left, lf.guard_found, lf.bits_found});
      break;
    case LookupFailureType::NoFailure:
    case LookupFailureType::InvalidRoot: break;
  }
}

}  // namespace

std::vector<word_t> fault_message(const Thread& t, const Fault& f) {
  const word_t pc = t.regs[kRegPc], sp = t.regs[kRegSp], spsr = t.regs[kRegSpsr];
  switch (f.kind) {
    case Fault::Kind::CapFault: {
      std::vector<word_t> w{pc, f.address, f.in_receive_phase ? 1u : 0u};
      append_lookup_failure(w, f.lookup);
      return w;
    }
    case Fault::Kind::UnknownSyscall: {
      std::vector<word_t> w;
      for (unsigned i = 0; i < 8; ++i) w.push_back(reg_x(t, i));
      w.insert(w.end(), {pc, sp, t.next_ip, spsr, f.syscall});
      return w;
    }
    case Fault::Kind::UserException: return {pc, sp, spsr, f.code, 0};
    case Fault::Kind::VMFault: return {pc, f.address, f.instruction ? 1u : 0u, f.code};
  }
  return {};
}

void do_fault_transfer(State& s, word_t badge, paddr_t sender, const Fault& f, paddr_t receiver,
                       const std::optional<IpcBuffer>& recv_buf) {
  const std::vector<word_t> words = fault_message(*s.thread(sender), f);
  word_t n = 0;
  for (; n < words.size(); ++n) {
    if (n < kMsgRegisters)
      reg_x(*s.thread(receiver), 2 + unsigned(n)) = words[n];
    else if (recv_buf)
      set_buffer_word(s, *recv_buf, n + 1, words[n]);
    else
      break;  // seL4 setMR: without a writable buffer the message ends at MR3
  }
  Thread& r = *s.thread(receiver);
  reg_x(r, 1) = MessageInfo{static_cast<word_t>(f.kind), 0, 0, n}.to_word();
  reg_x(r, 0) = badge;
}

bool handle_fault_reply(State& s, paddr_t receiver, const Fault& f, paddr_t sender) {
  const MessageInfo tag = MessageInfo::from_word(reg_x(*s.thread(sender), 1));
  switch (f.kind) {
    case Fault::Kind::CapFault:
    case Fault::Kind::VMFault: return true;  // seL4: restart whatever the reply says
    case Fault::Kind::UnknownSyscall:
      copy_fault_reply(s, sender, receiver, kSyscallReplyRegs, tag.length);
      break;
    case Fault::Kind::UserException:
      copy_fault_reply(s, sender, receiver, kExceptionReplyRegs, tag.length);
      break;
  }
  return tag.label == 0;  // seL4: the registers are written first, whatever the label
}

bool send_fault_ipc(State& s, paddr_t tcb, const Fault& f) {
  auto h = lookup_slot(s, tcb, s.thread(tcb)->fault_handler);
  if (!h.ok()) return false;
  const Cap c = s.cap_at(h.value());
  if (c.type != CapType::Endpoint || !c.rights.write || !(c.rights.grant || c.rights.grant_reply))
    return false;
  s.thread(tcb)->fault = f;
  // seL4: a blocking Call with canGrantReply forced on, so the faulter always gets a reply cap
  send_ipc(s, true, true, c.badge, c.rights.grant, true, tcb, c.ptr);
  return true;
}

bool handle_fault(State& s, paddr_t tcb, const Fault& f) {
  if (send_fault_ipc(s, tcb, f)) return true;
  set_thread_state(s, tcb, ThreadState::Inactive);  // seL4 handleDoubleFault: no message at all
  return false;
}

}  // namespace keel::spec
