// Fuzz harness with the spec as its oracle: each input's bytes are the choices of the lockstep
// check's event generator (tests/diff/generator.h), or a list of concrete events
// (tests/diff/event_codec.h, how scripted scenarios join the corpus), and every event — syscalls by
// whichever thread runs, IPC, faults, VSpace operations, interrupts — is checked in lockstep:
// its user-visible results, the SMC frame condition and the TLB at once, and the kernel's
// abstraction against the spec's state, with the invariants of both, at the end of the input
// (or every n events: diff::LockstepConfig). Every input starts from one booted kernel, restored
// from a snapshot rather than booted again.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "event_codec.h"
#include "generator.h"
#include "kernel/lib/mutation.h"
#include "lockstep.h"
#include "tests/fuzz/harness.h"

namespace keel::fuzz {
namespace {

// Events per input: long enough to build threads, endpoints and mappings and use them.
constexpr size_t kMaxEvents = 64;
// Listed events (scenarios run longer).
constexpr size_t kMaxListedEvents = 256;
// Interrupts tried in a row while every thread waits, to wake one (as diff::random_run does).
constexpr size_t kMaxIdleEvents = 3;

unsigned g_planted_mutant = 0;
size_t g_state_check_interval = 1;
FuzzStats g_stats;

// KEEL_FUZZ_TRACE=1 prints each event and how it ended: how a finding is read.
bool tracing() {
  static const bool on = std::getenv("KEEL_FUZZ_TRACE") != nullptr;
  return on;
}

// One booted lockstep pair for the process, and its state right after boot.
struct Booted {
  diff::Lockstep lockstep;
  diff::Lockstep::Snapshot at_boot;
  Booted() : lockstep(diff::LockstepConfig{.state_check_interval = g_state_check_interval}), at_boot() {
    if (!lockstep.booted()) finding("syscall: the host kernel did not boot");
    at_boot = lockstep.snapshot();
  }
};

diff::Lockstep& fresh_lockstep() {
  static Booted* booted = new Booted();  // never destroyed: it outlives every input
  booted->lockstep.restore(booted->at_boot);
  booted->lockstep.steps = booted->lockstep.not_specified = 0;
  return booted->lockstep;
}

[[noreturn]] void report(const std::vector<diff::Event>& events, const diff::StepReport& rep) {
  diff::SequenceResult r;
  r.failed_at = int(events.size()) - 1;
  r.report = rep;
  finding("syscall: %s", diff::failure_report(events, r).c_str());
}

// One event checked in lockstep; a failure is a finding.
void step(diff::Lockstep& ls, std::vector<diff::Event>& events, const diff::Event& e) {
  events.push_back(e);
  const diff::StepReport rep = ls.step(e);
  ++g_stats.events;
  if (!e.is_interrupt() && !e.is_exception()) ++g_stats.syscalls;
  if (tracing())
    std::fprintf(stderr, "[%zu] %s -> %s%s\n", events.size() - 1, diff::describe(e).c_str(),
                 spec::to_string(rep.outcome), rep.ok() ? "" : " FAILED");
  if (!rep.ok()) report(events, rep);
}

// The input's bytes are the event generator's choices, as diff::random_run makes them.
void run_choices(diff::Lockstep& ls, std::vector<diff::Event>& events, const uint8_t* data, size_t size) {
  diff::Generator gen(diff::Entropy(data, size));
  for (size_t idle_events = 0; events.size() < kMaxEvents && !gen.exhausted();) {
    const bool idle = !ls.running();
    if (idle && (!ls.idling() || ++idle_events > kMaxIdleEvents)) break;
    const diff::GenContext ctx{ls.state(), ls.root_cnode(), config::kRootCNodeSizeBits, ls.root_tcb()};
    step(ls, events, idle ? gen.interrupt(ctx) : gen.next(ctx));
  }
}

// The input is a list of concrete events (a scripted scenario, or what libFuzzer made of one),
// taken while the kernel can take them.
void run_events(diff::Lockstep& ls, std::vector<diff::Event>& events, const std::vector<diff::Event>& input) {
  for (size_t i = 0; i < input.size() && i < kMaxListedEvents && ls.accepts(input[i]); ++i)
    step(ls, events, input[i]);
}

}  // namespace

void set_planted_mutant(unsigned m) { g_planted_mutant = m; }

void set_state_check_interval(size_t events) { g_state_check_interval = events; }

const FuzzStats& syscall_stats() { return g_stats; }

void run_syscall_input(const uint8_t* data, size_t size) {
  g_active_mutant = Mutant::None;
  diff::Lockstep& ls = fresh_lockstep();
  g_active_mutant = static_cast<Mutant>(g_planted_mutant);  // planted bugs act after boot
  ++g_stats.inputs;
  std::vector<diff::Event> events;
  if (size > 0 && data[0] == diff::kEventsMagic)
    run_events(ls, events, diff::decode_events(data + 1, size - 1));
  else
    run_choices(ls, events, data, size);
  if (const diff::StepReport rep = ls.checkpoint(); !rep.ok()) report(events, rep);
  g_active_mutant = Mutant::None;
}

}  // namespace keel::fuzz

#ifdef KEEL_LIBFUZZER_ENTRY
namespace {

size_t g_interval = 0;  // 0: the whole state compared once, at the end of each input

// At exit: how much was checked, for tools/fuzz.sh.
void print_stats() {
  const keel::fuzz::FuzzStats& s = keel::fuzz::syscall_stats();
  const std::string when =
      g_interval == 0 ? "at the end of each input" : "every " + std::to_string(g_interval) + " events";
  std::fprintf(
      stderr,
      "keel fuzz stats: %llu inputs, %llu events checked in lockstep, %llu of them syscalls (results at "
      "every event, whole state %s)\n",
      static_cast<unsigned long long>(s.inputs), static_cast<unsigned long long>(s.events),
      static_cast<unsigned long long>(s.syscalls), when.c_str());
}

}  // namespace

// KEEL_FUZZ_MUTANT=<n> switches on planted kernel bug n (kernel/lib/mutation.h) after each boot;
// a number past the last one exits with status 3 (tools/fuzz.sh --hunt counts them that way).
// KEEL_FUZZ_STATE_CHECK=<n> compares the whole state every n events (1: every event, as the
// corpus replay in the test suite does); by default once, at the end of each input, which runs
// several times faster. A finding then names the input; replayed with KEEL_FUZZ_STATE_CHECK=1 it
// names the event.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* n = std::getenv("KEEL_FUZZ_STATE_CHECK")) g_interval = size_t(std::atoll(n));
  keel::fuzz::set_state_check_interval(g_interval == 0 ? ~size_t{0} : g_interval);
  if (const char* m = std::getenv("KEEL_FUZZ_MUTANT")) {
    const unsigned n = unsigned(std::atoi(m));
    if (n >= unsigned(keel::Mutant::Count)) {
      std::fprintf(stderr, "keel fuzz: there is no planted mutant %u\n", n);
      std::exit(3);
    }
    keel::fuzz::set_planted_mutant(n);
  }
  std::atexit(print_stats);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  keel::fuzz::run_syscall_input(data, size);
  return 0;
}
#endif
