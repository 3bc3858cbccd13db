// The lockstep refinement check: one kernel entry on the host kernel and one spec step from the
// abstraction of the state before; the abstraction after must equal the spec's state and the
// user-visible results must match. Invariants of both sides are checked after every step.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "abstraction.h"
#include "host/test_driver.h"
#include "step.h"

namespace keel::diff {

// One kernel entry: a syscall by the current thread as the user issues it (x0..x7, x7 = the
// syscall number, and its IPC buffer words), or an interrupt (the machine's choice).
//
// SGIs: the SGI an SGI-signal cap raises is an observable of the syscall (spec SyscallResult::sgi
// against the host machine's log). On this one-core GICv2 an SGI for CPU interface 0 is pending at
// once and taken as soon as the thread runs again, so a step that raised one continues, on both
// sides, with that interrupt's kernel entry (spec::interrupt); other targets name no CPU.
struct Event {
  static constexpr word_t kNoInterrupt = ~word_t{0};
  std::array<word_t, 8> regs{};
  std::array<word_t, spec::kIpcBufferWords> ipc{};
  word_t interrupt = kNoInterrupt;  // else the IRQ that arrives
  // Else a synchronous exception of the current thread at its next instruction (x0..x7 as in
  // `regs`): a VM fault (data or instruction abort) or another user exception.
  struct Exception {
    bool vm_fault = false;
    bool instruction = false;
    word_t esr = 0, far = 0;
    friend bool operator==(const Exception&, const Exception&) = default;
  };
  std::optional<Exception> exception;
  bool is_interrupt() const { return interrupt != kNoInterrupt; }
  bool is_exception() const { return exception.has_value(); }
  friend bool operator==(const Event&, const Event&) = default;
};
std::string describe(const Event& e);
std::string hex(word_t v);

// Builders for the events drivers use.
Event call_event(cptr_t cptr, word_t label, const std::vector<word_t>& mrs,
                 const std::vector<cptr_t>& extra = {}, spec::Syscall sys = spec::Syscall::Call);
Event debug_event(spec::Syscall sys, word_t x0 = 0);
Event raw_syscall_event(word_t number, word_t x0 = 0);
Event tick_event();  // the kernel timer's interrupt
Event exception_event(bool vm_fault, word_t esr, word_t far = 0, bool instruction = false);

// Which check caught a difference.
enum class Check { None, Abstraction, KernelInvariant, SpecInvariant, State, Observable, Exception };
const char* to_string(Check c);

struct StepReport {
  Check failed = Check::None;
  std::string detail;                               // the first difference, readable
  spec::Outcome outcome = spec::Outcome::Returned;  // what the spec said
  bool not_specified = false;                       // skipped: the spec does not describe this event
  bool ok() const { return failed == Check::None; }
};

// The deterministic secure monitor both sides see: PSCI 1.1 answers as QEMU gives them, and a
// fixed mix of the arguments for other function IDs (no side effects, no power-off).
machine::SmcRegs model_monitor(const machine::SmcRegs& in);

struct LockstepConfig {
  size_t ram_size = 4u << 20;  // small: a boot clears the whole arena
  // The whole state (the abstraction against the spec's, and both sides' invariants) is
  // compared after every this many events; 1 is every event. Between comparisons the spec runs
  // on from its own state, and each event's user-visible results, the TLB and the frame
  // condition are still checked at once: a state that goes wrong shows at the next comparison
  // (checkpoint()), a result that goes wrong at its event. Long fuzzing runs use this.
  size_t state_check_interval = 1;
  // The kernel takes the IPC fastpath where it can; its results must equal the slow path's, so
  // the check runs both ways.
  bool fastpath = true;
};

class Lockstep {
 public:
  explicit Lockstep(const LockstepConfig& cfg = {});
  ~Lockstep();

  bool booted() const;
  // A thread can take another syscall (one runs and the machine is on).
  bool running() const;
  // No thread can run, but the machine is on: an interrupt may still arrive (and wake one).
  bool idling() const;
  // The event can be taken now: a syscall or exception needs a running thread.
  bool accepts(const Event& e) const { return running() || (e.is_interrupt() && idling()); }
  // Checks one event; the kernel then stays in the state the event left.
  StepReport step(const Event& e);
  // Compares the whole state now if some event since the last comparison was not compared.
  StepReport checkpoint();
  // The abstraction of the kernel now (valid after a successful boot or step), or between
  // comparisons the spec's state, which equals it unless the next checkpoint fails.
  const spec::State& state() const { return now_; }
  host::HostKernel& kernel() { return *kernel_; }
  paddr_t root_cnode() const { return roots_.root_cnode; }
  paddr_t root_tcb() const { return roots_.root_tcb; }
  // Checks the kernel's capability invariants over every live CNode and TCB.
  std::string kernel_invariants() const;
  std::string tlb_check(const spec::State& before, size_t events_from) const;

  // The pair as it is now (the kernel and its abstraction), and back to it without booting:
  // the fuzzer starts every input from one booted state.
  struct Snapshot {
    std::shared_ptr<const host::HostKernel::Snapshot> kernel;
    spec::State state;
    AbstractionRoots roots;
  };
  Snapshot snapshot() const { return {kernel_->snapshot(), now_, roots_}; }
  void restore(const Snapshot& s);

  size_t steps = 0, not_specified = 0;

 private:
  struct KernelRun;
  StepReport run_kernel(const Event& e, KernelRun& run);
  StepReport step_checking_state(const Event& e, const spec::State& before, const KernelRun& run,
                                 size_t events_before);
  StepReport step_between_checkpoints(const Event& e, const spec::State& before, const KernelRun& run,
                                      size_t events_before);
  StepReport abstract_now(const Event* after);
  StepReport compare_states(const spec::State* want, const Event* e, spec::Outcome o,
                            const std::string& note) const;
  static std::set<std::pair<paddr_t, int>> containers_of(const spec::State& s);
  spec::Step spec_step(const Event& e, const spec::State& before);
  StepReport compare_results(const Event& e, const spec::SyscallResult& want, const KernelRun& run,
                             spec::Outcome got);

  std::unique_ptr<host::HostKernel> kernel_;
  size_t state_check_interval_ = 1;
  size_t unchecked_ = 0;  // events since the state was last compared
  AbstractionRoots roots_;
  spec::State now_;
  std::string boot_error_;
  std::vector<std::pair<machine::SmcRegs, machine::SmcRegs>> smc_log_;
};

// A sequence replayed from a fresh boot, stopping at the first failed check or when the root
// thread stops.
struct SequenceResult {
  size_t steps = 0, not_specified = 0;
  int failed_at = -1;  // index of the failing event
  StepReport report;
  bool failed() const { return failed_at >= 0; }
};
SequenceResult run_sequence(const std::vector<Event>& events, const LockstepConfig& cfg = {});

// The shortest sub-sequence found (by removing events while it still fails) that still fails.
std::vector<Event> minimise(const std::vector<Event>& failing, const LockstepConfig& cfg = {});

// A readable failure report: the events (numbered) and the first difference.
std::string failure_report(const std::vector<Event>& events, const SequenceResult& r);

}  // namespace keel::diff
