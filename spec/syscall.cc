// The syscall step: Send/NBSend/Call (kernel-object invocations and IPC), Recv/NBRecv, Reply,
// ReplyRecv, Yield, the debug syscalls, lookup faults and unknown syscalls, and the replies
// written back into registers and the IPC buffer.
#include "step.h"

#include "cspace.h"
#include "endpoint.h"
#include "fault.h"
#include "ipc_buffer.h"
#include "notification.h"
#include "reply.h"
#include "scheduler.h"

namespace keel::spec {

namespace {

// Writes a kernel reply (seL4 setMR + the MessageInfo) into the thread's registers: MR0..3 to
// x2..x5, the rest to the buffer if the kernel may write it, otherwise the message stops at 4
// words; x0 (the badge register) := 0.
void write_reply(State& s, paddr_t tcb, word_t label, const std::vector<word_t>& words) {
  const std::optional<IpcBuffer> buf = lookup_ipc_buffer(s, tcb, true);
  word_t n = 0;
  for (word_t i = 0; i < words.size(); ++i) {
    if (i < kMsgRegisters)
      reg_x(*s.thread(tcb), 2 + unsigned(i)) = words[i];
    else if (buf)
      set_buffer_word(s, *buf, i + 1, words[i]);
    else
      break;
    n = i + 1;
  }
  Thread& t = *s.thread(tcb);
  reg_x(t, 0) = 0;
  reg_x(t, 1) = MessageInfo{label, 0, 0, n}.to_word();
}

Fault cap_fault(cptr_t cptr, const LookupFault& lf, bool in_receive_phase) {
  return Fault{
      .kind = Fault::Kind::CapFault, .address = cptr, .in_receive_phase = in_receive_phase, .lookup = lf};
}

// seL4 handleFault from a syscall: the fault goes to the handler (the thread then waits for the
// reply) or, with none, the thread stops. Either way the result names the fault.
void raise_fault(State& s, paddr_t tcb, const Fault& f, SyscallResult& r) {
  handle_fault(s, tcb, f);
  r.fault = f;
}

// The IPC caps as invoked objects (ipc.md §1.2 step 5); the caller is in Restart already.
// seL4: an endpoint or notification cap without Send (Write), or a master reply cap, is an
// InvalidCapability(0) error (a Call's error reply, dropped by Send and NBSend).
InvocationResult invoke_ipc_cap(State& s, const Invocation& inv) {
  const Cap& c = inv.cap;
  if (c.type == CapType::Reply) {
    if (c.reply_master) return SyscallError::invalid_capability(0);
    do_reply_transfer(s, inv.thread, c.ptr, inv.slot, c.rights.grant);  // a reply cap saved by SaveCaller
    return Done{};
  }
  if (!c.rights.write) return SyscallError::invalid_capability(0);
  if (c.type == CapType::Endpoint)
    send_ipc(s, inv.is_blocking, inv.is_call, c.badge, c.rights.grant, c.rights.grant_reply, inv.thread,
             c.ptr);
  else
    send_signal(s, c.ptr, c.badge);
  return Done{};
}

InvocationResult dispatch(State& s, const Invocation& inv) {
  switch (inv.cap.type) {
    case CapType::Null:
    case CapType::Zombie: return SyscallError::invalid_capability(0);  // seL4: invoking a null or zombie cap
    case CapType::CNode: return invoke_cnode(s, inv);
    case CapType::Untyped: return invoke_untyped(s, inv);
    case CapType::Smc: return invoke_smc(s, inv);
    case CapType::SgiSignal: return invoke_sgi_signal(s, inv);
    case CapType::Thread: return invoke_tcb(s, inv);
    case CapType::Frame: return invoke_frame(s, inv);
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool: return invoke_arch_mmu(s, inv);
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply: return invoke_ipc_cap(s, inv);
    case CapType::Domain: return invoke_domain(s, inv);
    case CapType::IrqControl: return invoke_irq_control(s, inv);
    case CapType::IrqHandler: return invoke_irq_handler(s, inv);
  }
  return NotSpecified{std::string(to_string(inv.cap.type)) + " invocations"};
}

// Builds the invocation (cap, extra caps, message) or reports the lookup fault. The message
// words past MR3 and the extra-cap CPtrs are read from the caller's buffer (read-only is enough).
Expected<Invocation, Fault> gather_invocation(const State& s, paddr_t tcb, const SyscallEvent& e,
                                              Syscall sys) {
  Invocation inv;
  inv.thread = tcb, inv.cptr = e.regs[0], inv.smc_oracle = &e.smc_oracle;
  inv.is_call = sys == Syscall::Call, inv.is_blocking = sys != Syscall::NBSend;
  auto slot = lookup_slot(s, tcb, inv.cptr);
  if (!slot.ok()) return cap_fault(inv.cptr, slot.error(), false);
  inv.slot = slot.value();
  inv.cap = s.cap_at(inv.slot);
  MessageInfo info = MessageInfo::from_word(e.regs[1]);
  const std::optional<IpcBuffer> buf = lookup_ipc_buffer(s, tcb, false);
  if (buf) {  // without a buffer there are no extra caps
    for (word_t i = 0; i < info.extra_caps; ++i) {
      cptr_t c = buffer_word(s, *buf, kIpcBufferCapsWord + i);
      auto x = lookup_slot(s, tcb, c);
      if (!x.ok()) return cap_fault(c, x.error(), false);
      inv.extra_caps.push_back(x.value());
    }
  }
  inv.label = info.label;
  inv.length = (!buf && info.length > kMsgRegisters) ? kMsgRegisters : info.length;
  for (word_t i = 0; i < inv.length; ++i)
    inv.mrs.push_back(i < kMsgRegisters ? e.regs[2 + i] : buffer_word(s, *buf, i + 1));
  return inv;
}

// seL4 handleInvocation (ipc.md §1.2): a failed lookup faults (Send, Call) or does nothing
// (NBSend); the caller is in Restart while the operation runs; an error is a Call's error
// reply; a caller still in Restart afterwards runs on, a Call getting the (empty) reply. A
// caller the operation blocked, stopped or destroyed gets nothing now.
void handle_invocation(State& s, paddr_t tcb, const SyscallEvent& e, Syscall sys, SyscallResult& r) {
  const bool is_call = sys == Syscall::Call;
  auto gathered = gather_invocation(s, tcb, e, sys);
  if (!gathered.ok()) {
    if (sys != Syscall::NBSend) raise_fault(s, tcb, gathered.error(), r);
    return;  // NBSend drops a failed lookup silently
  }
  s.thread(tcb)->state = ThreadState::Restart;
  InvocationResult res = dispatch(s, gathered.value());
  if (auto* err = std::get_if<SyscallError>(&res)) {
    s.thread(tcb)->state = ThreadState::Running;
    if (is_call) write_reply(s, tcb, static_cast<word_t>(err->type), error_reply_words(*err));
    return;
  }
  if (auto* ns = std::get_if<NotSpecified>(&res)) {
    r.outcome = Outcome::NotSpecified;
    r.not_specified = ns->what;
    return;
  }
  const Done& done = std::get<Done>(res);
  r.smc = done.smc;
  r.sgi = done.sgi;
  if (!s.thread(tcb) || s.thread(tcb)->state != ThreadState::Restart) return;
  if (is_call) write_reply(s, tcb, 0, done.reply);
  s.thread(tcb)->state = ThreadState::Running;
}

// seL4 handleRecv (ipc.md §1.5): the cap is looked up at 64 bits; a failure, a cap that is not
// a readable endpoint or notification, or a notification bound to another thread is a cap fault
// in the receive phase (MissingCapability(0) for the last three). An endpoint receive first
// deletes the caller cap; a notification receive does not.
void handle_recv(State& s, paddr_t tcb, cptr_t cptr, bool is_blocking, SyscallResult& r) {
  auto slot = lookup_slot(s, tcb, cptr);
  if (!slot.ok()) {
    raise_fault(s, tcb, cap_fault(cptr, slot.error(), true), r);
    return;
  }
  const Cap cap = s.cap_at(slot.value());
  if (cap.type == CapType::Endpoint && cap.rights.read) {
    delete_caller_cap(s, tcb);
    receive_ipc(s, tcb, cap, is_blocking);
    return;
  }
  if (cap.type == CapType::Notification && cap.rights.read) {
    const std::optional<paddr_t> bound = s.objects.at(cap.ptr).bound_tcb;
    if (!bound || *bound == tcb) {
      receive_signal(s, tcb, cap, is_blocking);
      return;
    }
  }
  raise_fault(s, tcb, cap_fault(cptr, LookupFault::missing_capability(0), true), r);
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
  const std::optional<IpcBuffer> buf = lookup_ipc_buffer(s, tcb, true);
  if (!buf) {  // seL4 then reads from a bogus address
    r.outcome = Outcome::NotSpecified;
    r.not_specified = "DebugNameThread without a writable IPC buffer";
    return;
  }
  std::string name;
  for (word_t i = 0; i < kMsgMaxLength * 8; ++i) {
    char c = char((buffer_word(s, *buf, 1 + i / 8) >> (8 * (i % 8))) & 0xff);
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
    case Syscall::Recv: handle_recv(s, tcb, e.regs[0], true, r); return;
    case Syscall::NBRecv: handle_recv(s, tcb, e.regs[0], false, r); return;
    case Syscall::Reply: handle_reply(s, tcb); return;
    case Syscall::ReplyRecv:  // seL4: the reply happens even if the receive then faults
      handle_reply(s, tcb);
      handle_recv(s, tcb, e.regs[0], true, r);
      return;
    case Syscall::DebugPutChar: r.output = std::string(1, char(e.regs[0] & 0xff)); return;
    case Syscall::DebugCapIdentify: {
      auto slot = lookup_slot(s, tcb, e.regs[0]);
      reg_x(*s.thread(tcb), 0) = slot.ok() ? cap_type_tag(s.cap_at(slot.value()).type) : 0;
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
    case Outcome::Blocked: return "Blocked";
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
  for (unsigned i = 0; i < e.regs.size(); ++i) reg_x(t, i) = e.regs[i];
}

// How the calling thread left the kernel, from its state: still runnable — it returns; blocked
// in IPC — it waits; inactive after a fault with no handler — it faulted; otherwise (inactive,
// or destroyed) — it stopped.
static void settle_outcome(const State& s, paddr_t tcb, SyscallResult& r) {
  if (r.outcome != Outcome::Returned) return;
  const Thread* t = s.thread(tcb);
  if (t == nullptr)
    r.outcome = Outcome::Stopped;
  else if (is_blocked(*t))
    r.outcome = Outcome::Blocked;
  else if (t->state == ThreadState::Inactive)
    r.outcome = r.fault ? Outcome::Faulted : Outcome::Stopped;
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
  // The words the thread wrote into its buffer before the svc are in the frame now.
  const std::optional<IpcBuffer> buf = lookup_ipc_buffer(out.state, tcb, false);
  if (buf) write_ipc_buffer(out.state, *buf, e.ipc_buffer);
  if (auto sys = syscall_named(e.regs[7]))
    handle_syscall(out.state, tcb, e, *sys, r);
  else  // seL4 handleUnknownSyscall
    raise_fault(out.state, tcb, Fault{.kind = Fault::Kind::UnknownSyscall, .syscall = e.regs[7]}, r);
  if (r.outcome == Outcome::NotSpecified) {
    out.state = s0;  // the spec claims nothing about the effect
    r.regs = e.regs;
    r.ipc_buffer = e.ipc_buffer;
    return out;
  }
  settle_outcome(out.state, tcb, r);
  if (Thread* t = out.state.thread(tcb))  // the caller's x0..x7 as it will see them
    for (unsigned i = 0; i < r.regs.size(); ++i) r.regs[i] = reg_x(*t, i);
  // The buffer the words went into, as it is now (even if the call moved the thread's buffer);
  // a frame destroyed meanwhile still holds what was written at entry.
  if (buf && out.state.objects.count(buf->frame)) r.ipc_buffer = read_ipc_buffer(out.state, *buf);
  end_kernel_entry(out.state);
  return out;
}

}  // namespace keel::spec
