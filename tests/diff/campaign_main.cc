// The long refinement campaign: seeded random lockstep runs (and optionally an exhaustive run
// to a chosen depth) until the time is up; prints steps checked, distinct abstract states and
// speed. A failure prints the seed, the shortest failing sequence and how to reproduce it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "event_codec.h"
#include "generator.h"
#include "kernel/lib/mutation.h"
#include "scenarios.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  double seconds = 60;
  std::uint64_t seed = 1;
  unsigned depth = 0;           // exhaustive depth; 0 = no exhaustive run
  size_t steps = 2000;          // random steps per seed
  bool one_seed = false;        // --steps given with --seed: reproduce exactly one run
  unsigned mutant = 0;          // a planted kernel bug to hunt (kernel/lib/mutation.h)
  std::string fuzz_input;       // where to write the failing boot as a syscall-fuzzer input
  std::string scenario_inputs;  // a directory to write every scripted scenario into, as fuzz inputs
  size_t state_check = 1;       // compare the whole state every this many events (LockstepConfig)
  keel::diff::GenMix mix = keel::diff::GenMix::Broad;
  bool fastpath = true;  // the kernel takes the IPC fastpath where it can
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (a == "--seconds")
      o.seconds = std::atof(v);
    else if (a == "--seed")
      o.seed = std::strtoull(v, nullptr, 0);
    else if (a == "--depth")
      o.depth = unsigned(std::atoi(v));
    else if (a == "--steps")
      o.steps = std::strtoull(v, nullptr, 0), o.one_seed = true;
    else if (a == "--mutant")
      o.mutant = unsigned(std::atoi(v));
    else if (a == "--fuzz-input")
      o.fuzz_input = v;
    else if (a == "--scenario-inputs")
      o.scenario_inputs = v;
    else if (a == "--state-check")
      o.state_check = std::strtoull(v, nullptr, 0);
    else if (a == "--mix" && (std::strcmp(v, "broad") == 0 || std::strcmp(v, "conversations") == 0))
      o.mix = std::strcmp(v, "broad") == 0 ? keel::diff::GenMix::Broad : keel::diff::GenMix::Conversations;
    else if (a == "--fastpath" && (std::strcmp(v, "on") == 0 || std::strcmp(v, "off") == 0))
      o.fastpath = std::strcmp(v, "on") == 0;
    else
      return false;
  }
  return true;
}

// The options besides seed and steps that a failing run needs to be reproduced.
std::string reproduce_flags(const Options& o) {
  std::string f;
  if (o.mix == keel::diff::GenMix::Conversations) f += " --mix conversations";
  if (!o.fastpath) f += " --fastpath off";
  if (o.state_check != 1) f += " --state-check " + std::to_string(o.state_check);
  return f;
}

// The failing boot as an input of tests/fuzz/syscall_fuzz.cc that makes the same events.
void write_fuzz_input(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  if (path.empty()) return;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::printf("wrote the failing boot as a fuzz input: %s (%zu bytes)\n", path.c_str(), bytes.size());
}

// Every scripted scenario as a syscall-fuzzer input (tests/diff/event_codec.h): seeds that reach
// what random choices rarely do (threads talking over endpoints, faults, IRQs).
int write_scenario_inputs(const std::string& dir) {
  for (const keel::diff::Scenario& s : keel::diff::scenarios()) {
    const std::vector<std::uint8_t> bytes = keel::diff::encode_events(s.events);
    const std::string path = dir + "/scenario-" + s.name;
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("wrote %zu scenarios to %s\n", keel::diff::scenarios().size(), dir.c_str());
  return 0;
}

int report_failure(const std::vector<keel::diff::Event>& failing, const std::string& what) {
  const std::vector<keel::diff::Event> shortest = keel::diff::minimise(failing);
  std::printf("FAILED %s\n%s", what.c_str(),
              keel::diff::failure_report(shortest, keel::diff::run_sequence(shortest)).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(
        stderr,
        "usage: %s [--seconds N] [--seed S] [--depth D] [--steps N] [--mutant M --fuzz-input FILE] "
        "[--scenario-inputs DIR] [--state-check N] [--mix broad|conversations] [--fastpath on|off]\n",
        argv[0]);
    return 2;
  }
  if (o.mutant >= unsigned(keel::Mutant::Count)) {
    std::fprintf(stderr, "%s: there is no planted mutant %u\n", argv[0], o.mutant);
    return 3;
  }
  if (!o.scenario_inputs.empty()) return write_scenario_inputs(o.scenario_inputs);
  keel::g_active_mutant = static_cast<keel::Mutant>(o.mutant);
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  size_t steps = 0, not_specified = 0, boots = 0, seeds = 0;
  std::unordered_set<std::uint64_t> distinct;
  std::array<size_t, 6> outcomes{};
  if (o.depth > 0) {
    keel::diff::ExhaustiveResult r = keel::diff::exhaustive_run(keel::diff::exhaustive_alphabet(), o.depth);
    std::printf("exhaustive depth %u: %zu sequences, %zu steps, %zu not specified, %.1f s\n", o.depth,
                r.sequences, r.steps, r.not_specified, elapsed());
    if (r.failed) return report_failure(r.failing, "exhaustive run");
    steps += r.steps;
    not_specified += r.not_specified;
  }
  for (std::uint64_t seed = o.seed; elapsed() < o.seconds || (o.one_seed && seeds == 0); ++seed) {
    const keel::diff::LockstepConfig cfg{.state_check_interval = o.state_check, .fastpath = o.fastpath};
    keel::diff::RandomRunResult r = keel::diff::random_run(seed, o.steps, 60, cfg, &distinct, o.mix);
    ++seeds;
    steps += r.steps, not_specified += r.not_specified, boots += r.boots;
    for (size_t i = 0; i < outcomes.size(); ++i) outcomes[i] += r.outcomes[i];
    if (r.failed && !r.fuzz_input.empty()) write_fuzz_input(o.fuzz_input, r.fuzz_input);
    if (r.failed)
      return report_failure(r.failing, "seed " + std::to_string(seed) +
                                           " (reproduce: keel_refinement_campaign --seed " +
                                           std::to_string(seed) + " --steps " + std::to_string(o.steps) +
                                           reproduce_flags(o) + ")");
    if (o.one_seed) break;
    if (seeds % 10 == 0)
      std::printf("... %.0f s: %zu seeds, %zu steps, %zu distinct states\n", elapsed(), seeds, steps,
                  distinct.size());
    std::fflush(stdout);
  }
  const double t = elapsed();
  std::printf("outcomes: %zu returned, %zu faulted, %zu stopped, %zu blocked in IPC, %zu halted\n",
              outcomes[0], outcomes[1], outcomes[2], outcomes[3], outcomes[4]);
  std::printf(
      "campaign passed: seeds %llu..%llu, %zu steps checked (%zu not specified), %zu boots, "
      "%zu distinct abstract states, %.0f steps/s over %.1f s\n",
      static_cast<unsigned long long>(o.seed), static_cast<unsigned long long>(o.seed + seeds - 1), steps,
      not_specified, boots, distinct.size(), t > 0 ? double(steps) / t : 0.0, t);
  return 0;
}
