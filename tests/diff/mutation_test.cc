// Checks that bite: each planted kernel bug (kernel/lib/mutation.h) must be caught by the
// refinement check or an invariant, on the scripted scenarios, a seeded random run or the
// exhaustive run (tried in that order, stopping at the first failure).
#include <gtest/gtest.h>

#include "generator.h"
#include "host/sanitizer.h"
#include "kernel/lib/mutation.h"
#include "scenarios.h"

namespace keel::diff {
namespace {

const char* mutant_name(Mutant m) {
  switch (m) {
    case Mutant::None: return "None";
    case Mutant::SkipSmcBadgeCheck: return "SkipSmcBadgeCheck";
    case Mutant::MintKeepsRevocable: return "MintKeepsRevocable";
    case Mutant::RevokeSkipsDescendant: return "RevokeSkipsDescendant";
    case Mutant::WatermarkOffByOne: return "WatermarkOffByOne";
    case Mutant::MapSkipsUserTopCheck: return "MapSkipsUserTopCheck";
    case Mutant::FrameDeleteKeepsMapping: return "FrameDeleteKeepsMapping";
    case Mutant::UnmapSkipsTlbFlush: return "UnmapSkipsTlbFlush";
    case Mutant::SkipMcpCheck: return "SkipMcpCheck";
    case Mutant::SuspendLeavesQueued: return "SuspendLeavesQueued";
    case Mutant::AckNeverUnmasks: return "AckNeverUnmasks";
    case Mutant::TransferIgnoresGrant: return "TransferIgnoresGrant";
    case Mutant::SignalOverwritesWord: return "SignalOverwritesWord";
    case Mutant::CancelLeavesSender: return "CancelLeavesSender";
    case Mutant::SgiTargetOffByOne: return "SgiTargetOffByOne";
    case Mutant::RetypeSlotPastCNode: return "RetypeSlotPastCNode";
    case Mutant::Count: break;
  }
  return "?";
}

// Switches a mutant on for one scope and always back off.
struct ActiveMutant {
  explicit ActiveMutant(Mutant m) { g_active_mutant = m; }
  ~ActiveMutant() { g_active_mutant = Mutant::None; }
  ActiveMutant(const ActiveMutant&) = delete;
  ActiveMutant& operator=(const ActiveMutant&) = delete;
};

struct Caught {
  bool caught = false;
  std::string how;  // which driver and which check, with the shortest failing sequence
};

Caught hunt(Mutant m) {
  const std::vector<Scenario> scripted = scenarios();
  const std::vector<Event> alphabet = exhaustive_alphabet();
  ActiveMutant on(m);
  for (const Scenario& s : scripted) {
    SequenceResult r = run_sequence(s.events);
    if (r.failed()) {
      const std::vector<Event> shortest = minimise(s.events);
      return {true, "scenario " + s.name + ": " + failure_report(shortest, run_sequence(shortest))};
    }
  }
  RandomRunResult rr = random_run(1, 1500);
  if (rr.failed) {
    const std::vector<Event> shortest = minimise(rr.failing);
    return {true, "random seed 1: " + failure_report(shortest, run_sequence(shortest))};
  }
  ExhaustiveResult er = exhaustive_run(alphabet, 3);
  if (er.failed) return {true, "exhaustive: " + failure_report(er.failing, er.failure)};
  return {false, "not caught"};
}

class MutationTest : public ::testing::TestWithParam<Mutant> {};

TEST_P(MutationTest, IsCaughtByRefinementOrInvariant) {
  const Mutant m = GetParam();
  // Under ASan the stray access into free memory stops the run before the lockstep compares.
  if (host::kAsan && m == Mutant::RetypeSlotPastCNode) {
    EXPECT_DEATH((void)hunt(m), "use-after-poison");
    return;
  }
  Caught c = hunt(m);
  ASSERT_EQ(g_active_mutant, Mutant::None);
  std::printf("mutant %s: %s\n", mutant_name(m), c.how.c_str());
  EXPECT_TRUE(c.caught) << "mutant " << mutant_name(m)
                        << " was not caught (is it planted? grep -rn 'Mutant::" << mutant_name(m)
                        << "' kernel arch)";
}

std::vector<Mutant> all_mutants() {
  std::vector<Mutant> out;
  for (unsigned i = 1; i < unsigned(Mutant::Count); ++i) out.push_back(static_cast<Mutant>(i));
  return out;
}

INSTANTIATE_TEST_SUITE_P(Planted, MutationTest, ::testing::ValuesIn(all_mutants()),
                         [](const ::testing::TestParamInfo<Mutant>& i) {
                           return std::string(mutant_name(i.param));
                         });

}  // namespace
}  // namespace keel::diff
