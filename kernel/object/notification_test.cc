// Notifications through the syscall path on the host: signals OR-ed into the word, waits and
// polls, waking waiters, bound notifications and an endpoint Recv, finalisation
// (docs/sel4-facts/ipc.md §4).
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/core/kernel_state.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/notification.h"

namespace keel {
namespace {

constexpr sword_t sys(Syscall s) { return static_cast<sword_t>(s); }

class NotificationTest : public ::testing::Test {
 protected:
  host::HostKernel k;
  word_t ntfn = k.retype(ObjectType::Notification);
  word_t ep = k.retype(ObjectType::Endpoint);
  word_t t_slot = k.new_thread(100);
  Tcb* t = nullptr;

  void SetUp() override {
    k.start_thread(t_slot, 0x400000);
    t = k.thread_at(t_slot);
  }
  word_t mint(word_t src, word_t badge) {
    const word_t dest = k.retype(ObjectType::Endpoint);
    EXPECT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {dest, 64}).label(), 0u);
    EXPECT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeMint), {dest, 64, src, 64, 0xf, badge},
                     {kCapInitThreadCNode})
                  .label(),
              0u);
    return dest;
  }
  void signal(Tcb* by, word_t cap) { k.syscall(by, sys(Syscall::Send), {cap, 0}); }
  Notification* object() { return notification_at(NotificationCap{k.root_cap(ntfn)}.ptr()); }
};

TEST_F(NotificationTest, SignalsBeforeAWaitAreOredIntoTheWord) {
  signal(k.root(), mint(ntfn, 0x1));
  signal(k.root(), mint(ntfn, 0x4));
  EXPECT_EQ(object()->state(), NotificationState::Active);
  const host::SyscallResult r = k.syscall(sys(Syscall::Recv), {ntfn, 0x77});
  EXPECT_EQ(r.x[0], 0x5u);
  EXPECT_EQ(r.x[1], 0x77u);  // only the badge register is written
  EXPECT_EQ(object()->state(), NotificationState::Idle);
}

TEST_F(NotificationTest, PollIsZeroWhenIdleAndBadgeZeroStillActivates) {
  EXPECT_EQ(k.syscall(sys(Syscall::NBRecv), {ntfn}).x[0], 0u);
  signal(k.root(), ntfn);  // unbadged
  EXPECT_EQ(object()->state(), NotificationState::Active);
  EXPECT_EQ(k.syscall(sys(Syscall::NBRecv), {ntfn}).x[0], 0u);
  EXPECT_EQ(object()->state(), NotificationState::Idle);
}

TEST_F(NotificationTest, AWaiterIsWokenWithTheSignalsBadgeAndPreempts) {
  const word_t badged = mint(ntfn, 0x30);
  k.syscall(sys(Syscall::Recv), {ntfn});  // the root waits
  ASSERT_EQ(ks.cur_thread, t);
  EXPECT_EQ(object()->state(), NotificationState::Waiting);
  signal(t, badged);
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(k.root()->context.regs[X0], 0x30u);
  EXPECT_EQ(object()->state(), NotificationState::Idle);
}

TEST_F(NotificationTest, CallOnANotificationAnswersZeroes) {
  const host::SyscallResult r = k.syscall(sys(Syscall::Call), {ntfn, 0, 9, 9});
  EXPECT_EQ(r.x[0], 0u);
  EXPECT_EQ(r.x[1], 0u);
  EXPECT_EQ(r.x[2], 9u);
}

TEST_F(NotificationTest, ASignalWakesTheBoundThreadFromItsEndpointRecv) {
  ASSERT_EQ(k.call(kCapInitThreadTCB, word_t(Label::TCBBindNotification), {}, {ntfn}).label(), 0u);
  const word_t badged = mint(ntfn, 0x8);
  k.syscall(sys(Syscall::Recv), {ep, 0x11});
  ASSERT_EQ(ks.cur_thread, t);
  signal(t, badged);
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(k.root()->context.regs[X0], 0x8u);
  EXPECT_EQ(k.root()->context.regs[X1], 0x11u);  // x1 is left as it was at the svc
  EXPECT_EQ(endpoint_at(EndpointCap{k.root_cap(ep)}.ptr())->state(), EndpointState::Idle);
  EXPECT_EQ(object()->state(), NotificationState::Idle);
}

TEST_F(NotificationTest, APendingSignalComesBeforeTheEndpoint) {
  ASSERT_EQ(k.call(kCapInitThreadTCB, word_t(Label::TCBBindNotification), {}, {ntfn}).label(), 0u);
  signal(k.root(), mint(ntfn, 0x2));
  const host::SyscallResult r = k.syscall(sys(Syscall::NBRecv), {ep});
  EXPECT_EQ(r.x[0], 0x2u);
  EXPECT_EQ(object()->state(), NotificationState::Idle);
}

TEST_F(NotificationTest, OnlyTheBoundThreadMayWaitOnABoundNotification) {
  ASSERT_EQ(k.call(t_slot, word_t(Label::TCBBindNotification), {}, {ntfn}).label(), 0u);
  k.syscall(sys(Syscall::Recv), {ntfn});
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);  // a cap fault, and no handler
}

TEST_F(NotificationTest, DeletingTheNotificationRestartsItsWaiters) {
  k.syscall(sys(Syscall::Recv), {ntfn});
  ASSERT_EQ(ks.cur_thread, t);
  k.call(t, kCapInitThreadCNode, word_t(Label::CNodeDelete), {ntfn, 64});
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(k.root()->context.regs[NextIP], k.root()->context.regs[FaultIP]);  // re-runs its Recv
}

TEST_F(NotificationTest, SuspendingAWaiterTakesItOffTheQueue) {
  k.syscall(sys(Syscall::Recv), {ntfn});
  k.call(t, kCapInitThreadTCB, word_t(Label::TCBSuspend), {});
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
  EXPECT_EQ(object()->state(), NotificationState::Idle);
  EXPECT_EQ(object()->queue_head, nullptr);
}

}  // namespace
}  // namespace keel
