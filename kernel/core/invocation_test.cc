// decode_then_perform: decode runs with kernel memory read-only in host builds, so a decode
// that writes is caught where it happens, not by a diff much later.
#include "kernel/core/invocation.h"

#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/core/kernel_state.h"

namespace keel {
namespace {

struct NoOp {};

Invocation invocation_of_root(host::HostKernel& k) {
  return Invocation{
      .thread = k.root(), .cap = k.root()->slot(kTcbCTable)->cap, .slot = k.root()->slot(kTcbCTable)};
}

TEST(DecodeThenPerform, PerformsWhatAReadOnlyDecodeReturned) {
  host::HostKernel k;
  bool performed = false;
  const Outcome o = decode_then_perform(
      invocation_of_root(k), [](const Invocation&) -> Result<NoOp> { return NoOp{}; },
      [&](const NoOp&) {
        performed = true;
        return PerformStatus::Done;
      });
  EXPECT_TRUE(o.ok());
  EXPECT_TRUE(performed);
  EXPECT_EQ(k.root()->state, ThreadState::Restart);
}

// A planted bug: a decode that writes a slot of the invoked CNode.
TEST(DecodeThenPerformDeathTest, ADecodeThatWritesKernelMemoryIsReported) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        host::HostKernel k;
        const Outcome o = decode_then_perform(
            invocation_of_root(k),
            [](const Invocation& inv) -> Result<NoOp> {
              inv.slot->mdb.set_revocable(false);
              return NoOp{};
            },
            [](const NoOp&) { return PerformStatus::Done; });
        (void)o;
      },
      "a decode wrote kernel memory");
}

TEST(DecodeThenPerformDeathTest, ADecodeThatChangesKernelStateIsReported) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        host::HostKernel k;
        const Outcome o = decode_then_perform(
            invocation_of_root(k),
            [](const Invocation&) -> Result<NoOp> {
              ks.cur_thread = nullptr;
              return NoOp{};
            },
            [](const NoOp&) { return PerformStatus::Done; });
        (void)o;
      },
      "changed the kernel's global state");
}

}  // namespace
}  // namespace keel
