// Exhaustive small-scope check: every sequence up to depth 3 over a small alphabet (a RAM
// untyped, two free slots, the SMC cap, the IPC buffer frame), each from a fresh boot.
#include <gtest/gtest.h>

#include "generator.h"

namespace keel::diff {
namespace {

TEST(LockstepExhaustive, EverySequenceUpToDepth3) {
  const std::vector<Event> alphabet = exhaustive_alphabet();
  ExhaustiveResult r = exhaustive_run(alphabet, 3);
  if (r.failed) FAIL() << failure_report(r.failing, run_sequence(r.failing));
  const size_t n = alphabet.size();
  EXPECT_EQ(r.sequences, n + n * n + n * n * n);
  EXPECT_LT(r.not_specified * 20, r.steps);  // an SMC label sent to an endpoint is IPC
  std::printf("%zu sequences, %zu steps checked\n", r.sequences, r.steps);
}

}  // namespace
}  // namespace keel::diff
