// The lockstep refinement check: run the kernel, run the spec, compare states and results.
#include "lockstep.h"

#include <cstdio>
#include <map>
#include <sstream>
#include <utility>

#include "interrupt.h"
#include "kernel/cap/invariants.h"
#include "kernel/config/config.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/mutation.h"
#include "vspace.h"

namespace keel::diff {

namespace {

std::string hex(word_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

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

word_t mix(word_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

bool is_runnable(const Tcb* t) {
  return t->state == ThreadState::Running || t->state == ThreadState::Restart;
}

// Kernel diagnostics are whole lines starting "keel: "; anything else is user-visible output.
bool only_diagnostics(const std::string& out) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("keel: ", 0) != 0) return false;
  return out.empty() || out.back() == '\n';
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

const char* to_string(Check c) {
  switch (c) {
    case Check::None: return "none";
    case Check::Abstraction: return "abstraction";
    case Check::KernelInvariant: return "kernel invariant";
    case Check::SpecInvariant: return "spec invariant";
    case Check::State: return "state refinement";
    case Check::Observable: return "observable result";
    case Check::Exception: return "exception";
  }
  return "?";
}

machine::SmcRegs model_monitor(const machine::SmcRegs& in) {
  machine::SmcRegs out{};
  const word_t minus_one = ~word_t{0};
  switch (in.x[0]) {
    case 0x84000000: out.x[0] = 0x10001; break;  // PSCI_VERSION
    case 0x8400000a: out.x[0] = (in.x[1] == 0x84000000 || in.x[1] == 0x84000008) ? 0 : minus_one; break;
    case 0x84000006: out.x[0] = 2; break;  // MIGRATE_INFO_TYPE
    default: {
      word_t h = 0x9e3779b97f4a7c15ull;
      for (unsigned i = 0; i < machine::kSmcArgsSeL4; ++i) h = mix(h ^ in.x[i]);
      for (unsigned i = 0; i < machine::kSmcArgsSeL4; ++i) out.x[i] = mix(h + i);
      return out;
    }
  }
  for (unsigned i = 1; i < machine::kSmcArgsSeL4; ++i) out.x[i] = in.x[i];  // PSCI leaves x1..x7
  return out;
}

// What one kernel entry showed the user.
struct Lockstep::KernelRun {
  paddr_t caller = 0;  // the TCB object of the thread that was current at the entry
  std::array<word_t, 8> regs{};
  std::array<word_t, spec::kIpcBufferWords> ipc{};
  bool has_buffer = false;
  std::string output;
  size_t frame_violations = 0;
  std::vector<host::HostMachine::Sgi> sgis;  // raised during the step
};

namespace {

// The one-core GIC: CPU interface 0 is the only one there is.
bool sgi_reaches_this_core(word_t target) { return target == 0; }

}  // namespace

Lockstep::Lockstep(const LockstepConfig& cfg) {
  host::HostConfig hc;
  hc.ram_size = cfg.ram_size;
  kernel_ = std::make_unique<host::HostKernel>(hc);
  kernel_->check_invariants = false;  // checked here, over every live CNode (see kernel_invariants)
  kernel_->machine().monitor = [this](const machine::SmcRegs& in, host::HostMachine&) {
    machine::SmcRegs out = model_monitor(in);
    smc_log_.push_back({in, out});
    return out;
  };
  if (!kernel_->booted() || kernel_->root() == nullptr) {
    boot_error_ = "the kernel did not boot";
    return;
  }
  roots_.root_cnode = CNodeCap{kernel_->root()->slot(kTcbCTable)->cap}.ptr();
  roots_.root_radix = config::kRootCNodeSizeBits;
  roots_.root_tcb = object_of(kernel_->root());
  Abstraction a = abstract_state(roots_);
  if (!a.ok()) boot_error_ = "no abstraction after boot: " + a.error;
  now_ = a.state;
}

Lockstep::~Lockstep() = default;

void Lockstep::restore(const Snapshot& s) {
  kernel_->restore(*s.kernel);
  now_ = s.state;
  roots_ = s.roots;
  smc_log_.clear();
}

bool Lockstep::booted() const { return boot_error_.empty(); }

bool Lockstep::running() const {
  return booted() && !kernel_->halted() && !ks.halted && ks.cur_thread != ks.idle_thread &&
         is_runnable(ks.cur_thread);
}

bool Lockstep::idling() const {
  return booted() && !kernel_->halted() && !ks.halted && ks.cur_thread == ks.idle_thread;
}

std::string Lockstep::kernel_invariants() const {
  std::vector<SlotSpan> spans;
  for (const auto& [p, radix] : roots_.known) {
    if (radix < 0)
      spans.push_back({tcb_from_object(p)->slot(kTcbCTable), kTcbNumSlots});
    else
      spans.push_back({ptr_from_paddr<Cte>(p), word_t{1} << radix});
  }
  char why[256] = "";
  if (spans.size() > kInvariantMaxSpans) return "more live CNodes/TCBs than the checker takes";
  if (!check_invariants(InvariantScope{spans.data(), spans.size()}, why, sizeof why)) return why;
  return "";
}

namespace {

// Every page a live ASID reaches: (asid, va) → the entry, from the abstract tables.
using LivePages = std::map<std::pair<word_t, word_t>, spec::Pte>;

void collect_pages(const spec::State& s, word_t asid, paddr_t table, unsigned bits_left, word_t va,
                   LivePages& out) {
  const auto it = s.objects.find(table);
  if (it == s.objects.end()) return;
  for (const auto& [index, pte] : it->second.ptes) {
    const word_t at = va | (index << bits_left);
    if (pte.is_page())
      out[{asid, at}] = pte;
    else if (bits_left > kPageBits)
      collect_pages(s, asid, pte.addr, bits_left - spec::kPtIndexBits, at, out);
  }
}

LivePages live_pages(const spec::State& s) {
  LivePages out;
  for (const auto& [pool_number, pool] : s.asid_table) {
    const auto it = s.objects.find(pool);
    if (it == s.objects.end()) continue;
    for (const auto& [low, root] : it->second.asid_entries)
      collect_pages(s, (pool_number << spec::kAsidLowBits) | low, root, spec::kRootBitsLeft, 0, out);
  }
  return out;
}

bool invalidated(const std::vector<host::MachineEvent>& events, size_t from, word_t asid, word_t va) {
  using K = host::MachineEvent::Kind;
  for (size_t i = from; i < events.size(); ++i) {
    const host::MachineEvent& ev = events[i];
    if (ev.kind == K::InvalidateTlb || (ev.kind == K::InvalidateAsid && ev.a == asid) ||
        (ev.kind == K::InvalidateVa && ev.a == asid && ev.b == va))
      return true;
  }
  return false;
}

}  // namespace

// A mapping that changed or went away must have left the TLB too (by VA, by ASID or all):
// otherwise the thread could still use it. TLB state is not abstract state, so this is checked
// on the machine model's log rather than by the spec.
std::string Lockstep::tlb_check(const spec::State& before, size_t events_from) const {
  const LivePages was = live_pages(before), is = live_pages(now_);
  for (const auto& [key, pte] : was) {
    const auto it = is.find(key);
    if (it != is.end() && it->second == pte) continue;
    if (!invalidated(kernel_->machine().events, events_from, key.first, key.second))
      return "stale TLB: the mapping of ASID " + std::to_string(key.first) + " at " + hex(key.second) +
             " changed without a TLB invalidation";
  }
  return "";
}

// The kernel side of one event. The IPC buffer the event's words go into is the one compared
// afterwards, even if the call moved or removed the thread's buffer (TCB_SetIPCBuffer, deleting
// its frame cap): what the kernel wrote there, or failed to write, is what the caller sees.
StepReport Lockstep::run_kernel(const Event& e, KernelRun& run) {
  host::HostKernel& k = *kernel_;
  const size_t console_before = k.machine().console.size();
  const size_t violations_before = k.machine().frame_violations.size();
  const size_t sgis_before = k.machine().sgis.size();
  Tcb* caller = ks.cur_thread;
  run.caller = object_of(caller);
  word_t* const buf = e.is_interrupt() || e.is_exception() ? nullptr : arch::lookup_ipc_buffer(caller, false);
  if (buf != nullptr) std::copy(e.ipc.begin(), e.ipc.end(), buf);
  try {
    if (e.is_interrupt()) {
      k.interrupt(e.interrupt);
    } else if (e.is_exception()) {
      for (unsigned i = 0; i < 8; ++i) caller->context.regs[X0 + i] = e.regs[i];
      const Event::Exception& x = *e.exception;
      k.exception(x.vm_fault, x.esr, x.far, x.instruction);
    } else {
      caller->context.regs[X6] = e.regs[6];
      k.syscall(caller, static_cast<sword_t>(e.regs[7]),
                {e.regs[0], e.regs[1], e.regs[2], e.regs[3], e.regs[4], e.regs[5]});
    }
  } catch (const std::exception& ex) {
    return StepReport{
        Check::Exception, std::string("kernel threw: ") + ex.what() + " on " + describe(e), {}, false};
  }
  for (unsigned i = 0; i < 8; ++i) run.regs[i] = caller->context.regs[i];
  run.ipc = e.ipc;
  if (buf != nullptr) {
    run.has_buffer = true;
    std::copy(buf, buf + spec::kIpcBufferWords, run.ipc.begin());
  }
  const auto& sgis = k.machine().sgis;
  run.sgis.assign(sgis.begin() + static_cast<std::ptrdiff_t>(sgis_before), sgis.end());
  try {
    k.take_pending_interrupts();  // an SGI to this core arrives as soon as the thread runs
  } catch (const std::exception& ex) {
    return StepReport{Check::Exception,
                      std::string("kernel threw: ") + ex.what() + " taking an SGI after " + describe(e),
                      {},
                      false};
  }
  run.output = k.machine().console.substr(console_before);
  run.frame_violations = k.machine().frame_violations.size() - violations_before;
  return {};
}

// The kernel's state after the event: its abstraction, its invariants, the TLB.
StepReport Lockstep::check_kernel_after(const Event& e, const spec::State& before, size_t events_before) {
  Abstraction after = abstract_state(roots_);
  if (!after.ok()) return StepReport{Check::Abstraction, after.error + "\n  after " + describe(e), {}, false};
  now_ = std::move(after.state);
  if (std::string why = kernel_invariants(); !why.empty())
    return StepReport{Check::KernelInvariant, why + "\n  after " + describe(e), {}, false};
  if (std::string why = tlb_check(before, events_before); !why.empty())
    return StepReport{Check::KernelInvariant, why + "\n  after " + describe(e), {}, false};
  return {};
}

spec::Step Lockstep::spec_step(const Event& e, const spec::State& before) {
  if (e.is_interrupt()) return spec::interrupt(before, e.interrupt);
  if (e.is_exception()) {
    const Event::Exception& x = *e.exception;
    spec::ExceptionEvent se{
        x.vm_fault ? spec::ExceptionEvent::Kind::VMFault : spec::ExceptionEvent::Kind::UserException, e.regs,
        x.esr, x.far, x.instruction};
    return spec::exception(before, se);
  }
  spec::SyscallEvent se;
  se.regs = e.regs;
  se.ipc_buffer = e.ipc;
  // The spec's oracle answers what the kernel's monitor answered for the same arguments.
  se.smc_oracle = [this](const spec::SmcArgs& args) {
    for (const auto& [in, out] : smc_log_)
      if (std::equal(args.begin(), args.end(), in.x))
        return spec::SmcArgs{out.x[0], out.x[1], out.x[2], out.x[3], out.x[4], out.x[5], out.x[6], out.x[7]};
    machine::SmcRegs in{};
    std::copy(args.begin(), args.end(), in.x);
    const machine::SmcRegs out = model_monitor(in);
    return spec::SmcArgs{out.x[0], out.x[1], out.x[2], out.x[3], out.x[4], out.x[5], out.x[6], out.x[7]};
  };
  spec::Step st = spec::step(before, se);
  if (st.result.sgi && sgi_reaches_this_core(st.result.sgi->target))
    st.state = spec::interrupt(st.state, st.result.sgi->id).state;
  return st;
}

StepReport Lockstep::step(const Event& e) {
  if (!accepts(e)) return StepReport{Check::Exception, "no thread is running", {}, false};
  // now_ is replaced by the abstraction after the step: the state before moves out of it.
  const spec::State before = std::move(now_);
  const size_t events_before = kernel_->machine().events.size();
  smc_log_.clear();
  KernelRun run;
  if (StepReport r = run_kernel(e, run); !r.ok()) {
    now_ = before;
    return r;
  }
  ++steps;
  if (StepReport r = check_kernel_after(e, before, events_before); !r.ok()) return r;
  return compare(e, spec_step(e, before), run);
}

// The outcome as the caller sees it: returned, blocked in IPC, faulted with nobody to tell,
// stopped, or the kernel halted.
static spec::Outcome kernel_outcome(const spec::State& now, paddr_t caller, const std::string& output) {
  using spec::ThreadState;
  const spec::Thread* t = now.thread(caller);
  if (now.halted) return spec::Outcome::Halted;
  if (t == nullptr) return spec::Outcome::Stopped;
  switch (t->state) {
    case ThreadState::Inactive:
      return output.find(" fault in thread ") != std::string::npos ? spec::Outcome::Faulted
                                                                   : spec::Outcome::Stopped;
    case ThreadState::BlockedOnReceive:
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReply:
    case ThreadState::BlockedOnNotification: return spec::Outcome::Blocked;
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::Idle: return spec::Outcome::Returned;
  }
  return spec::Outcome::Returned;
}

// The SGI raised: the same target and id, at most one.
static std::string compare_sgis(const std::optional<spec::SgiSent>& want,
                                const std::vector<host::HostMachine::Sgi>& got) {
  if (want.has_value() != !got.empty() || got.size() > 1)
    return "SGIs: spec " + std::to_string(want ? 1 : 0) + " vs kernel " + std::to_string(got.size());
  if (want && (want->target != got.front().target || want->id != got.front().id))
    return "SGI: spec target " + std::to_string(want->target) + " id " + std::to_string(want->id) +
           " vs kernel target " + std::to_string(got.front().target) + " id " +
           std::to_string(got.front().id);
  return "";
}

StepReport Lockstep::compare(const Event& e, const spec::Step& st, const KernelRun& run) {
  StepReport rep{Check::None, "", st.result.outcome, false};
  auto fail = [&](Check c, const std::string& why) {
    rep.failed = c;
    rep.detail = why + "\n  on " + describe(e);
    return rep;
  };
  if (auto bad = spec::check_invariants(now_); !bad.empty())
    return fail(Check::SpecInvariant, "abstraction: " + bad.front());
  if (run.frame_violations != 0) return fail(Check::Observable, "the SMC frame condition was violated");
  if (st.result.outcome == spec::Outcome::NotSpecified) {
    ++not_specified;
    rep.not_specified = true;
    rep.detail = st.result.not_specified;
    return rep;
  }
  if (auto bad = spec::check_invariants(st.state); !bad.empty())
    return fail(Check::SpecInvariant, "spec: " + bad.front());
  if (std::string d = spec::describe_difference(st.state, now_); !d.empty())
    return fail(Check::State, "spec vs kernel: " + d);
  if (e.is_interrupt()) {  // the interrupted thread sees nothing but, perhaps, a later turn
    if (!only_diagnostics(run.output)) return fail(Check::Observable, "console: \"" + run.output + "\"");
    return rep;
  }

  const spec::Outcome got = kernel_outcome(now_, run.caller, run.output);
  if (got != st.result.outcome)
    return fail(Check::Observable, std::string("outcome: spec ") + spec::to_string(st.result.outcome) +
                                       " vs kernel " + spec::to_string(got));
  const auto sys = static_cast<spec::Syscall>(static_cast<std::int64_t>(e.regs[7]));
  if (sys == spec::Syscall::DebugPutChar) {
    if (run.output != st.result.output)
      return fail(Check::Observable,
                  "console: spec \"" + st.result.output + "\" vs kernel \"" + run.output + "\"");
  } else if (!st.result.output.empty() || !only_diagnostics(run.output)) {
    return fail(Check::Observable,
                "console: spec \"" + st.result.output + "\" vs kernel \"" + run.output + "\"");
  }
  // The SMC made: the same arguments (x8..x17 zero), at most one call.
  if (st.result.smc.has_value() != !smc_log_.empty() || smc_log_.size() > 1)
    return fail(Check::Observable, "SMC calls: spec " + std::to_string(st.result.smc ? 1 : 0) +
                                       " vs kernel " + std::to_string(smc_log_.size()));
  if (st.result.smc) {
    const machine::SmcRegs& in = smc_log_.front().first;
    for (unsigned i = 0; i < 18; ++i) {
      const word_t want = i < 8 ? st.result.smc->args[i] : 0;
      if (in.x[i] != want)
        return fail(Check::Observable,
                    "SMC x" + std::to_string(i) + ": spec " + hex(want) + " vs kernel " + hex(in.x[i]));
    }
  }
  if (std::string why = compare_sgis(st.result.sgi, run.sgis); !why.empty())
    return fail(Check::Observable, why);
  if (got != spec::Outcome::Returned) return rep;
  for (unsigned i = 0; i < 8; ++i)
    if (run.regs[i] != st.result.regs[i])
      return fail(Check::Observable, "x" + std::to_string(i) + ": spec " + hex(st.result.regs[i]) +
                                         " vs kernel " + hex(run.regs[i]));
  if (run.has_buffer)
    for (unsigned i = 0; i < spec::kIpcBufferWords; ++i)
      if (run.ipc[i] != st.result.ipc_buffer[i])
        return fail(Check::Observable, "IPC buffer word " + std::to_string(i) + ": spec " +
                                           hex(st.result.ipc_buffer[i]) + " vs kernel " + hex(run.ipc[i]));
  return rep;
}

SequenceResult run_sequence(const std::vector<Event>& events, const LockstepConfig& cfg) {
  SequenceResult r;
  Lockstep ls(cfg);
  if (!ls.booted()) {
    r.failed_at = 0;
    r.report = StepReport{Check::Exception, "boot failed", {}, false};
    return r;
  }
  for (size_t i = 0; i < events.size() && ls.accepts(events[i]); ++i) {
    StepReport rep = ls.step(events[i]);
    if (!rep.ok()) {
      r.failed_at = int(i);
      r.report = rep;
      break;
    }
  }
  r.steps = ls.steps;
  r.not_specified = ls.not_specified;
  return r;
}

std::vector<Event> minimise(const std::vector<Event>& failing, const LockstepConfig& cfg) {
  SequenceResult first = run_sequence(failing, cfg);
  if (!first.failed()) return failing;
  std::vector<Event> cur(failing.begin(), failing.begin() + first.failed_at + 1);
  // Delta debugging: drop chunks, halving the chunk size down to single events.
  for (size_t chunk = cur.size() / 2; chunk >= 1; chunk /= 2) {
    for (size_t start = 0; start + 1 < cur.size();) {
      const size_t n = std::min(chunk, cur.size() - 1 - start);  // the failing event stays last
      if (n == 0) break;
      // Both below cur.size(), so they fit an iterator's difference type.
      const auto keep = static_cast<std::ptrdiff_t>(start), drop = static_cast<std::ptrdiff_t>(n);
      std::vector<Event> trial(cur.begin(), cur.begin() + keep);
      trial.insert(trial.end(), cur.begin() + keep + drop, cur.end());
      SequenceResult r = run_sequence(trial, cfg);
      if (r.failed())
        cur.assign(trial.begin(), trial.begin() + r.failed_at + 1);
      else
        start += n;
    }
    if (chunk == 1) break;
  }
  return cur;
}

std::string failure_report(const std::vector<Event>& events, const SequenceResult& r) {
  std::string s = std::string("refinement check failed (") + to_string(r.report.failed) + ") at event " +
                  std::to_string(r.failed_at) + " of " + std::to_string(events.size()) + "\n";
  for (size_t i = 0; i < events.size(); ++i)
    s += "  [" + std::to_string(i) + "] " + describe(events[i]) + "\n";
  s += "  first difference: " + r.report.detail + "\n";
  if (g_active_mutant != Mutant::None)
    s += "  (mutant " + std::to_string(unsigned(g_active_mutant)) + " active)\n";
  return s;
}

}  // namespace keel::diff
