// Scripted scenarios checked in lockstep: every step of each must refine the spec.
#include <gtest/gtest.h>

#include "scenarios.h"

namespace keel::diff {
namespace {

class LockstepScenario : public ::testing::TestWithParam<Scenario> {};

TEST_P(LockstepScenario, RefinesSpec) {
  const Scenario& s = GetParam();
  SequenceResult r = run_sequence(s.events);
  ASSERT_FALSE(r.failed()) << failure_report(minimise(s.events), run_sequence(minimise(s.events)));
  // Every event ran: a scenario ends the root thread only with its last event.
  EXPECT_EQ(r.steps, s.events.size()) << s.name;
  EXPECT_LE(r.not_specified, 1u) << s.name;
}

INSTANTIATE_TEST_SUITE_P(Scripted, LockstepScenario, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& i) { return i.param.name; });

TEST(Lockstep, BootStateIsWellFormed) {
  Lockstep ls;
  ASSERT_TRUE(ls.booted());
  EXPECT_TRUE(spec::check_invariants(ls.state()).empty());
  EXPECT_EQ(ls.kernel_invariants(), "");
  // The root task's initial caps are where the boot protocol puts them.
  EXPECT_EQ(ls.state().cap_at({ls.root_cnode(), 2}).type, spec::CapType::CNode);
  EXPECT_EQ(ls.state().cap_at({ls.root_cnode(), 15}), spec::Cap::smc(0));
  EXPECT_EQ(ls.state().cur_thread, ls.root_tcb());
}

}  // namespace
}  // namespace keel::diff
