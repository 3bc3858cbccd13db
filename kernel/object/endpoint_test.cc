// Endpoint IPC through the syscall path on the host: sends and receives in both orders, Call
// and Reply with reply caps, NBSend and NBRecv, cap transfer and unwrapping, cancelling queued
// threads (docs/sel4-facts/ipc.md §1–§3).
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/core/kernel_state.h"
#include "kernel/object/endpoint.h"

namespace keel {
namespace {

constexpr sword_t sys(Syscall s) { return static_cast<sword_t>(s); }
constexpr word_t info(word_t label, word_t length, word_t extra_caps = 0) {
  return MessageInfo{label, 0, extra_caps, length}.to_word();
}

// The root task (priority 255) and a second thread at priority 100 in the same CSpace.
class EndpointTest : public ::testing::Test {
 protected:
  host::HostKernel k;
  word_t ep = k.retype(ObjectType::Endpoint);
  word_t t_slot = k.new_thread(100);
  Tcb* t = nullptr;

  void SetUp() override {
    k.start_thread(t_slot, 0x400000);
    t = k.thread_at(t_slot);
  }
  // A copy of `src` in a fresh slot with these rights (bit 0 Write, 1 Read, 2 Grant,
  // 3 GrantReply) and badge.
  word_t mint(word_t src, word_t rights, word_t badge) {
    const word_t dest = k.retype(ObjectType::Endpoint);  // a fresh slot: delete what it holds
    EXPECT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {dest, 64}).label(), 0u);
    EXPECT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeMint), {dest, 64, src, 64, rights, badge},
                     {kCapInitThreadCNode})
                  .label(),
              0u);
    return dest;
  }
  host::SyscallResult root_recv(word_t cap) { return k.syscall(sys(Syscall::Recv), {cap}); }
  Endpoint* endpoint() { return endpoint_at(EndpointCap{k.root_cap(ep)}.ptr()); }
};

TEST_F(EndpointTest, ASendToAWaitingReceiverDeliversBadgeLabelAndWords) {
  const word_t badged = mint(ep, 0xf, 0x55);
  root_recv(ep);  // the root waits; the other thread runs
  ASSERT_EQ(ks.cur_thread, t);
  EXPECT_EQ(k.root()->state, ThreadState::BlockedOnReceive);
  t->context.regs[X6] = 0x66;  // x6 is no message register: never copied
  k.syscall(t, sys(Syscall::Send), {badged, info(9, 3), 11, 22, 33, 44});
  // The receiver preempts the lower-priority sender.
  ASSERT_EQ(ks.cur_thread, k.root());
  const word_t* r = k.root()->context.regs;
  EXPECT_EQ(r[X0], 0x55u);
  EXPECT_EQ(r[X1], info(9, 3));
  EXPECT_EQ(r[X2], 11u);
  EXPECT_EQ(r[X4], 33u);
  EXPECT_NE(r[X5], 44u);  // only `length` words travel
  EXPECT_EQ(t->state, ThreadState::Running);
  EXPECT_EQ(endpoint()->state(), EndpointState::Idle);
}

TEST_F(EndpointTest, ASenderQueuesUntilAReceiverComes) {
  k.syscall(sys(Syscall::Send), {ep, info(1, 2), 7, 8});  // nobody waits: the root queues
  ASSERT_EQ(ks.cur_thread, t);
  EXPECT_EQ(k.root()->state, ThreadState::BlockedOnSend);
  EXPECT_EQ(endpoint()->state(), EndpointState::Send);
  const host::SyscallResult got = k.syscall(t, sys(Syscall::Recv), {ep});
  // The sender is higher priority, so it runs at once; the receiver kept the message.
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(got.x[1], info(1, 2));
  EXPECT_EQ(got.x[2], 7u);
  EXPECT_EQ(got.x[3], 8u);
  EXPECT_EQ(endpoint()->state(), EndpointState::Idle);
}

TEST_F(EndpointTest, CallGetsAReplyThroughTheOneShotReplyCap) {
  root_recv(ep);
  k.syscall(t, sys(Syscall::Call), {ep, info(3, 1), 42});
  ASSERT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(t->state, ThreadState::BlockedOnReply);
  const Cap caller = k.root()->slot(kTcbCaller)->cap;
  ASSERT_EQ(caller.type(), CapType::Reply);
  EXPECT_EQ(ReplyCap{caller}.tcb(), object_of(t));
  EXPECT_FALSE(ReplyCap{caller}.is_master());
  // The reply: label 0, two words; the root's own registers are not touched by it.
  k.syscall(sys(Syscall::Reply), {0, info(0, 2), 100, 200});
  EXPECT_TRUE(k.root()->slot(kTcbCaller)->cap.is_null());
  EXPECT_EQ(t->state, ThreadState::Running);
  EXPECT_EQ(t->context.regs[X1], info(0, 2));
  EXPECT_EQ(t->context.regs[X2], 100u);
  EXPECT_EQ(t->context.regs[X3], 200u);
  EXPECT_EQ(t->context.regs[X0], 0u);  // a reply carries no badge
}

TEST_F(EndpointTest, ReplyWithAnEmptyCallerSlotDoesNothing) {
  const host::SyscallResult r = k.syscall(sys(Syscall::Reply), {5, info(0, 1), 6, 7, 8, 9});
  EXPECT_EQ(r.x[0], 5u);
  EXPECT_EQ(r.x[2], 6u);
  EXPECT_EQ(ks.cur_thread, k.root());
}

TEST_F(EndpointTest, ACallWithoutGrantRightsLeavesTheCallerInactive) {
  const word_t send_only = mint(ep, 0x1, 0);
  root_recv(ep);
  k.syscall(t, sys(Syscall::Call), {send_only, info(0, 1), 1});
  EXPECT_EQ(t->state, ThreadState::Inactive);  // the message went, no reply cap came
  EXPECT_TRUE(k.root()->slot(kTcbCaller)->cap.is_null());
  EXPECT_EQ(k.root()->context.regs[X2], 1u);
}

TEST_F(EndpointTest, NBSendDropsTheMessageAndNBRecvReturnsAtOnce) {
  k.syscall(sys(Syscall::NBSend), {ep, info(0, 1), 1});
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(endpoint()->state(), EndpointState::Idle);
  const host::SyscallResult r = k.syscall(sys(Syscall::NBRecv), {ep, 0x77, 0x88});
  EXPECT_EQ(r.x[0], 0u);
  EXPECT_EQ(r.x[1], 0x77u);  // nothing but the badge register is written
  EXPECT_EQ(endpoint()->state(), EndpointState::Idle);
}

TEST_F(EndpointTest, RightsDecideSendAndReceive) {
  const word_t read_only = mint(ep, 0x2, 0), write_only = mint(ep, 0x1, 0);
  // Send without Write is dropped; Call without Write is an InvalidCapability error reply.
  k.syscall(sys(Syscall::Send), {read_only, info(0, 0)});
  EXPECT_EQ(endpoint()->state(), EndpointState::Idle);
  const host::SyscallResult e = k.syscall(sys(Syscall::Call), {read_only, info(0, 0)});
  EXPECT_EQ(e.label(), word_t(Error::InvalidCapability));
  // Recv without Read is a cap fault in the receive phase; with no handler the root stops.
  k.syscall(sys(Syscall::Recv), {write_only});
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
  EXPECT_NE(k.machine().console.find("cap fault"), std::string::npos);
}

// Both threads use the root's IPC buffer here: the sender names its caps in it, the receiver
// its receive slot, and the transfer writes the unwrapped badges back into it.
class CapTransferTest : public EndpointTest {
 protected:
  word_t dest = k.retype(ObjectType::Endpoint);
  word_t ntfn = k.retype(ObjectType::Notification);
  word_t* buf = k.ipc_buffer();

  void SetUp() override {
    EndpointTest::SetUp();
    EXPECT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {dest, 64}).label(), 0u);
    EXPECT_EQ(
        k.call(t_slot, word_t(Label::TCBSetIPCBuffer), {k.root()->ipc_buffer}, {kCapInitThreadIPCBuffer})
            .label(),
        0u);
    buf[ipc_buffer::kReceiveCNode] = kCapInitThreadCNode;
    buf[ipc_buffer::kReceiveIndex] = dest;
    buf[ipc_buffer::kReceiveDepth] = 64;
  }
  // t sends `caps` through `cap` to the root, waiting in Recv on `ep`.
  void send_caps(word_t cap, std::initializer_list<word_t> caps) {
    root_recv(ep);
    word_t i = 0;
    for (word_t c : caps) buf[ipc_buffer::kCapsOrBadges + i++] = c;
    k.syscall(t, sys(Syscall::Send), {cap, info(0, 0, caps.size())});
  }
};

TEST_F(CapTransferTest, WithGrantOneCapArrivesAsAChildOfTheSource) {
  send_caps(ep, {ntfn});
  const Cap got = k.root_cap(dest);
  EXPECT_EQ(got.type(), CapType::Notification);
  EXPECT_EQ(MessageInfo::from_word(k.root()->context.regs[X1]).extra_caps, 1u);
  // Inserted right after its source in the derivation list, as its child.
  const auto* slot = reinterpret_cast<const Cte*>(&k.root_cap(dest));
  EXPECT_EQ(slot->mdb.prev(), paddr_of(&k.root_cap(ntfn)));
}

TEST_F(CapTransferTest, WithoutGrantNoCapMoves) {
  send_caps(mint(ep, 0x3, 0), {ntfn});
  EXPECT_TRUE(k.root_cap(dest).is_null());
  EXPECT_EQ(MessageInfo::from_word(k.root()->context.regs[X1]).extra_caps, 0u);
}

TEST_F(CapTransferTest, ACapToTheSameEndpointArrivesAsItsBadge) {
  const word_t badged = mint(ep, 0xf, 0x99);
  send_caps(ep, {badged, ntfn, ntfn});
  const MessageInfo got = MessageInfo::from_word(k.root()->context.regs[X1]);
  EXPECT_EQ(got.caps_unwrapped, 1u);
  EXPECT_EQ(buf[ipc_buffer::kCapsOrBadges], 0x99u);
  // The first other cap takes the slot; the second finds none left and ends the list.
  EXPECT_EQ(k.root_cap(dest).type(), CapType::Notification);
  EXPECT_EQ(got.extra_caps, 2u);
}

TEST_F(EndpointTest, SuspendingAQueuedSenderTakesItOffTheQueue) {
  k.syscall(sys(Syscall::Send), {ep, info(0, 0)});  // root queues, t runs
  ASSERT_EQ(ks.cur_thread, t);
  k.call(t, kCapInitThreadTCB, word_t(Label::TCBSuspend), {});
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
  EXPECT_EQ(endpoint()->state(), EndpointState::Idle);
  EXPECT_EQ(k.root()->ep_next, nullptr);
}

TEST_F(EndpointTest, DeletingTheEndpointRestartsItsQueue) {
  k.syscall(sys(Syscall::Send), {ep, info(0, 0)});
  ASSERT_EQ(ks.cur_thread, t);
  k.call(t, kCapInitThreadCNode, word_t(Label::CNodeDelete), {ep, 64});
  // The root is Restart, runnable again at a higher priority: it runs, re-executing its Send.
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(k.root()->context.regs[NextIP], k.root()->context.regs[FaultIP]);
}

TEST_F(EndpointTest, CancelBadgedSendsRestartsOnlyThatBadge) {
  const word_t b1 = mint(ep, 0xf, 1), b2 = mint(ep, 0xf, 2);
  const word_t t2_slot = k.new_thread(100);
  k.start_thread(t2_slot, 0x400000);  // restarted threads go to the head of their queue
  Tcb* t2 = k.thread_at(t2_slot);
  k.syscall(sys(Syscall::Send), {b1, info(0, 0)});  // root queues with badge 1
  ASSERT_EQ(ks.cur_thread, t2);
  k.syscall(t2, sys(Syscall::Send), {b2, info(0, 0)});  // t2 queues with badge 2
  ASSERT_EQ(ks.cur_thread, t);
  k.call(t, kCapInitThreadCNode, word_t(Label::CNodeCancelBadgedSends), {b1, 64});
  EXPECT_EQ(k.root()->state, ThreadState::Running);  // restarted, and activated at once
  EXPECT_EQ(k.root()->context.regs[NextIP], k.root()->context.regs[FaultIP]);
  EXPECT_EQ(t2->state, ThreadState::BlockedOnSend);
  EXPECT_EQ(endpoint()->queue_head, t2);
  EXPECT_EQ(endpoint()->queue_tail(), t2);
  EXPECT_EQ(endpoint()->state(), EndpointState::Send);
  EXPECT_EQ(ks.cur_thread, k.root());  // it outranks t
}

}  // namespace
}  // namespace keel
