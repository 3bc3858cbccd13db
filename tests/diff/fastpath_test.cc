// The IPC fastpath under the lockstep check (DESIGN §11: run with it on and off): it takes the
// cases it should, declines the others, and whichever path runs, the kernel ends where the spec
// (which has no fastpath) says.
#include <gtest/gtest.h>

#include <unordered_set>

#include "generator.h"
#include "kernel/core/fastpath.h"
#include "scenario_events.h"

namespace keel::diff {
namespace {

using namespace script;

constexpr LockstepConfig kSlowPathOnly{.fastpath = false};

TEST(Fastpath, TakesExactlyTheCasesItShould) {
  const BootLayout b = boot_layout();
  const std::vector<Event> story = fastpath_story(b);
  const std::vector<FastpathStep> steps = fastpath_steps(b);
  const size_t first_step = story.size() - steps.size();
  Lockstep ls;
  ASSERT_TRUE(ls.booted());
  for (size_t i = 0; i < story.size(); ++i) {
    const word_t before = g_fastpath_taken;
    const StepReport r = ls.step(story[i]);
    ASSERT_TRUE(r.ok()) << "event " << i << ": " << r.detail;
    const bool fast = i >= first_step && steps[i - first_step].fast;
    EXPECT_EQ(g_fastpath_taken - before, fast ? 1u : 0u) << "event " << i << ": " << describe(story[i]);
  }
}

TEST(Fastpath, SwitchedOffItNeverRunsAndTheSpecAgreesEitherWay) {
  const std::vector<Event> story = fastpath_story(boot_layout());
  const word_t before = g_fastpath_taken;
  const SequenceResult off = run_sequence(story, kSlowPathOnly);
  EXPECT_FALSE(off.failed()) << off.report.detail;
  EXPECT_EQ(g_fastpath_taken, before);
  const SequenceResult on = run_sequence(story);
  EXPECT_FALSE(on.failed()) << on.report.detail;
  EXPECT_EQ(g_fastpath_taken - before, 7u);
}

// Seeded random runs with many threads, priorities and endpoints: the fastpath takes a share
// of the Calls and ReplyRecvs, and the run goes exactly as with the slow path alone.
TEST(Fastpath, RandomRunsGoTheSameWayWithAndWithoutIt) {
  for (const std::uint64_t seed : {1u, 7u}) {
    std::unordered_set<std::uint64_t> fast_states, slow_states;
    const word_t before = g_fastpath_taken;
    const RandomRunResult fast = random_run(seed, 1500, 60, {}, &fast_states, GenMix::Conversations);
    const word_t taken = g_fastpath_taken - before;
    const RandomRunResult slow =
        random_run(seed, 1500, 60, kSlowPathOnly, &slow_states, GenMix::Conversations);
    ASSERT_FALSE(fast.failed || slow.failed) << seed;
    EXPECT_GT(taken, 0u) << seed;
    EXPECT_EQ(fast.outcomes, slow.outcomes) << seed;
    EXPECT_EQ(fast_states, slow_states) << seed;
    std::printf("seed %llu: the fastpath took %llu of %zu events\n", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(taken), fast.steps);
  }
}

}  // namespace
}  // namespace keel::diff
