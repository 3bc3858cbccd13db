// Exhaustive small-scope check: every sequence up to depth 3 over a small alphabet (a RAM
// untyped, two free slots, the SMC cap, the IPC buffer frame; an SMC function ID one bit off, a
// rights mask), each from a fresh boot.
#include <gtest/gtest.h>

#include "generator.h"

namespace keel::diff {
namespace {

// Seven shards by the first event, so each ctest entry takes a seventh of the run.
constexpr size_t kShards = 7;

class LockstepExhaustive : public ::testing::TestWithParam<size_t> {};

TEST_P(LockstepExhaustive, EverySequenceUpToDepth3) {
  const std::vector<Event> alphabet = exhaustive_alphabet();
  const Shard shard{GetParam(), kShards};
  ExhaustiveResult r = exhaustive_run(alphabet, 3, {}, shard);
  if (r.failed) FAIL() << failure_report(r.failing, run_sequence(r.failing));
  const size_t n = alphabet.size();
  const size_t firsts = (n + kShards - 1 - shard.index) / kShards;  // first events in this shard
  EXPECT_EQ(r.sequences, firsts * (1 + n + n * n));
  EXPECT_LT(r.not_specified * 20, r.steps);  // an SMC label sent to an endpoint is IPC
  std::printf("%zu sequences, %zu steps checked\n", r.sequences, r.steps);
}

INSTANTIATE_TEST_SUITE_P(Shards, LockstepExhaustive, ::testing::Range(size_t{0}, kShards));

}  // namespace
}  // namespace keel::diff
