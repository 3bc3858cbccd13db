// Notifications (ipc.md §4): signal and wait in every state, badges OR-ed, bound threads, the
// bound-notification check of an endpoint receive, cancelling and deletion.
#include "notification.h"

#include "interrupt.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr cptr_t kNtfn = 30, kSig1 = 31, kSig2 = 32, kEp = 33, kA = 40, kB = 42;

struct NtfnWorld : World {
  paddr_t n = make(ObjectType::Notification, kNtfn);
  paddr_t ep = make(ObjectType::Endpoint, kEp);
  paddr_t a = 0, b = 0;
  NtfnWorld() {
    EXPECT_EQ(mint(kSig1, kNtfn, 1).label, kOk);
    EXPECT_EQ(mint(kSig2, kNtfn, 2).label, kOk);
    a = ipc_thread(kA, 200);
    b = ipc_thread(kB, 100);
  }
};

TEST(Notification, SignalsAccumulateUntilAReceiveTakesThem) {
  NtfnWorld w;
  EXPECT_EQ(w.syscall(Syscall::Send, kSig1, 0, {}).outcome, Outcome::Returned);
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Active);
  EXPECT_EQ(w.object(w.n).ntfn_word, 1u);
  w.syscall(Syscall::NBSend, kSig2, 0, {});
  EXPECT_EQ(w.object(w.n).ntfn_word, 3u);
  SyscallResult r = w.syscall(Syscall::Recv, kNtfn, 0, {5, 6});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[0], 3u);
  EXPECT_EQ(r.regs[1], (MessageInfo{0, 0, 0, 2}.to_word()));  // x1..x5 untouched
  EXPECT_EQ(r.regs[2], 5u);
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Idle);
  EXPECT_EQ(w.object(w.n).ntfn_word, 0u);
}

TEST(Notification, BadgeZeroStillActivatesAndPollTellsNothingApart) {
  NtfnWorld w;  // BIND0003/4, NBWAIT0001
  EXPECT_EQ(w.syscall(Syscall::NBRecv, kNtfn, 0, {}).regs[0], 0u);
  w.syscall(Syscall::Send, kNtfn, 0, {});
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Active);
  EXPECT_EQ(w.syscall(Syscall::NBRecv, kNtfn, 0, {}).regs[0], 0u);
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Idle);
  w.syscall(Syscall::Send, kSig2, 0, {});
  EXPECT_EQ(w.syscall(Syscall::NBRecv, kNtfn, 0, {}).regs[0], 2u);
  EXPECT_EQ(w.syscall(Syscall::NBRecv, kNtfn, 0, {}).regs[0], 0u);
}

TEST(Notification, EachSignalWakesTheHeadWaiterWithItsOwnBadge) {
  NtfnWorld w;
  EXPECT_EQ(w.syscall_as(w.b, Syscall::Recv, kNtfn).outcome, Outcome::Blocked);
  w.syscall_as(w.a, Syscall::Recv, kNtfn);
  EXPECT_EQ(w.object(w.n).queue, (std::vector<paddr_t>{w.b, w.a}));
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Waiting);
  EXPECT_EQ(w.thread(w.b).blocked, IpcBlock{.object = w.n});
  w.run_as(kRootTcb);
  SyscallResult r = w.syscall(Syscall::Call, kSig2, 0, {7});
  EXPECT_EQ(r.regs[0], 0u);  // a Call on a notification: x0 = 0, x1 = 0, x2.. kept
  EXPECT_EQ(r.regs[1], 0u);
  EXPECT_EQ(r.regs[2], 7u);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Running);
  EXPECT_EQ(w.x(w.b, 0), 2u);
  EXPECT_EQ(w.object(w.n).queue, std::vector<paddr_t>{w.a});
  w.syscall(Syscall::Send, kSig1, 0, {});
  EXPECT_EQ(w.x(w.a, 0), 1u);
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Idle);
}

TEST(Notification, RightsAndBindingAreCheckedOnReceive) {
  NtfnWorld w;
  ASSERT_EQ(w.mint(50, kNtfn, 0, 0x2).label, kOk);                            // receive only
  ASSERT_EQ(w.mint(51, kNtfn, 0, 0x1).label, kOk);                            // send only
  EXPECT_EQ(w.syscall(Syscall::Send, 50, 0, {}).outcome, Outcome::Returned);  // dropped
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Idle);
  EXPECT_EQ(w.call(kB, Label::TCBBindNotification, {}, {kNtfn}).label, kOk);
  SyscallResult r = w.syscall(Syscall::NBRecv, 50, 0, {});  // bound to another thread
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  EXPECT_EQ(r.fault->lookup, LookupFault::missing_capability(0));
  World w2;
  w2.make(ObjectType::Notification, kNtfn);
  ASSERT_EQ(w2.mint(51, kNtfn, 0, 0x1).label, kOk);
  EXPECT_EQ(w2.syscall(Syscall::Recv, 51, 0, {}).outcome, Outcome::Faulted);
}

TEST(Notification, ASignalWakesItsBoundThreadFromAnEndpointReceive) {
  NtfnWorld w;  // BIND0001
  EXPECT_EQ(w.call(kA, Label::TCBBindNotification, {}, {kNtfn}).label, kOk);
  w.syscall_as(w.a, Syscall::Recv, kEp, 0, {1, 2});
  w.run_as(kRootTcb);
  w.syscall(Syscall::Send, kSig2, 0, {});
  EXPECT_EQ(w.thread(w.a).state, ThreadState::Running);
  EXPECT_EQ(w.x(w.a, 0), 2u);
  EXPECT_EQ(w.x(w.a, 1), (MessageInfo{0, 0, 0, 2}.to_word()));
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Idle);
  EXPECT_TRUE(w.object(w.ep).queue.empty());
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Idle);
}

TEST(Notification, ABoundThreadTakesAPendingSignalBeforeQueuedSenders) {
  NtfnWorld w;  // NBWAIT0001
  EXPECT_EQ(w.call(kA, Label::TCBBindNotification, {}, {kNtfn}).label, kOk);
  w.syscall_as(w.b, Syscall::Send, kEp, 0, {9});
  w.run_as(kRootTcb);
  w.syscall(Syscall::Send, kSig2, 0, {});  // a runs (queued): the notification goes Active
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Active);
  SyscallResult r = w.syscall_as(w.a, Syscall::NBRecv, kEp);
  EXPECT_EQ(r.regs[0], 2u);
  EXPECT_EQ(w.object(w.ep).queue, std::vector<paddr_t>{w.b});
  r = w.syscall(Syscall::NBRecv, kEp, 0, {});
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[2], 9u);
  EXPECT_TRUE(w.object(w.ep).queue.empty());
  // A bound thread may wait on its own notification (BIND0002); another thread may not.
  EXPECT_EQ(w.s.cur_thread, kRootTcb);  // b, woken, went behind the root thread
  EXPECT_EQ(w.syscall(Syscall::NBRecv, kNtfn, 0, {}).outcome, Outcome::Faulted);
  EXPECT_EQ(w.syscall_as(w.a, Syscall::Recv, kNtfn).outcome, Outcome::Blocked);
}

TEST(Notification, SuspendingAWaiterAndBindingAWaitedNotification) {
  NtfnWorld w;
  w.syscall_as(w.b, Syscall::Recv, kNtfn);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kA, Label::TCBBindNotification, {}, {kNtfn}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.call(kB, Label::TCBSuspend, {}).label, kOk);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Inactive);
  EXPECT_EQ(w.object(w.n).ntfn_state, NotificationState::Idle);
  EXPECT_EQ(w.call(kA, Label::TCBBindNotification, {}, {kNtfn}).label, kOk);
}

TEST(Notification, DeletingTheLastCapUnbindsAndRestartsTheWaiters) {
  NtfnWorld w;
  EXPECT_EQ(w.call(kB, Label::TCBBindNotification, {}, {kNtfn}).label, kOk);
  w.syscall_as(w.b, Syscall::Recv, kNtfn);
  w.run_as(kRootTcb);
  for (cptr_t c : {kSig1, kSig2}) EXPECT_EQ(w.del(c).label, kOk);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::BlockedOnNotification);
  EXPECT_EQ(w.del(kNtfn).label, kOk);
  EXPECT_FALSE(w.s.objects.count(w.n));
  EXPECT_FALSE(w.thread(w.b).bound_notification.has_value());
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Restart);
  EXPECT_EQ(w.thread(w.b).blocked, IpcBlock{});
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{w.b});
}

TEST(Notification, AnInterruptSignalsItsNotification) {
  NtfnWorld w;
  ASSERT_EQ(w.call(kCapIRQControl, Label::IRQIssueIRQHandler, {33, 60, 64}, {kCapInitThreadCNode}).label,
            kOk);
  ASSERT_EQ(w.call(60, Label::IRQSetIRQHandler, {}, {kSig2}).label, kOk);
  w.syscall_as(w.a, Syscall::Recv, kNtfn);
  w.run_as(kRootTcb);
  Step st = interrupt(w.s, 33);
  EXPECT_EQ(st.state.thread(w.a)->state, ThreadState::Running);
  EXPECT_EQ(reg_x(*st.state.thread(w.a), 0), 2u);
  EXPECT_TRUE(check_invariants(st.state).empty());
}

}  // namespace
}  // namespace keel::spec::test
