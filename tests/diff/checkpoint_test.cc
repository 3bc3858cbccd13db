// Lockstep with the whole state compared only now and then (LockstepConfig::state_check_interval,
// how the fuzzer runs by default): the same events and outcomes as comparing after every event,
// a bug that shows only in the state caught at the next comparison, and a bug in a result still
// caught at its own event.
#include <gtest/gtest.h>

#include <unordered_set>

#include "generator.h"
#include "kernel/lib/mutation.h"
#include "scenario_events.h"

namespace keel::diff {
namespace {

using namespace script;

constexpr LockstepConfig kRarely{.state_check_interval = 1000};

class Checkpoint : public ::testing::Test {
 protected:
  void TearDown() override { g_active_mutant = Mutant::None; }
};

TEST_F(Checkpoint, RandomRunsTakeTheSameEventsAsCheckingEveryEvent) {
  for (const std::uint64_t seed : {42u}) {
    std::unordered_set<std::uint64_t> every, rarely;
    const RandomRunResult a = random_run(seed, 1000, 60, {}, &every);
    const RandomRunResult b = random_run(seed, 1000, 60, kRarely, &rarely);
    ASSERT_FALSE(a.failed || b.failed) << seed;
    EXPECT_EQ(a.outcomes, b.outcomes) << seed;
    EXPECT_EQ(a.boots, b.boots) << seed;
    EXPECT_EQ(every, rarely) << seed;
  }
}

// Mint ignoring its rights mask still returns success: only the new cap's rights are wrong.
TEST_F(Checkpoint, AStateOnlyBugShowsAtTheNextComparison) {
  const Event read_only = mint(boot_layout().first_free, kIpcBuffer, 0, 0x2);
  g_active_mutant = Mutant::MintIgnoresRights;
  Lockstep every;
  EXPECT_EQ(every.step(read_only).failed, Check::State);

  Lockstep rarely(kRarely);
  const StepReport at_event = rarely.step(read_only);
  EXPECT_TRUE(at_event.ok()) << at_event.detail;
  const StepReport at_comparison = rarely.checkpoint();
  EXPECT_EQ(at_comparison.failed, Check::State);
  EXPECT_NE(at_comparison.detail.find("at the state comparison after 1 events"), std::string::npos)
      << at_comparison.detail;
  EXPECT_TRUE(rarely.checkpoint().ok()) << "a comparison is made once";
}

// The kernel makes an SMC the badge forbids: a result, seen at once.
TEST_F(Checkpoint, AResultBugShowsAtItsEvent) {
  const word_t f = boot_layout().first_free;
  Lockstep rarely(kRarely);
  ASSERT_TRUE(rarely.step(mint(f, kSmc, kPsciVersion)).ok());
  g_active_mutant = Mutant::SkipSmcBadgeCheck;
  EXPECT_EQ(rarely.step(smc_call(f, kPsciFeatures)).failed, Check::Observable);
}

// run_sequence ends with a comparison, blamed on the last event taken.
TEST_F(Checkpoint, SequencesEndWithAComparison) {
  g_active_mutant = Mutant::MintIgnoresRights;
  const SequenceResult r = run_sequence({mint(boot_layout().first_free, kIpcBuffer, 0, 0x2)}, kRarely);
  EXPECT_EQ(r.failed_at, 0);
  EXPECT_EQ(r.report.failed, Check::State);
}

}  // namespace
}  // namespace keel::diff
