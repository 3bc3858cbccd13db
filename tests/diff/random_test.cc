// Seeded random syscall sequences checked in lockstep; a failure prints the seed and the
// shortest failing sequence found by delta debugging.
#include <gtest/gtest.h>

#include "generator.h"

namespace keel::diff {
namespace {

constexpr std::uint64_t kSeeds[] = {1, 2, 3, 42, 1234, 0x5eed, 20240601, 77777};
constexpr size_t kStepsPerSeed = 1500;

class LockstepRandom : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(LockstepRandom, RefinesSpec) {
  const std::uint64_t seed = GetParam();
  std::unordered_set<std::uint64_t> distinct;
  RandomRunResult r = random_run(seed, kStepsPerSeed, 60, {}, &distinct);
  if (r.failed) {
    const std::vector<Event> shortest = minimise(r.failing);
    FAIL() << "seed " << seed << " (reproduce: keel_refinement_campaign --seed " << seed << " --steps "
           << kStepsPerSeed << ")\n"
           << failure_report(shortest, run_sequence(shortest));
  }
  EXPECT_EQ(r.steps, kStepsPerSeed);
  // NotSpecified events (IPC, TCB, VSpace invocations) must stay rare in generated sequences.
  EXPECT_LT(r.not_specified * 20, r.steps) << r.not_specified << " of " << r.steps << " not specified";
  RecordProperty("distinct_states", int(distinct.size()));
  std::printf("seed %llu: %zu steps, %zu boots, %zu not specified, %zu distinct states\n",
              static_cast<unsigned long long>(seed), r.steps, r.boots, r.not_specified, distinct.size());
}

INSTANTIATE_TEST_SUITE_P(Seeds, LockstepRandom, ::testing::ValuesIn(kSeeds));

}  // namespace
}  // namespace keel::diff
