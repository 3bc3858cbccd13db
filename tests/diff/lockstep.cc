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

Lockstep::Lockstep(const LockstepConfig& cfg) : state_check_interval_(cfg.state_check_interval) {
  host::HostConfig hc;
  hc.ram_size = cfg.ram_size;
  hc.fastpath = cfg.fastpath;
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
  unchecked_ = 0;
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

// The kernel's abstraction now, into now_, and the kernel's invariants.
StepReport Lockstep::abstract_now(const Event* after) {
  auto fail = [&](Check c, const std::string& why) {
    return StepReport{c, why + (after ? "\n  after " + describe(*after) : std::string()), {}, false};
  };
  Abstraction a = abstract_state(roots_);
  if (!a.ok()) return fail(Check::Abstraction, a.error);
  now_ = std::move(a.state);
  if (std::string why = kernel_invariants(); !why.empty()) return fail(Check::KernelInvariant, why);
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
  // now_ is replaced by the state after the step: the state before moves out of it.
  spec::State before = std::move(now_);
  const size_t events_before = kernel_->machine().events.size();
  smc_log_.clear();
  KernelRun run;
  if (StepReport r = run_kernel(e, run); !r.ok()) {
    now_ = std::move(before);
    return r;
  }
  ++steps;
  if (state_check_interval_ <= 1) return step_checking_state(e, before, run, events_before);
  return step_between_checkpoints(e, before, run, events_before);
}

namespace {

// The outcome as the caller sees it: returned, blocked in IPC, faulted with nobody to tell,
// stopped (or destroyed: no thread), or the kernel halted.
spec::Outcome outcome_of(bool halted, std::optional<spec::ThreadState> caller, const std::string& output) {
  using spec::ThreadState;
  if (halted) return spec::Outcome::Halted;
  if (!caller) return spec::Outcome::Stopped;
  switch (*caller) {
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

StepReport failure(Check c, const std::string& why, const Event* e,
                   spec::Outcome o = spec::Outcome::Returned) {
  return StepReport{c, why + (e ? "\n  on " + describe(*e) : std::string()), o, false};
}

}  // namespace

// Every check after every event: the abstraction, both sides' invariants, the TLB, the state
// and the results.
StepReport Lockstep::step_checking_state(const Event& e, const spec::State& before, const KernelRun& run,
                                         size_t events_before) {
  if (StepReport r = abstract_now(&e); !r.ok()) return r;
  if (std::string why = tlb_check(before, events_before); !why.empty())
    return StepReport{Check::KernelInvariant, why + "\n  after " + describe(e), {}, false};
  const spec::Step st = spec_step(e, before);
  const spec::Outcome o = st.result.outcome;
  if (run.frame_violations != 0)
    return failure(Check::Observable, "the SMC frame condition was violated", &e, o);
  const bool said = o != spec::Outcome::NotSpecified;
  if (StepReport r = compare_states(said ? &st.state : nullptr, &e, o, ""); !r.ok()) return r;
  if (!said) {
    ++not_specified;
    return StepReport{Check::None, st.result.not_specified, o, true};
  }
  const spec::Thread* t = now_.thread(run.caller);
  return compare_results(e, st.result, run,
                         outcome_of(now_.halted, t ? std::optional(t->state) : std::nullopt, run.output));
}

// Between state comparisons the spec runs on from its own state; the results, the TLB against
// the spec's mappings and the frame condition are checked at once.
StepReport Lockstep::step_between_checkpoints(const Event& e, const spec::State& before, const KernelRun& run,
                                              size_t events_before) {
  spec::Step st = spec_step(e, before);
  const spec::Outcome o = st.result.outcome;
  if (run.frame_violations != 0)
    return failure(Check::Observable, "the SMC frame condition was violated", &e, o);
  if (o == spec::Outcome::NotSpecified) {  // the spec cannot go on: start again from the kernel
    ++not_specified;
    unchecked_ = 0;
    roots_.known = containers_of(before);
    if (StepReport r = abstract_now(&e); !r.ok()) return r;
    return StepReport{Check::None, st.result.not_specified, o, true};
  }
  now_ = std::move(st.state);
  if (std::string why = tlb_check(before, events_before); !why.empty())
    return StepReport{Check::KernelInvariant, why + "\n  after " + describe(e), {}, false};
  // Whether the caller still exists only the whole abstraction tells: until the next
  // comparison the spec's word is taken for it, and its state is read from its TCB.
  std::optional<spec::ThreadState> caller;
  if (now_.thread(run.caller) != nullptr)
    caller = static_cast<spec::ThreadState>(static_cast<word_t>(tcb_from_object(run.caller)->state));
  if (StepReport r = compare_results(e, st.result, run, outcome_of(ks.halted, caller, run.output)); !r.ok())
    return r;
  if (++unchecked_ >= state_check_interval_) {
    if (StepReport r = checkpoint(); !r.ok()) return r;
  }
  return StepReport{Check::None, "", o, false};
}

// The containers (CNodes, TCBs) a state holds: where the abstraction's walk starts after events
// whose abstraction was not taken, as the containers alive after the last step are otherwise.
std::set<std::pair<paddr_t, int>> Lockstep::containers_of(const spec::State& s) {
  std::set<std::pair<paddr_t, int>> out;
  for (const auto& [p, o] : s.objects) {
    if (o.kind == spec::ObjectKind::CNode) out.insert({p, int(o.radix)});
    if (o.kind == spec::ObjectKind::Tcb) out.insert({p, -1});
  }
  return out;
}

StepReport Lockstep::checkpoint() {
  if (unchecked_ == 0) return {};
  const std::string since = "\n  at the state comparison after " + std::to_string(unchecked_) +
                            " events compared by their results only";
  unchecked_ = 0;
  const spec::State want = std::move(now_);
  roots_.known = containers_of(want);
  if (StepReport r = abstract_now(nullptr); !r.ok()) return r.detail += since, r;
  return compare_states(&want, nullptr, spec::Outcome::Returned, since);
}

// The abstraction (now_) against the spec's state (none: the spec said nothing), and the
// invariants of both.
StepReport Lockstep::compare_states(const spec::State* want, const Event* e, spec::Outcome o,
                                    const std::string& note) const {
  if (auto bad = spec::check_invariants(now_); !bad.empty())
    return failure(Check::SpecInvariant, "abstraction: " + bad.front() + note, e, o);
  if (want == nullptr || *want == now_) return {};  // equal states: the invariants are checked
  if (auto bad = spec::check_invariants(*want); !bad.empty())
    return failure(Check::SpecInvariant, "spec: " + bad.front() + note, e, o);
  if (std::string d = spec::describe_difference(*want, now_); !d.empty())
    return failure(Check::State, "spec vs kernel: " + d + note, e, o);
  return {};
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

// The user-visible results of one event: outcome, console, SMC, SGI, registers, IPC buffer.
StepReport Lockstep::compare_results(const Event& e, const spec::SyscallResult& want, const KernelRun& run,
                                     spec::Outcome got) {
  StepReport rep{Check::None, "", want.outcome, false};
  auto fail = [&](Check c, const std::string& why) { return failure(c, why, &e, want.outcome); };
  if (e.is_interrupt()) {  // the interrupted thread sees nothing but, perhaps, a later turn
    if (!only_diagnostics(run.output)) return fail(Check::Observable, "console: \"" + run.output + "\"");
    return rep;
  }
  if (got != want.outcome)
    return fail(Check::Observable, std::string("outcome: spec ") + spec::to_string(want.outcome) +
                                       " vs kernel " + spec::to_string(got));
  // x7 names the syscall only for a syscall: at an exception it is whatever the thread left there.
  const auto sys = static_cast<spec::Syscall>(static_cast<std::int64_t>(e.regs[7]));
  if (!e.is_exception() && sys == spec::Syscall::DebugPutChar) {
    if (run.output != want.output)
      return fail(Check::Observable,
                  "console: spec \"" + want.output + "\" vs kernel \"" + run.output + "\"");
  } else if (!want.output.empty() || !only_diagnostics(run.output)) {
    return fail(Check::Observable, "console: spec \"" + want.output + "\" vs kernel \"" + run.output + "\"");
  }
  // The SMC made: the same arguments (x8..x17 zero), at most one call.
  if (want.smc.has_value() != !smc_log_.empty() || smc_log_.size() > 1)
    return fail(Check::Observable, "SMC calls: spec " + std::to_string(want.smc ? 1 : 0) + " vs kernel " +
                                       std::to_string(smc_log_.size()));
  if (want.smc) {
    const machine::SmcRegs& in = smc_log_.front().first;
    for (unsigned i = 0; i < 18; ++i) {
      const word_t arg = i < 8 ? want.smc->args[i] : 0;
      if (in.x[i] != arg)
        return fail(Check::Observable,
                    "SMC x" + std::to_string(i) + ": spec " + hex(arg) + " vs kernel " + hex(in.x[i]));
    }
  }
  if (std::string why = compare_sgis(want.sgi, run.sgis); !why.empty()) return fail(Check::Observable, why);
  if (got != spec::Outcome::Returned) return rep;
  for (unsigned i = 0; i < 8; ++i)
    if (run.regs[i] != want.regs[i])
      return fail(Check::Observable,
                  "x" + std::to_string(i) + ": spec " + hex(want.regs[i]) + " vs kernel " + hex(run.regs[i]));
  if (run.has_buffer)
    for (unsigned i = 0; i < spec::kIpcBufferWords; ++i)
      if (run.ipc[i] != want.ipc_buffer[i])
        return fail(Check::Observable, "IPC buffer word " + std::to_string(i) + ": spec " +
                                           hex(want.ipc_buffer[i]) + " vs kernel " + hex(run.ipc[i]));
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
  size_t i = 0;
  for (; i < events.size() && ls.accepts(events[i]); ++i) {
    if (StepReport rep = ls.step(events[i]); !rep.ok()) {
      r.failed_at = int(i);
      r.report = rep;
      break;
    }
  }
  if (!r.failed() && i > 0) {  // a state compared only now is blamed on the last event taken
    if (StepReport rep = ls.checkpoint(); !rep.ok()) r.failed_at = int(i) - 1, r.report = rep;
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
