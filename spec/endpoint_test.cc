// Endpoints (ipc.md §1, §2): send and receive in both orders, FIFO queues, message lengths and
// buffers, NBSend and NBRecv, rights, Call and its reply cap, cancelling, endpoint deletion and
// CancelBadgedSends.
#include "endpoint.h"

#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr cptr_t kEp = 30, kEpBadged = 31, kA = 40, kB = 42, kC = 44;

word_t tag(word_t label, word_t caps_unwrapped, word_t extra, word_t len) {
  return MessageInfo{label, caps_unwrapped, extra, len}.to_word();
}

// The root thread (prio 255) with an endpoint (slot 30) and its minted copy with badge 0x55
// (slot 31), and two threads with buffers of their own at prio 200 and 100 (Restart, queued).
struct EpWorld : World {
  paddr_t ep = make(ObjectType::Endpoint, kEp);
  paddr_t a = 0, b = 0;
  EpWorld() {
    EXPECT_EQ(mint(kEpBadged, kEp, 0x55).label, kOk);
    a = ipc_thread(kA, 200);
    b = ipc_thread(kB, 100);
  }
};

TEST(Endpoint, ASendBlocksUntilAReceiverTakesIt) {
  EpWorld w;
  SyscallResult r = w.syscall(Syscall::Send, kEpBadged, 9, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  EXPECT_EQ(w.thread(kRootTcb).state, ThreadState::BlockedOnSend);
  EXPECT_EQ(w.thread(kRootTcb).blocked, (IpcBlock{w.ep, 0x55, true, true, false}));
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Send);
  EXPECT_EQ(w.object(w.ep).queue, std::vector<paddr_t>{kRootTcb});
  EXPECT_EQ(w.s.cur_thread, w.a);  // the next thread by priority
  SyscallEvent e = w.event(Syscall::Recv, kEp, 0, {});
  e.regs[6] = 0x66;
  r = w.raw(e);
  // The sender (255) runs again at once; the receiver got badge, tag, registers and buffer words.
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.thread(kRootTcb).state, ThreadState::Running);
  EXPECT_EQ(w.thread(kRootTcb).blocked, IpcBlock{});
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Idle);
  EXPECT_TRUE(w.object(w.ep).queue.empty());
  EXPECT_EQ(r.regs[0], 0x55u);
  EXPECT_EQ(r.regs[1], tag(9, 0, 0, 6));
  EXPECT_EQ((std::vector<word_t>{r.regs[2], r.regs[3], r.regs[4], r.regs[5]}),
            (std::vector<word_t>{1, 2, 3, 4}));
  EXPECT_EQ(r.regs[6], 0x66u);  // untouched
  EXPECT_EQ(r.ipc_buffer[5], 5u);
  EXPECT_EQ(r.ipc_buffer[6], 6u);
  EXPECT_EQ(w.buffer_of(w.a)[6], 6u);
  EXPECT_EQ(w.queue(200), std::vector<paddr_t>{w.a});
}

TEST(Endpoint, AReceiverWaitsAndASendWakesItWithoutWritingTheSender) {
  EpWorld w;
  w.run_as(w.a);
  SyscallResult r = w.syscall(Syscall::Recv, kEp, 0, {});
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  EXPECT_EQ(w.thread(w.a).state, ThreadState::BlockedOnReceive);
  EXPECT_EQ(w.thread(w.a).blocked, (IpcBlock{.object = w.ep, .can_grant = true}));
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Recv);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  r = w.syscall(Syscall::Send, kEp, 3, {7, 8});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[0], word_t{kEp});  // a Send writes nothing back
  EXPECT_EQ(r.regs[1], tag(3, 0, 0, 2));
  EXPECT_EQ(w.thread(w.a).state, ThreadState::Running);
  EXPECT_EQ(w.x(w.a, 0), 0u);  // unbadged
  EXPECT_EQ(w.x(w.a, 1), tag(3, 0, 0, 2));
  EXPECT_EQ(w.x(w.a, 2), 7u);
  EXPECT_EQ(w.x(w.a, 3), 8u);
  EXPECT_EQ(w.x(w.a, 4), 0u);                          // beyond the length: the receiver's own (stale) value
  EXPECT_EQ(w.queue(200), std::vector<paddr_t>{w.a});  // below the sender: queued, not switched to
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
}

TEST(Endpoint, QueuesAreFifoWhateverThePriorities) {
  EpWorld w;
  w.syscall_as(w.b, Syscall::Recv, kEp);  // prio 100 first
  w.syscall_as(w.a, Syscall::Recv, kEp);  // prio 200 second
  EXPECT_EQ(w.object(w.ep).queue, (std::vector<paddr_t>{w.b, w.a}));
  w.run_as(kRootTcb);
  w.syscall(Syscall::Send, kEpBadged, 0, {1});
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Running);
  EXPECT_EQ(w.x(w.b, 2), 1u);
  EXPECT_EQ(w.object(w.ep).queue, std::vector<paddr_t>{w.a});
  w.syscall(Syscall::Send, kEpBadged, 0, {2});
  EXPECT_EQ(w.x(w.a, 2), 2u);
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Idle);
}

TEST(Endpoint, BufferWordsMoveOnlyWhenBothBuffersExist) {
  EpWorld w;
  const paddr_t c = w.configured_thread(kC, 50);  // shares the root's buffer frame
  EXPECT_EQ(w.call(kC, Label::TCBResume, {}).label, kOk);
  w.syscall_as(w.a, Syscall::Recv, kEp);
  // A read-only receive buffer counts as none: 4 words arrive.
  EXPECT_EQ(w.call(kC, Label::TCBSetIPCBuffer, {kRootIpcBuffer}, {kCapBootInfoFrame}).label, kOk);
  EXPECT_EQ(w.mint(50, kCapBootInfoFrame, 0, 0x2).label, kOk);  // read-only copy
  EXPECT_EQ(w.call(kC, Label::TCBSetIPCBuffer, {kRootIpcBuffer}, {50}).label, kOk);
  w.syscall_as(c, Syscall::Recv, kEp);  // queued behind a
  EXPECT_EQ(w.object(w.ep).queue, (std::vector<paddr_t>{w.a, c}));
  w.run_as(kRootTcb);
  SyscallResult r = w.syscall(Syscall::Send, kEp, 0, {1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(w.x(w.a, 1), tag(0, 0, 0, 7));
  EXPECT_EQ(w.buffer_of(w.a)[7], 7u);
  r = w.syscall(Syscall::Send, kEp, 0, {1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(w.x(c, 1), tag(0, 0, 0, 4));
  EXPECT_EQ(w.x(c, 5), 4u);
  EXPECT_EQ(w.buffer_of(c)[5], 0u);  // nothing written into the read-only buffer
}

TEST(Endpoint, ASenderWithoutABufferSendsAtMostFourWords) {
  EpWorld w;
  w.syscall_as(w.a, Syscall::Recv, kEp);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kCapInitThreadTCB, Label::TCBSetIPCBuffer, {0}, {kCapInitThreadIPCBuffer}).label, kOk);
  SyscallResult r = w.syscall(Syscall::Send, kEp, 0, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(w.x(w.a, 1), tag(0, 0, 0, 4));
  EXPECT_EQ(w.buffer_of(w.a)[5], 0u);
}

TEST(Endpoint, NBSendIsLostWithoutAReceiverAndPreemptsWithOne) {
  EpWorld w;
  w.run_as(w.b);
  SyscallResult r = w.syscall(Syscall::NBSend, kEp, 0, {1});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Idle);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Running);
  w.syscall_as(w.a, Syscall::Recv, kEp);  // prio 200 waits; b (100) runs
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  w.run_as(w.b);
  r = w.syscall(Syscall::NBSend, kEp, 0, {2});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(w.s.cur_thread, w.a);  // IPC0004: the higher-priority receiver runs at once
  EXPECT_EQ(w.x(w.a, 2), 2u);
}

TEST(Endpoint, NBRecvOnAnEmptyEndpointWritesOnlyX0) {
  EpWorld w;
  SyscallEvent e = w.event(Syscall::NBRecv, kEp, 5, {1, 2});
  SyscallResult r = w.raw(e);
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[1], tag(5, 0, 0, 2));
  EXPECT_EQ(r.regs[2], 1u);
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Idle);
}

TEST(Endpoint, RightsAreCheckedAsSeL4Does) {
  EpWorld w;
  ASSERT_EQ(w.mint(50, kEp, 0, 0x2).label, kOk);  // Read only
  ASSERT_EQ(w.mint(51, kEp, 0, 0x1).label, kOk);  // Write only
  w.syscall_as(w.a, Syscall::Recv, kEp);
  w.run_as(kRootTcb);
  // IPCRIGHTS0001: no Write — Send and NBSend drop it, Call gets InvalidCapability(0).
  EXPECT_EQ(w.syscall(Syscall::Send, 50, 0, {1}).outcome, Outcome::Returned);
  EXPECT_EQ(w.syscall(Syscall::NBSend, 50, 0, {1}).outcome, Outcome::Returned);
  EXPECT_EQ(w.thread(w.a).state, ThreadState::BlockedOnReceive);
  const Reply rep = w.call(50, Label::InvalidInvocation, {1});
  EXPECT_EQ(rep.label, err(Error::InvalidCapability));
  EXPECT_EQ(rep.words, std::vector<word_t>{0});
  // No Read: Recv is a cap fault in the receive phase (no handler: the thread stops).
  SyscallResult r = w.syscall(Syscall::Recv, 51, 0, {});
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  EXPECT_EQ(r.fault, (Fault{.kind = Fault::Kind::CapFault,
                            .address = 51,
                            .in_receive_phase = true,
                            .lookup = LookupFault::missing_capability(0)}));
}

TEST(Endpoint, RecvOnAnythingElseOrNothingIsACapFault) {
  for (cptr_t c : {cptr_t{kCapInitThreadTCB}, cptr_t{60}}) {  // a TCB cap, an empty slot
    World w;
    SyscallResult r = w.syscall(Syscall::NBRecv, c, 0, {});
    EXPECT_EQ(r.outcome, Outcome::Faulted);
    EXPECT_EQ(r.fault->lookup, LookupFault::missing_capability(0));
    EXPECT_TRUE(r.fault->in_receive_phase);
  }
  World w;
  SyscallResult r = w.syscall(Syscall::Recv, word_t{1} << 63, 0, {});
  EXPECT_EQ(r.fault->lookup, LookupFault::guard_mismatch(64, 0, 52));
  EXPECT_TRUE(r.fault->in_receive_phase);
}

TEST(Endpoint, ACallToAWaitingReceiverLeavesAReplyCap) {
  EpWorld w;
  ASSERT_EQ(w.mint(50, kEp, 0, 0x3).label, kOk);  // Read/Write, no Grant: the reply cap's grant
  w.syscall_as(w.a, Syscall::Recv, 50);
  w.run_as(kRootTcb);
  SyscallResult r = w.syscall(Syscall::Call, kEpBadged, 4, {11});
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  EXPECT_EQ(w.thread(kRootTcb).state, ThreadState::BlockedOnReply);
  EXPECT_EQ(w.s.cur_thread, w.a);
  const Slot* reply = w.s.slot_at({w.a, kTcbCaller});
  ASSERT_NE(reply, nullptr);
  EXPECT_EQ(reply->cap, Cap::reply(kRootTcb, false, false));
  EXPECT_EQ(reply->parent, (SlotRef{kRootTcb, kTcbReply}));
  EXPECT_FALSE(reply->revocable);
  EXPECT_EQ(w.x(w.a, 0), 0x55u);
  EXPECT_EQ(w.x(w.a, 1), tag(4, 0, 0, 1));
}

TEST(Endpoint, ACallWithoutGrantRightsLeavesTheCallerInactive) {
  EpWorld w;
  ASSERT_EQ(w.mint(50, kEp, 0, 0x3).label, kOk);
  w.syscall_as(w.a, Syscall::Recv, kEp);
  w.run_as(w.b);
  SyscallResult r = w.syscall(Syscall::Call, 50, 0, {1});
  EXPECT_EQ(r.outcome, Outcome::Stopped);  // IPCRIGHTS0004: delivered, but no reply cap
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Inactive);
  EXPECT_EQ(w.x(w.a, 2), 1u);
  EXPECT_EQ(w.s.slot_at({w.a, kTcbCaller}), nullptr);
  // Resumed, it re-executes the Call: now no receiver waits, so it queues.
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kB, Label::TCBResume, {}).label, kOk);
  w.run_as(w.b);
  EXPECT_EQ(w.thread(w.b).next_ip, w.thread(w.b).regs[kRegPc]);
  EXPECT_EQ(w.syscall(Syscall::Call, 50, 0, {1}).outcome, Outcome::Blocked);
  EXPECT_EQ(w.thread(w.b).blocked, (IpcBlock{w.ep, 0, false, false, true}));
}

TEST(Endpoint, AQueuedCallerGetsItsReplyCapFromTheReceiversCap) {
  EpWorld w;
  ASSERT_EQ(w.mint(50, kEp, 0, 0x9).label, kOk);  // Write + GrantReply
  w.run_as(w.b);
  EXPECT_EQ(w.syscall(Syscall::Call, 50, 0, {1}).outcome, Outcome::Blocked);
  EXPECT_EQ(w.thread(w.b).blocked, (IpcBlock{w.ep, 0, false, true, true}));
  SyscallResult r = w.syscall_as(w.a, Syscall::Recv, kEp);  // all rights: Grant
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::BlockedOnReply);
  EXPECT_EQ(w.s.cap_at({w.a, kTcbCaller}), Cap::reply(w.b, false, true));
  EXPECT_EQ(w.s.cur_thread, w.a);  // the caller does not run
}

TEST(Endpoint, AnEndpointRecvDeletesTheOldCallerCapAndANotificationRecvDoesNot) {
  EpWorld w;
  const paddr_t n = w.make(ObjectType::Notification, 50);
  w.run_as(w.b);
  w.syscall(Syscall::Call, kEp, 0, {});
  w.syscall_as(w.a, Syscall::Recv, kEp);  // a holds b's reply cap
  ASSERT_EQ(w.s.cap_at({w.a, kTcbCaller}).type, CapType::Reply);
  EXPECT_EQ(w.syscall(Syscall::NBRecv, 50, 0, {}).outcome, Outcome::Returned);
  EXPECT_EQ(w.s.cap_at({w.a, kTcbCaller}).type, CapType::Reply);
  EXPECT_EQ(w.object(n).ntfn_state, NotificationState::Idle);
  EXPECT_EQ(w.syscall(Syscall::NBRecv, kEp, 0, {}).outcome, Outcome::Returned);
  EXPECT_EQ(w.s.slot_at({w.a, kTcbCaller}), nullptr);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::BlockedOnReply);  // for ever (until cancelled)
}

TEST(Endpoint, AReceiverReleasingAHigherPrioritySenderIsPreempted) {
  EpWorld w;
  w.syscall_as(w.a, Syscall::Send, kEp, 0, {1});  // 200 queues
  SyscallResult r = w.syscall_as(w.b, Syscall::Recv, kEp);
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(w.x(w.b, 2), 1u);
  EXPECT_EQ(w.s.cur_thread, w.a);  // SCHED0006: the sender runs at once
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{w.b});
}

TEST(Endpoint, SuspendAndResumeTakeABlockedThreadOutOfItsQueue) {
  EpWorld w;
  w.syscall_as(w.a, Syscall::Recv, kEp);
  w.syscall_as(w.b, Syscall::Recv, kEp);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kA, Label::TCBSuspend, {}).label, kOk);
  EXPECT_EQ(w.thread(w.a).state, ThreadState::Inactive);
  EXPECT_EQ(w.thread(w.a).blocked, IpcBlock{});
  EXPECT_EQ(w.object(w.ep).queue, std::vector<paddr_t>{w.b});
  EXPECT_EQ(w.call(kB, Label::TCBResume, {}).label, kOk);  // Resume cancels too, then restarts
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Restart);
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{w.b});
  EXPECT_EQ(w.object(w.ep).ep_state, EndpointState::Idle);
  EXPECT_TRUE(w.object(w.ep).queue.empty());
}

TEST(Endpoint, DeletingTheLastCapRestartsEveryQueuedThreadAtTheHeadOfItsQueue) {
  World w;
  w.make(ObjectType::Endpoint, kEp);
  const paddr_t a = w.ipc_thread(kA, 100), b = w.ipc_thread(kB, 100), c = w.ipc_thread(kC, 100);
  for (paddr_t t : {a, b, c}) w.syscall_as(t, Syscall::Send, kEp, 0, {1});
  w.run_as(kRootTcb);
  EXPECT_EQ(w.del(kEp).label, kOk);
  for (paddr_t t : {a, b, c}) {
    EXPECT_EQ(w.thread(t).state, ThreadState::Restart);
    EXPECT_EQ(w.thread(t).blocked, IpcBlock{});
  }
  EXPECT_EQ(w.queue(100), (std::vector<paddr_t>{c, b, a}));  // each enqueued at the head
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
}

TEST(Endpoint, CancelBadgedSendsRestartsOnlyThatBadgesSenders) {
  World w;
  const paddr_t ep = w.make(ObjectType::Endpoint, kEp);
  ASSERT_EQ(w.mint(31, kEp, 1).label, kOk);
  ASSERT_EQ(w.mint(32, kEp, 2).label, kOk);
  const paddr_t a = w.ipc_thread(kA, 100), b = w.ipc_thread(kB, 100), c = w.ipc_thread(kC, 100);
  w.syscall_as(a, Syscall::Call, 31, 0, {});
  w.syscall_as(b, Syscall::Send, 32, 0, {});
  w.syscall_as(c, Syscall::Send, 31, 0, {});
  w.run_as(kRootTcb);
  // CNODEOP0006: an empty slot or fewer than all rights is IllegalOperation; unbadged: no-op.
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {60, 64}).label,
            err(Error::IllegalOperation));
  ASSERT_EQ(w.copy(33, 31, 0x7).label, kOk);
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {33, 64}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {kEp, 64}).label, kOk);
  EXPECT_EQ(w.object(ep).queue, (std::vector<paddr_t>{a, b, c}));
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {31, 64}).label, kOk);
  EXPECT_EQ(w.object(ep).queue, std::vector<paddr_t>{b});
  EXPECT_EQ(w.object(ep).ep_state, EndpointState::Send);
  EXPECT_EQ(w.thread(a).state, ThreadState::Restart);
  EXPECT_EQ(w.thread(c).state, ThreadState::Restart);
  EXPECT_EQ(w.queue(100), (std::vector<paddr_t>{c, a}));
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {32, 64}).label, kOk);
  EXPECT_EQ(w.object(ep).ep_state, EndpointState::Idle);
}

TEST(Endpoint, CancelBadgedSendsLeavesReceiversAlone) {
  World w;
  const paddr_t ep = w.make(ObjectType::Endpoint, kEp);
  ASSERT_EQ(w.mint(31, kEp, 1).label, kOk);
  const paddr_t a = w.ipc_thread(kA, 100);
  w.syscall_as(a, Syscall::Recv, 31, 0, {});
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {31, 64}).label, kOk);
  EXPECT_EQ(w.object(ep).queue, std::vector<paddr_t>{a});
  EXPECT_EQ(w.thread(a).state, ThreadState::BlockedOnReceive);
}

}  // namespace
}  // namespace keel::spec::test
