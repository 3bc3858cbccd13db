// FPU ownership on the host: state moves only when another thread is switched to, each thread
// gets its own registers back, and fpuDisabled traps user FP use (seL4 16.0.0, threads.md §4).
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/core/kernel_state.h"

namespace keel {
namespace {

class FpuTest : public ::testing::Test {
 protected:
  host::HostKernel k;
  host::HostMachine& m = k.machine();

  word_t start_peer() {
    const word_t t = k.new_thread(255);
    k.start_thread(t, 0x400000);
    return t;
  }
  void switch_away() {
    for (unsigned i = 0; i < config::kTimeSliceTicks; ++i) k.tick();
  }
};

TEST_F(FpuTest, TheRootTaskOwnsTheFpuFromBoot) {
  EXPECT_EQ(ks.fpu_owner, k.root());
  EXPECT_TRUE(m.fpu_enabled);
  const unsigned loads = m.fpu_loads;
  k.syscall(-7, {});  // Yield alone: no switch, no copy
  k.tick();
  EXPECT_EQ(m.fpu_loads, loads);
}

TEST_F(FpuTest, EachThreadGetsItsOwnRegistersBack) {
  const word_t t = start_peer();
  m.fpu.v[3][0] = 0x33;  // the root task computes
  m.fpu.fpsr = 0x8;
  switch_away();
  ASSERT_EQ(ks.cur_thread, k.thread_at(t));
  EXPECT_EQ(ks.fpu_owner, k.thread_at(t));
  EXPECT_EQ(m.fpu.v[3][0], 0);  // the peer's own (zero) state
  EXPECT_EQ(k.root()->context.fpu.v[3][0], 0x33);
  m.fpu.v[3][0] = 0x77;  // the peer computes
  switch_away();
  ASSERT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(m.fpu.v[3][0], 0x33);
  EXPECT_EQ(m.fpu.fpsr, 0x8u);
  EXPECT_EQ(k.thread_at(t)->context.fpu.v[3][0], 0x77);
}

TEST_F(FpuTest, DisablingTheFpuSavesItAndEnablingReloadsIt) {
  m.fpu.v[0][0] = 0x5a;
  ASSERT_EQ(k.call(kCapInitThreadTCB, word_t(Label::TCBSetFlags), {0, 1}).x[2], 1u);
  EXPECT_FALSE(m.fpu_enabled);  // the next FP instruction traps
  EXPECT_EQ(ks.fpu_owner, nullptr);
  m.fpu.v[0][0] = 0;  // whatever the hardware holds now is not the thread's
  ASSERT_EQ(k.call(kCapInitThreadTCB, word_t(Label::TCBSetFlags), {1, 0}).x[2], 0u);
  EXPECT_TRUE(m.fpu_enabled);
  EXPECT_EQ(m.fpu.v[0][0], 0x5a);
}

TEST_F(FpuTest, ADeletedOwnerLeavesNoOwnerBehind) {
  const word_t t = start_peer();
  m.fpu.v[1][0] = 0x11;
  switch_away();
  Tcb* peer = k.thread_at(t);
  ASSERT_EQ(ks.fpu_owner, peer);
  // The peer deletes its own TCB: the FPU is released before the root task is switched to, so
  // the root's registers are loaded (not taken for the dead owner's and left in place).
  k.call(peer, kCapInitThreadCNode, word_t(Label::CNodeDelete), {t, 64});
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(ks.fpu_owner, k.root());
  EXPECT_EQ(m.fpu.v[1][0], 0x11);
}

TEST_F(FpuTest, DeletingAnOwnerThatIsNotRunningReleasesTheFpu) {
  ASSERT_EQ(k.call(kCapInitThreadTCB, word_t(Label::TCBSetFlags), {0, 1}).label(), 0u);
  const word_t t = start_peer();
  switch_away();  // the peer runs and takes the FPU
  switch_away();  // the root task, FPU disabled, runs without taking it
  ASSERT_EQ(ks.cur_thread, k.root());
  ASSERT_EQ(ks.fpu_owner, k.thread_at(t));
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {t, 64}).label(), 0u);
  EXPECT_EQ(ks.fpu_owner, nullptr);  // never a dangling owner whose memory may be reused
}

}  // namespace
}  // namespace keel
