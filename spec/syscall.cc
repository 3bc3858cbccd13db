// The syscall step: debug syscalls, invocation of kernel objects through Call/Send/NBSend,
// lookup faults, and the replies written back into registers and the IPC buffer.
#include "step.h"

#include "cspace.h"
#include "scheduler.h"

namespace keel::spec {

namespace {

// seL4 lookupIPCBuffer: a non-device frame cap in the TCB's buffer slot; receiving (the kernel
// writing into it) needs ReadWrite, sending needs ReadOnly at least.
bool has_ipc_buffer(const State& s, paddr_t tcb, bool for_write) {
  const Cap& c = s.cap_at(SlotRef{tcb, kTcbBuffer});
  if (c.type != CapType::Frame || c.is_device) return false;
  return c.vm_rights == VmRights::ReadWrite || (!for_write && c.vm_rights == VmRights::ReadOnly);
}

word_t& x(Thread& t, unsigned n) { return t.regs[reg_index_of_x(n)]; }

// Writes a kernel reply (seL4 setMR + the MessageInfo) into the thread's registers: MR0..3 to
// x2..x5, the rest to the buffer if the kernel may write it, otherwise the message stops at 4
// words; x0 (the badge register) := 0.
void write_reply(State& s, paddr_t tcb, SyscallResult& r, word_t label, const std::vector<word_t>& words) {
  bool writable = has_ipc_buffer(s, tcb, true);
  Thread& t = *s.thread(tcb);
  word_t n = 0;
  for (word_t i = 0; i < words.size(); ++i) {
    if (i < kMsgRegisters)
      x(t, 2 + unsigned(i)) = words[i];
    else if (writable)
      r.ipc_buffer[i + 1] = words[i];
    else
      break;
    n = i + 1;
  }
  x(t, 0) = 0;
  x(t, 1) = MessageInfo{label, 0, 0, n}.to_word();
}

// A fault with nowhere to go (the handler CPtr does not name a usable endpoint) leaves the
// thread inactive; delivery to a real handler is IPC, not specified yet.
void handle_fault(State& s, paddr_t tcb, const Fault& f, SyscallResult& r) {
  Thread& t = *s.thread(tcb);
  auto h = lookup_slot(s, tcb, t.fault_handler);
  if (h.ok()) {
    const Cap& c = s.cap_at(h.value());
    if (c.type == CapType::Endpoint && c.rights.write && (c.rights.grant || c.rights.grant_reply)) {
      r.outcome = Outcome::NotSpecified;
      r.not_specified = "fault delivery to a handler";
      return;
    }
  }
  set_thread_state(s, tcb, ThreadState::Inactive);
  r.outcome = Outcome::Faulted;
  r.fault = f;
}

Fault cap_fault(cptr_t cptr, const LookupFault& lf) {
  return Fault{Fault::Kind::CapFault, cptr, false, lf, 0};
}

InvocationResult dispatch(State& s, const Invocation& inv) {
  switch (inv.cap.type) {
    case CapType::Null:
    case CapType::Zombie: return SyscallError::invalid_capability(0);  // seL4: invoking a null or zombie cap
    case CapType::CNode: return invoke_cnode(s, inv);
    case CapType::Untyped: return invoke_untyped(s, inv);
    case CapType::Smc: return invoke_smc(s, inv);
    case CapType::Thread: return invoke_tcb(s, inv);
    case CapType::Frame: return invoke_frame(s, inv);
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool: return invoke_arch_mmu(s, inv);
    case CapType::Endpoint:
    case CapType::Notification:
      if (!inv.cap.rights.write) return SyscallError::invalid_capability(0);  // seL4: no send right
      return NotSpecified{std::string("IPC on ") + to_string(inv.cap.type)};
    case CapType::Reply:
      if (inv.cap.reply_master) return SyscallError::invalid_capability(0);
      return NotSpecified{"reply through a reply cap"};
    case CapType::Domain: return invoke_domain(s, inv);
    case CapType::IrqControl: return invoke_irq_control(s, inv);
    case CapType::IrqHandler: return invoke_irq_handler(s, inv);
  }
  return NotSpecified{std::string(to_string(inv.cap.type)) + " invocations"};
}

// Builds the invocation (cap, extra caps, message) or reports the lookup fault.
Expected<Invocation, Fault> gather_invocation(const State& s, paddr_t tcb, const SyscallEvent& e,
                                              bool is_call) {
  Invocation inv;
  inv.thread = tcb, inv.cptr = e.regs[0], inv.is_call = is_call, inv.smc_oracle = &e.smc_oracle;
  auto slot = lookup_slot(s, tcb, inv.cptr);
  if (!slot.ok()) return cap_fault(inv.cptr, slot.error());
  inv.slot = slot.value();
  inv.cap = s.cap_at(inv.slot);
  MessageInfo info = MessageInfo::from_word(e.regs[1]);
  bool buffer = has_ipc_buffer(s, tcb, false);
  if (buffer) {  // without a buffer there are no extra caps
    for (word_t i = 0; i < info.extra_caps; ++i) {
      cptr_t c = e.ipc_buffer[kIpcBufferCapsWord + i];
      auto x = lookup_slot(s, tcb, c);
      if (!x.ok()) return cap_fault(c, x.error());
      inv.extra_caps.push_back(x.value());
    }
  }
  inv.label = info.label;
  inv.length = (!buffer && info.length > kMsgRegisters) ? kMsgRegisters : info.length;
  for (word_t i = 0; i < inv.length; ++i)
    inv.mrs.push_back(i < kMsgRegisters ? e.regs[2 + i] : e.ipc_buffer[i + 1]);
  return inv;
}

void handle_invocation(State& s, paddr_t tcb, const SyscallEvent& e, Syscall sys, SyscallResult& r) {
  bool is_call = sys == Syscall::Call, is_blocking = sys != Syscall::NBSend;
  auto gathered = gather_invocation(s, tcb, e, is_call);
  if (!gathered.ok()) {
    if (is_blocking) handle_fault(s, tcb, gathered.error(), r);
    return;  // NBSend drops a failed lookup silently
  }
  s.thread(tcb)->state = ThreadState::Restart;
  InvocationResult res = dispatch(s, gathered.value());
  if (auto* err = std::get_if<SyscallError>(&res)) {
    s.thread(tcb)->state = ThreadState::Running;
    if (is_call) write_reply(s, tcb, r, static_cast<word_t>(err->type), error_reply_words(*err));
    return;
  }
  if (auto* ns = std::get_if<NotSpecified>(&res)) {
    r.outcome = Outcome::NotSpecified;
    r.not_specified = ns->what;
    return;
  }
  const Done& done = std::get<Done>(res);
  r.smc = done.smc;
  if (!s.thread(tcb) || s.thread(tcb)->state != ThreadState::Restart) {
    r.outcome = Outcome::Stopped;  // the thread deleted or suspended itself
    return;
  }
  if (is_call) write_reply(s, tcb, r, 0, done.reply);
  s.thread(tcb)->state = ThreadState::Running;
}

// DebugNameThread: the name is a NUL-terminated string from msg[0] (byte 8) of the IPC buffer.
void debug_name_thread(State& s, paddr_t tcb, const SyscallEvent& e, SyscallResult& r) {
  auto slot = lookup_slot(s, tcb, e.regs[0]);
  const Cap target = slot.ok() ? s.cap_at(slot.value()) : Cap::null();
  if (target.type != CapType::Thread) {
    r.outcome = Outcome::Halted;  // seL4: not a TCB cap, the kernel halts
    s.halted = true;
    return;
  }
  if (!has_ipc_buffer(s, tcb, true)) {  // seL4 then reads from a bogus address
    r.outcome = Outcome::NotSpecified;
    r.not_specified = "DebugNameThread without a writable IPC buffer";
    return;
  }
  std::string name;
  for (word_t i = 0; i < kMsgMaxLength * 8; ++i) {
    char c = char((e.ipc_buffer[1 + i / 8] >> (8 * (i % 8))) & 0xff);
    if (c == '\0') {
      s.thread(target.ptr)->name = name.substr(0, kThreadNameMax);
      return;
    }
    name += c;
  }
  r.outcome = Outcome::Halted;  // seL4: name too long, the kernel halts
  s.halted = true;
}

// The syscall x7 names: seL4 numbers them from -1 (Call) down to -14 (DebugNameThread); any
// other number is an unknown syscall.
std::optional<Syscall> syscall_named(word_t x7) {
  const auto n = static_cast<std::int64_t>(x7);
  if (n > static_cast<std::int64_t>(Syscall::Call) || n < static_cast<std::int64_t>(Syscall::DebugNameThread))
    return std::nullopt;
  return static_cast<Syscall>(n);
}

void handle_syscall(State& s, paddr_t tcb, const SyscallEvent& e, Syscall sys, SyscallResult& r) {
  switch (sys) {
    case Syscall::Call:
    case Syscall::Send:
    case Syscall::NBSend: handle_invocation(s, tcb, e, sys, r); return;
    case Syscall::Yield: yield(s); return;
    case Syscall::ReplyRecv:
    case Syscall::Recv:
    case Syscall::Reply:
    case Syscall::NBRecv:
      r.outcome = Outcome::NotSpecified;
      r.not_specified = "IPC receive, reply and scheduling syscalls";
      return;
    case Syscall::DebugPutChar: r.output = std::string(1, char(e.regs[0] & 0xff)); return;
    case Syscall::DebugCapIdentify: {
      auto slot = lookup_slot(s, tcb, e.regs[0]);
      x(*s.thread(tcb), 0) = slot.ok() ? cap_type_tag(s.cap_at(slot.value()).type) : 0;
      return;
    }
    case Syscall::DebugNameThread: debug_name_thread(s, tcb, e, r); return;
    case Syscall::DebugHalt:
      s.halted = true;
      r.outcome = Outcome::Halted;
      return;
    case Syscall::DebugDumpScheduler:
    case Syscall::DebugSnapshot:
      r.outcome = Outcome::NotSpecified;
      r.not_specified = "debug dump (console text)";
      return;
  }
}

}  // namespace

std::vector<word_t> error_reply_words(const SyscallError& e) {
  switch (e.type) {
    case Error::InvalidArgument: return {e.invalid_argument_number};
    case Error::InvalidCapability: return {e.invalid_cap_number};
    case Error::RangeError: return {e.range_min, e.range_max};
    case Error::NotEnoughMemory: return {e.memory_left};
    case Error::FailedLookup: {
      std::vector<word_t> w{e.failed_lookup_was_source ? 1u : 0u, static_cast<word_t>(e.lookup.type)};
      switch (e.lookup.type) {
        case LookupFailureType::MissingCapability: w.push_back(e.lookup.bits_left); break;
        case LookupFailureType::DepthMismatch:
          w.insert(w.end(), {e.lookup.bits_left, e.lookup.bits_found});
          break;
        case LookupFailureType::GuardMismatch:
          w.insert(w.end(), {e.lookup.bits_left, e.lookup.guard_found, e.lookup.bits_found});
          break;
        case LookupFailureType::NoFailure:
        case LookupFailureType::InvalidRoot: break;
      }
      return w;
    }
    case Error::NoError:
    case Error::IllegalOperation:
    case Error::AlignmentError:
    case Error::TruncatedMessage:
    case Error::DeleteFirst:
    case Error::RevokeFirst: return {};
  }
  return {};
}

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Returned: return "Returned";
    case Outcome::Faulted: return "Faulted";
    case Outcome::Stopped: return "Stopped";
    case Outcome::Halted: return "Halted";
    case Outcome::NotSpecified: return "NotSpecified";
  }
  return "?";
}

// The svc as the hardware and seL4's entry see it: the thread restarts at the svc itself
// (FaultIP) and would go on after it (NextIP); x0..x7 are the event's.
static void enter_kernel(Thread& t, const SyscallEvent& e) {
  t.regs[kRegPc] = t.next_ip;
  t.next_ip += 4;
  for (unsigned i = 0; i < e.regs.size(); ++i) x(t, i) = e.regs[i];
}

Step step(const State& s0, const SyscallEvent& e) {
  Step out{s0, {}};
  SyscallResult& r = out.result;
  r.regs = e.regs;
  r.ipc_buffer = e.ipc_buffer;
  const Thread* cur = s0.cur_thread ? s0.thread(*s0.cur_thread) : nullptr;
  if (s0.halted || !cur || cur->state != ThreadState::Running) {
    r.outcome = s0.halted ? Outcome::Halted : Outcome::NotSpecified;
    r.not_specified = s0.halted ? "" : "no running current thread";
    return out;
  }
  paddr_t tcb = *s0.cur_thread;
  enter_kernel(*out.state.thread(tcb), e);
  if (auto sys = syscall_named(e.regs[7]))
    handle_syscall(out.state, tcb, e, *sys, r);
  else  // seL4 handleUnknownSyscall
    handle_fault(out.state, tcb, Fault{Fault::Kind::UnknownSyscall, 0, false, {}, e.regs[7]}, r);
  if (r.outcome == Outcome::NotSpecified) {
    out.state = s0;  // the spec claims nothing about the effect
    r.regs = e.regs;
    r.ipc_buffer = e.ipc_buffer;
    return out;
  }
  if (Thread* t = out.state.thread(tcb))  // the caller's x0..x7 as it will see them
    for (unsigned i = 0; i < r.regs.size(); ++i) r.regs[i] = x(*t, i);
  end_kernel_entry(out.state);
  return out;
}

}  // namespace keel::spec
