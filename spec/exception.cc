// The exception entry: a user exception or VM fault of the current thread becomes a fault
// message to its handler (ipc.md §5.1, vspace.md §7), then the entry ends as every entry does.
#include "fault.h"
#include "scheduler.h"
#include "step.h"

namespace keel::spec {

// The fault record seL4 builds from the exception syndrome.
static Fault fault_of(const ExceptionEvent& e, word_t fault_ip) {
  if (e.kind == ExceptionEvent::Kind::UserException)
    return Fault{.kind = Fault::Kind::UserException, .code = e.esr};
  // seL4 handleVMFault: an instruction abort reports the pc, a data abort FAR; the record's FSR
  // field is 32 bits wide (vspace.md §0.2.8)
  return Fault{.kind = Fault::Kind::VMFault,
               .address = e.instruction ? fault_ip : e.far,
               .code = e.esr & 0xFFFF'FFFF,
               .instruction = e.instruction};
}

Step exception(const State& s0, const ExceptionEvent& e) {
  Step out{s0, {}};
  SyscallResult& r = out.result;
  r.regs = e.regs;
  const Thread* cur = s0.cur_thread ? s0.thread(*s0.cur_thread) : nullptr;
  if (s0.halted || !cur || cur->state != ThreadState::Running) {
    r.outcome = s0.halted ? Outcome::Halted : Outcome::NotSpecified;
    r.not_specified = s0.halted ? "" : "no running current thread";
    return out;
  }
  const paddr_t tcb = *s0.cur_thread;
  Thread& t = *out.state.thread(tcb);
  t.regs[kRegPc] = t.next_ip;  // FaultIP := ELR, the faulting instruction; NextIP stays there too
  for (unsigned i = 0; i < e.regs.size(); ++i) reg_x(t, i) = e.regs[i];
  const Fault f = fault_of(e, t.regs[kRegPc]);
  r.fault = f;
  r.outcome = handle_fault(out.state, tcb, f) ? Outcome::Blocked : Outcome::Faulted;
  if (const std::optional<IpcBuffer> buf = lookup_ipc_buffer(out.state, tcb, false))
    r.ipc_buffer = read_ipc_buffer(out.state, *buf);
  end_kernel_entry(out.state);
  return out;
}

}  // namespace keel::spec
