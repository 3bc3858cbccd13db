// The kernel built without SMC calls for the root task (KEEL_ALLOW_SMC_CALLS=0), as seL4 with
// KernelAllowSMCCalls off: slot 15 is a null cap, so no SMC can be made at all.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"

namespace keel {
namespace {

static_assert(!config::kAllowSmcCalls, "this test binary is built with SMC calls off");

TEST(NoSmcCalls, SlotFifteenIsEmpty) {
  host::HostKernel k;
  ASSERT_TRUE(k.booted());
  EXPECT_EQ(k.syscall(-12, {kCapSMC}).x[0], 0u);  // DebugCapIdentify: null
  const auto r = k.call(kCapSMC, word_t(Label::ARMSMCCall), {0x84000000, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(r.label(), word_t(Error::InvalidCapability));
  EXPECT_TRUE(k.machine().smc_calls.empty());
  // The other initial caps are as usual.
  EXPECT_EQ(k.syscall(-12, {kCapInitThreadCNode}).x[0], 10u);
  EXPECT_EQ(k.syscall(-12, {kCapDomain}).x[0], 20u);
}

}  // namespace
}  // namespace keel
