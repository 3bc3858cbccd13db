// Thread invocations (threads.md §1.7-1.9): the priorities and their checks, Suspend and Resume
// with the restart point they leave, notification binding; the labels a thread cap refuses;
// Page_GetAddress and Yield.
#include "test_support.h"

namespace keel::spec::test {
namespace {

const SlotRef kBufferSlot{kRootTcb, kTcbBuffer};
constexpr cptr_t kT = kFirstFree;  // a second thread's cap, where the tests put one

Reply set_priority(World& w, cptr_t target, word_t prio, cptr_t auth = kCapInitThreadTCB) {
  return w.call(target, Label::TCBSetPriority, {prio}, {auth});
}
Reply set_mcp(World& w, cptr_t target, word_t mcp, cptr_t auth = kCapInitThreadTCB) {
  return w.call(target, Label::TCBSetMCPriority, {mcp}, {auth});
}

TEST(TcbInvocation, LabelsOutsideTheTcbRangeAreIllegal) {
  World w;
  const State before = w.s;
  for (word_t label : {0u, 1u, 17u, 30u, 31u, 32u, 37u, 1000u}) {
    Reply r = w.call(kCapInitThreadTCB, static_cast<Label>(label), {0, 1, 2, 3}, {kCapInitThreadTCB});
    EXPECT_EQ(r.label, err(Error::IllegalOperation)) << label;
    EXPECT_EQ(r.length, 0u);
  }
  EXPECT_EQ(w.changed_since(before), "");
}

// seL4: SetPriority/SetMCPriority/SetSchedParams — length, authority cap, its type, then checkPrio.
TEST(TcbPriority, DecodeOrderAndErrorWords) {
  World w;
  w.new_thread(kT);
  const State before = w.s;
  EXPECT_EQ(w.call(kT, Label::TCBSetPriority, {}, {kCapInitThreadTCB}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(w.call(kT, Label::TCBSetPriority, {5}, {}).label, err(Error::TruncatedMessage));
  Reply r = set_priority(w, kT, 256, kCapInitThreadCNode);  // the cap's type before the value
  EXPECT_EQ(r.label, err(Error::InvalidCapability));
  EXPECT_EQ(r.words, (std::vector<word_t>{1}));
  r = set_priority(w, kT, 256);
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 255}));
  EXPECT_EQ(set_priority(w, kT, ~word_t{0}).words, (std::vector<word_t>{0, 255}));  // the whole word
  EXPECT_EQ(set_priority(w, kT, word_t{1} << 32).label, err(Error::RangeError));
  EXPECT_EQ(set_mcp(w, kT, 256).words, (std::vector<word_t>{0, 255}));
  EXPECT_EQ(w.call(kT, Label::TCBSetMCPriority, {5}, {kCapSMC}).words, (std::vector<word_t>{1}));
  EXPECT_EQ(w.call(kT, Label::TCBSetSchedParams, {5}, {kCapInitThreadTCB}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(w.call(kT, Label::TCBSetSchedParams, {5, 5}, {}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(w.call(kT, Label::TCBSetSchedParams, {256, 5}, {kCapInitThreadTCB}).words,
            (std::vector<word_t>{0, 255}));
  EXPECT_EQ(w.call(kT, Label::TCBSetSchedParams, {5, 256}, {kCapInitThreadTCB}).words,
            (std::vector<word_t>{0, 255}));
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(TcbPriority, OnlyTheAuthoritysMcpCounts) {
  World w;
  const paddr_t t = w.new_thread(kT);
  // The target's own MCP (0) is never consulted.
  ASSERT_EQ(set_priority(w, kT, 200).label, kOk);
  EXPECT_EQ(w.thread(t).priority, 200u);
  // With t as the authority its MCP 0 bounds the value, whoever calls.
  EXPECT_EQ(set_priority(w, kCapInitThreadTCB, 1, kT).words, (std::vector<word_t>{0, 0}));
  EXPECT_EQ(set_priority(w, kCapInitThreadTCB, 0, kT).label, kOk);
  ASSERT_EQ(set_priority(w, kCapInitThreadTCB, 255).label, kOk);
  // Nor the caller's: the root thread with MCP 100 can give 150 through t (MCP 200).
  ASSERT_EQ(set_mcp(w, kT, 200).label, kOk);
  ASSERT_EQ(set_mcp(w, kCapInitThreadTCB, 100).label, kOk);
  EXPECT_EQ(set_priority(w, kT, 150).words, (std::vector<word_t>{0, 100}));
  EXPECT_EQ(set_priority(w, kT, 150, kT).label, kOk);
  EXPECT_EQ(w.thread(t).priority, 150u);
}

// sel4test SCHED0005: priority = MCP is allowed; lowering one's own MCP cannot be undone.
TEST(TcbPriority, LoweringTheMcpIsIrreversible) {
  World w;
  ASSERT_EQ(set_mcp(w, kCapInitThreadTCB, 100).label, kOk);
  EXPECT_EQ(w.thread(kRootTcb).mcp, 100u);
  EXPECT_EQ(w.thread(kRootTcb).priority, 255u);  // not clamped
  EXPECT_EQ(set_mcp(w, kCapInitThreadTCB, 101).words, (std::vector<word_t>{0, 100}));
  EXPECT_EQ(set_mcp(w, kCapInitThreadTCB, 100).label, kOk);
  EXPECT_EQ(set_priority(w, kCapInitThreadTCB, 101).words, (std::vector<word_t>{0, 100}));
  EXPECT_EQ(set_priority(w, kCapInitThreadTCB, 100).label, kOk);
  EXPECT_EQ(w.thread(kRootTcb).priority, 100u);
}

TEST(TcbPriority, SetSchedParamsStoresTheMcpFirst) {
  World w;
  ASSERT_EQ(w.call(kCapInitThreadTCB, Label::TCBSetSchedParams, {10, 200}, {kCapInitThreadTCB}).label, kOk);
  EXPECT_EQ(w.thread(kRootTcb).mcp, 10u);
  EXPECT_EQ(w.thread(kRootTcb).priority, 200u);  // above the new MCP: allowed
  EXPECT_EQ(set_priority(w, kCapInitThreadTCB, 200).words, (std::vector<word_t>{0, 10}));
}

// sel4test SCHED0020: raising a ready thread above the caller switches before the caller runs on.
TEST(TcbPriority, RaisingAReadyThreadAboveTheCallerSwitchesAtOnce) {
  World w;
  ASSERT_EQ(set_priority(w, kCapInitThreadTCB, 100).label, kOk);
  const paddr_t t = w.runnable_thread(kT, 50);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.queue(50), std::vector<paddr_t>{t});
  SyscallResult r =
      w.syscall(Syscall::Call, kT, static_cast<word_t>(Label::TCBSetPriority), {150}, {kCapInitThreadTCB});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[1], 0u);  // the caller's reply is there when it runs again
  EXPECT_EQ(w.s.cur_thread, t);
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{kRootTcb});
  EXPECT_EQ(w.thread(t).state, ThreadState::Running);
  EXPECT_EQ(w.thread(t).next_ip, 0u);  // it starts at its FaultIP
}

// sel4test SCHED0005: lowering oneself below a ready thread switches at once.
TEST(TcbPriority, LoweringTheCallerBelowAReadyThreadSwitchesAtOnce) {
  World w;
  const paddr_t t = w.runnable_thread(kT, 100);
  ASSERT_EQ(set_priority(w, kCapInitThreadTCB, 150).label, kOk);  // still above: runs on
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  ASSERT_EQ(set_priority(w, kCapInitThreadTCB, 50).label, kOk);
  EXPECT_EQ(w.s.cur_thread, t);
  EXPECT_EQ(w.queue(50), std::vector<paddr_t>{kRootTcb});
}

TEST(TcbPriority, AThreadRaisedToTheCallersPriorityWaitsBehindIt) {
  World w;
  const paddr_t t = w.runnable_thread(kT, 10);
  ASSERT_EQ(set_priority(w, kT, 255).label, kOk);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.queue(255), std::vector<paddr_t>{t});
  EXPECT_TRUE(w.queue(10).empty());
  // An inactive thread just gets the number.
  const paddr_t u = w.new_thread(kT + 1);
  ASSERT_EQ(set_priority(w, kT + 1, 7).label, kOk);
  EXPECT_EQ(w.thread(u).priority, 7u);
  EXPECT_TRUE(w.queue(7).empty());
}

// sel4test SCHED0002.
TEST(TcbSuspendResume, ResumeOfTheRunningCallerIsANoOp) {
  World w;
  const State before = w.s;
  Reply r = w.call(kCapInitThreadTCB, Label::TCBResume, {});
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.length, 0u);
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(TcbSuspendResume, ResumeQueuesAtTheHeadBehindTheCurrentThread) {
  World w;
  const paddr_t t1 = w.configured_thread(kT, 255);
  const paddr_t t2 = w.configured_thread(kT + 1, 255);
  EXPECT_EQ(w.s.slot_at(SlotRef{t1, kTcbReply}), nullptr);  // none until the first restart
  ASSERT_EQ(w.call(kT, Label::TCBResume, {}).label, kOk);
  ASSERT_EQ(w.call(kT + 1, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.queue(255), (std::vector<paddr_t>{t2, t1}));  // ahead of waiting peers
  EXPECT_EQ(w.thread(t1).state, ThreadState::Restart);
  const Slot* reply = w.s.slot_at(SlotRef{t1, kTcbReply});
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(*reply, (Slot{Cap::reply(t1, true, true), true, true, std::nullopt}));
  // Resuming a thread that is already runnable changes nothing.
  const State before = w.s;
  ASSERT_EQ(w.call(kT, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.changed_since(before), "");
}

// sel4test SCHED0003: a higher-priority thread resumed runs before the caller goes on.
TEST(TcbSuspendResume, ResumeOfAHigherPriorityThreadPreempts) {
  World w;
  ASSERT_EQ(set_priority(w, kCapInitThreadTCB, 100).label, kOk);
  const paddr_t t = w.configured_thread(kT, 200);
  ASSERT_EQ(w.call(kT, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.s.cur_thread, t);
  EXPECT_EQ(w.thread(t).state, ThreadState::Running);
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{kRootTcb});
}

TEST(TcbSuspendResume, SuspendingARunningThreadMovesItsRestartPointPastItsSyscall) {
  World w;
  const paddr_t t = w.thread_between_syscalls(kT);
  EXPECT_EQ(w.thread(t).regs[kRegPc], 0u);
  EXPECT_EQ(w.thread(t).next_ip, 4u);
  ASSERT_EQ(w.call(kT, Label::TCBSuspend, {}).label, kOk);
  EXPECT_EQ(w.thread(t).state, ThreadState::Inactive);
  EXPECT_EQ(w.thread(t).regs[kRegPc], 4u);
  EXPECT_TRUE(w.queue(10).empty());
  // Suspended again (Inactive now): nothing moves. Resumed: it will start at 4.
  ASSERT_EQ(w.call(kT, Label::TCBSuspend, {7, 8}).label, kOk);  // no length check
  EXPECT_EQ(w.thread(t).regs[kRegPc], 4u);
  ASSERT_EQ(w.call(kT, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.thread(t).state, ThreadState::Restart);
  EXPECT_EQ(w.queue(10), std::vector<paddr_t>{t});
}

// threads.md §0.2.1-2: the caller that suspends itself gets no reply and, resumed, re-executes
// the svc it was stopped in.
TEST(TcbSuspendResume, SuspendingOneselfGivesNoReplyAndResumeReExecutesTheSvc) {
  World w;
  const paddr_t t = w.runnable_thread(kT, 10);
  const word_t svc = w.thread(kRootTcb).next_ip;
  SyscallResult r = w.syscall(Syscall::Call, kCapInitThreadTCB, static_cast<word_t>(Label::TCBSuspend), {});
  EXPECT_EQ(r.outcome, Outcome::Stopped);
  EXPECT_EQ(r.regs[0], kCapInitThreadTCB);  // nothing written back
  EXPECT_EQ(r.regs[1], (MessageInfo{static_cast<word_t>(Label::TCBSuspend), 0, 0, 0}.to_word()));
  EXPECT_EQ(w.thread(kRootTcb).state, ThreadState::Inactive);
  EXPECT_EQ(w.thread(kRootTcb).regs[kRegPc], svc);  // it was in Restart: FaultIP kept
  EXPECT_EQ(w.s.cur_thread, t);
  // t (sharing the root CSpace) resumes the root thread, which preempts it at once.
  ASSERT_EQ(w.call(kCapInitThreadTCB, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.thread(kRootTcb).next_ip, svc);  // the Suspend runs again
  EXPECT_EQ(w.queue(10), std::vector<paddr_t>{t});
}

TEST(TcbSuspendResume, TheLastThreadSuspendingItselfLeavesTheIdleThread) {
  World w;
  SyscallResult r = w.syscall(Syscall::Send, kCapInitThreadTCB, static_cast<word_t>(Label::TCBSuspend), {});
  EXPECT_EQ(r.outcome, Outcome::Stopped);
  EXPECT_FALSE(w.s.cur_thread.has_value());
}

TEST(TcbNotification, BindChecksInSeL4sOrder) {
  World w;
  const paddr_t t = w.new_thread(kT);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, kT + 1, 1).label, kOk);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, kT + 2, 1).label, kOk);
  ASSERT_EQ(w.mint(kT + 3, kT + 1, 0, 0x1).label, kOk);  // send only
  const paddr_t n = w.cap(kT + 1).ptr;
  const State before = w.s;
  auto bind = [&](cptr_t tcb, const std::vector<cptr_t>& extra) {
    return w.call(tcb, Label::TCBBindNotification, {}, extra).label;
  };
  EXPECT_EQ(bind(kT, {}), err(Error::TruncatedMessage));
  EXPECT_EQ(bind(kT, {kT + 2}), err(Error::IllegalOperation));  // an endpoint: not InvalidCapability
  EXPECT_EQ(bind(kT, {kT + 3}), err(Error::IllegalOperation));  // cannot receive
  EXPECT_EQ(w.call(kT, Label::TCBUnbindNotification, {}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(before), "");
  ASSERT_EQ(bind(kT, {kT + 1}), kOk);
  EXPECT_EQ(w.thread(t).bound_notification, n);
  EXPECT_EQ(w.s.objects.at(n).bound_tcb, t);
  EXPECT_EQ(bind(kT, {kT + 1}), err(Error::IllegalOperation));  // the thread is bound
  w.new_thread(kT + 4);
  EXPECT_EQ(bind(kT + 4, {kT + 1}), err(Error::IllegalOperation));  // the notification is bound
  ASSERT_EQ(w.call(kT, Label::TCBUnbindNotification, {}).label, kOk);
  EXPECT_FALSE(w.thread(t).bound_notification.has_value());
  EXPECT_FALSE(w.s.objects.at(n).bound_tcb.has_value());
}

TEST(TcbNotification, DeletingEitherSideUndoesTheBinding) {
  World w;
  const paddr_t t = w.new_thread(kT);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, kT + 1, 2).label, kOk);
  const paddr_t n2 = w.cap(kT + 2).ptr;
  ASSERT_EQ(w.call(kT, Label::TCBBindNotification, {}, {kT + 1}).label, kOk);
  ASSERT_EQ(w.del(kT + 1).label, kOk);  // the notification goes
  EXPECT_FALSE(w.thread(t).bound_notification.has_value());
  ASSERT_EQ(w.call(kT, Label::TCBBindNotification, {}, {kT + 2}).label, kOk);
  ASSERT_EQ(w.del(kT).label, kOk);  // the thread goes
  EXPECT_FALSE(w.s.objects.at(n2).bound_tcb.has_value());
}

TEST(FrameInvocation, GetAddressRepliesWithThePhysicalAddress) {
  World w;
  Reply r = w.call(kCapInitThreadIPCBuffer, Label::ARMPageGetAddress, {});
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.words, (std::vector<word_t>{kIpcFrame}));
  EXPECT_EQ(w.call(kCapBootInfoFrame, Label::ARMPageGetAddress, {7, 8}).words,
            (std::vector<word_t>{kBootInfoFrame}));
  ASSERT_EQ(w.retype(kCapDeviceUntyped, ObjectType::SmallPage, 0, kFirstFree, 1).label, kOk);
  EXPECT_EQ(w.call(kFirstFree, Label::ARMPageGetAddress, {}).words, (std::vector<word_t>{kDeviceUntyped}));
  // Without an IPC buffer the one word still travels in x2.
  w.s.slots.erase(kBufferSlot);
  EXPECT_EQ(w.call(kCapBootInfoFrame, Label::ARMPageGetAddress, {}).words,
            (std::vector<word_t>{kBootInfoFrame}));
  SyscallResult s = w.syscall(Syscall::Send, kCapBootInfoFrame, 46, {});
  EXPECT_EQ(s.regs[1], (MessageInfo{46, 0, 0, 0}.to_word()));
  EXPECT_EQ(s.regs[2], 0u);
}

// Labels of other cap types on a frame cap are IllegalOperation, as in seL4 (40..45: vspace_test.cc).
TEST(FrameInvocation, OtherCapsLabelsAreIllegal) {
  World w;
  const State before = w.s;
  for (word_t label : {0u, 1u, 9u, 37u, 47u, 1000u}) {
    Reply r =
        w.call(kCapInitThreadIPCBuffer, static_cast<Label>(label), {0, 0x1000, 3}, {kCapInitThreadVSpace});
    EXPECT_EQ(r.label, err(Error::IllegalOperation)) << label;
  }
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(Yield, TheOnlyRunnableThreadRunsOnWithItsRegistersUntouched) {
  World w;
  const State before = w.s;
  SyscallEvent e;
  e.regs = {1, 2, 3, 4, 5, 6, 7, static_cast<word_t>(-7)};
  e.ipc_buffer[3] = 99;
  Step st = step(w.s, e);
  EXPECT_EQ(st.result.outcome, Outcome::Returned);
  EXPECT_EQ(st.result.regs, e.regs);
  EXPECT_EQ(st.result.ipc_buffer, e.ipc_buffer);
  w.s = st.state;
  EXPECT_EQ(w.changed_since(before), "");
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(w.x(kRootTcb, i), e.regs[i]);
}

}  // namespace
}  // namespace keel::spec::test
