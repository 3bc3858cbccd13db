// Reply caps (ipc.md §3): Reply, ReplyRecv, SaveCaller and replies through a saved cap, Grant on
// replies, and the lifetime rules.
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr cptr_t kEp = 30, kEpRw = 31, kNtfn = 35, kA = 40, kB = 42, kSaved = 70, kRecvSlot = 71;

word_t tag(word_t label, word_t caps_unwrapped, word_t extra, word_t len) {
  return MessageInfo{label, caps_unwrapped, extra, len}.to_word();
}

// Server a (200) waits on the endpoint through `recv_cap`; client b (100) has Called it, so a
// runs holding b's reply cap. The root (255) set the receive slot of b's buffer first.
struct ReplyWorld : World {
  paddr_t ep = make(ObjectType::Endpoint, kEp);
  paddr_t a = 0, b = 0;
  explicit ReplyWorld(cptr_t recv_cap = kEp) {
    EXPECT_EQ(mint(kEpRw, kEp, 0, 0x3).label, kOk);  // Read/Write only
    make(ObjectType::Notification, kNtfn);
    a = ipc_thread(kA, 200);
    b = ipc_thread(kB, 100);
    syscall_as(a, Syscall::Recv, recv_cap);
    run_as(b);
    SyscallEvent e = event(Syscall::Call, kEp, 1, {10});
    e.ipc_buffer[kIpcBufferReceiveCNodeWord] = kCapInitThreadCNode;
    e.ipc_buffer[kIpcBufferReceiveCNodeWord + 1] = kRecvSlot;
    e.ipc_buffer[kIpcBufferReceiveCNodeWord + 2] = 64;
    EXPECT_EQ(raw(e).outcome, Outcome::Blocked);
    EXPECT_EQ(s.cur_thread, a);
  }
};

TEST(Reply, AReplyWakesTheCallerWithTheMessageAndDeletesTheCap) {
  ReplyWorld w;
  SyscallResult r = w.syscall(Syscall::Reply, 0, 7, {9, 8, 7, 6, 5});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[1], tag(7, 0, 0, 5));  // the replier's registers are not written
  EXPECT_EQ(w.s.slot_at({w.a, kTcbCaller}), nullptr);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Running);
  EXPECT_EQ(w.x(w.b, 0), 0u);
  EXPECT_EQ(w.x(w.b, 1), tag(7, 0, 0, 5));
  EXPECT_EQ((std::vector<word_t>{w.x(w.b, 2), w.x(w.b, 3), w.x(w.b, 4), w.x(w.b, 5)}),
            (std::vector<word_t>{9, 8, 7, 6}));
  EXPECT_EQ(w.buffer_of(w.b)[5], 5u);
  // The root thread (255, ready) outranks both: the replier (200) and the caller (100) queue.
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.queue(200), std::vector<paddr_t>{w.a});
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{w.b});
}

TEST(Reply, AReplyWithNothingPendingDoesNothing) {
  ReplyWorld w;
  ASSERT_EQ(w.syscall(Syscall::Reply, 0, 0, {}).outcome, Outcome::Returned);
  const State before = w.s;
  SyscallResult r = w.syscall(Syscall::Reply, 0, 3, {1});  // SYSCALL0003
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[1], tag(3, 0, 0, 1));
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(Reply, ReplyRecvRepliesThenWaitsAgain) {
  ReplyWorld w;
  SyscallResult r = w.syscall(Syscall::ReplyRecv, kEp, 0, {3});
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  EXPECT_EQ(w.x(w.b, 2), 3u);
  EXPECT_EQ(w.thread(w.a).state, ThreadState::BlockedOnReceive);
  EXPECT_EQ(w.object(w.ep).queue, std::vector<paddr_t>{w.a});
  EXPECT_EQ(w.queue(100), std::vector<paddr_t>{w.b});
}

TEST(Reply, ReplyRecvRepliesEvenWhenTheReceiveFaults) {
  ReplyWorld w;
  SyscallResult r = w.syscall(Syscall::ReplyRecv, kNtfn + 1, 0, {3});  // an empty slot
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Running);
  EXPECT_EQ(w.x(w.b, 2), 3u);
}

TEST(Reply, SaveCallerMovesTheCapAndASendThroughItReplies) {
  ReplyWorld w;  // IPCRIGHTS0004's shape
  ASSERT_EQ(w.call(kCapInitThreadCNode, Label::CNodeSaveCaller, {kSaved, 64}).label, kOk);
  EXPECT_EQ(w.s.slot_at({w.a, kTcbCaller}), nullptr);
  EXPECT_EQ(w.s.slot_at(root_slot(kSaved))->parent, (SlotRef{w.b, kTcbReply}));
  ASSERT_EQ(w.syscall(Syscall::Reply, 0, 0, {1}).outcome, Outcome::Returned);  // nothing to reply to
  EXPECT_EQ(w.thread(w.b).state, ThreadState::BlockedOnReply);
  SyscallEvent e = w.event(Syscall::Call, kSaved, 4, {5});
  e.regs[5] = 0x77;
  SyscallResult r = w.raw(e);
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[0], 0u);  // a Call through a reply cap gets x0 = 0, x1 = 0, x2.. as they were
  EXPECT_EQ(r.regs[1], 0u);
  EXPECT_EQ(r.regs[2], 5u);
  EXPECT_EQ(r.regs[5], 0x77u);
  EXPECT_EQ(w.x(w.b, 1), tag(4, 0, 0, 1));
  EXPECT_EQ(w.s.slot_at(root_slot(kSaved)), nullptr);
}

TEST(Reply, SaveCallerWithNoCallerOrOntoAFullSlot) {
  ReplyWorld w;  // CNODEOP0009
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeSaveCaller, {kNtfn, 64}).label, err(Error::DeleteFirst));
  ASSERT_EQ(w.syscall(Syscall::Reply, 0, 0, {}).outcome, Outcome::Returned);
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeSaveCaller, {kSaved, 64}).label, kOk);
  EXPECT_EQ(w.s.slot_at(root_slot(kSaved)), nullptr);
}

TEST(Reply, CancellingTheCallerDeletesItsReplyCapWhereverItIs) {
  ReplyWorld w;  // IPC0010, IPCRIGHTS0004
  ASSERT_EQ(w.call(kCapInitThreadCNode, Label::CNodeSaveCaller, {kSaved, 64}).label, kOk);
  EXPECT_EQ(w.call(kB, Label::TCBSuspend, {}).label, kOk);
  EXPECT_EQ(w.s.slot_at(root_slot(kSaved)), nullptr);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Inactive);
  // Resumed, it re-executes its Call (FaultIP is the svc).
  EXPECT_EQ(w.call(kB, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.thread(w.b).state, ThreadState::Restart);
}

TEST(Reply, DeletingTheReceiverLeavesTheCallerBlockedOnReply) {
  ReplyWorld w;
  w.run_as(kRootTcb);
  EXPECT_EQ(w.del(kA).label, kOk);
  EXPECT_FALSE(w.s.thread(w.a));
  EXPECT_EQ(w.thread(w.b).state, ThreadState::BlockedOnReply);
  EXPECT_EQ(w.s.cap_at({w.b, kTcbReply}), Cap::reply(w.b, true, true));
}

TEST(Reply, CapsTravelOnAReplyOnlyIfTheReceiversCapHadGrant) {
  ReplyWorld no_grant(kEpRw);  // IPCRIGHTS0005
  EXPECT_EQ(no_grant.s.cap_at({no_grant.a, kTcbCaller}), Cap::reply(no_grant.b, false, false));
  no_grant.syscall(Syscall::Reply, 0, 0, {}, {kNtfn});
  EXPECT_EQ(no_grant.x(no_grant.b, 1), tag(0, 0, 0, 0));
  EXPECT_EQ(no_grant.s.slot_at(root_slot(kRecvSlot)), nullptr);
  ReplyWorld grant;
  // Replies go through no endpoint: a cap to the endpoint is transferred, not unwrapped.
  grant.syscall(Syscall::Reply, 0, 0, {}, {kEp});
  EXPECT_EQ(grant.x(grant.b, 1), tag(0, 0, 1, 0));
  EXPECT_EQ(grant.cap(kRecvSlot), grant.cap(kEp));
}

}  // namespace
}  // namespace keel::spec::test
