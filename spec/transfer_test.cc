// The message transfer's cap part (ipc.md §2.5): the receive slot, unwrapping, at most one cap,
// the extraCaps count, Grant, and extra caps looked up again at delivery.
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr cptr_t kEp = 30, kEpBadged = 31, kNtfn = 35, kNtfn2 = 36, kA = 40, kC = 44, kRecvSlot = 70;

word_t tag(word_t label, word_t caps_unwrapped, word_t extra, word_t len) {
  return MessageInfo{label, caps_unwrapped, extra, len}.to_word();
}

// Root (255) with an endpoint, a badged copy, two notifications; thread a (200, own buffer)
// waits on the endpoint with its receive slot set to `recv_slot` of the root CNode at `depth`.
struct CapWorld : World {
  paddr_t ep = make(ObjectType::Endpoint, kEp);
  paddr_t n = make(ObjectType::Notification, kNtfn);
  paddr_t n2 = make(ObjectType::Notification, kNtfn2);
  paddr_t a = 0;
  explicit CapWorld(cptr_t recv_slot = kRecvSlot, word_t depth = 64) {
    EXPECT_EQ(mint(kEpBadged, kEp, 0x55).label, kOk);
    a = ipc_thread(kA, 200);
    run_as(a);
    SyscallEvent e = event(Syscall::Recv, kEp, 0, {});
    e.ipc_buffer[kIpcBufferReceiveCNodeWord] = kCapInitThreadCNode;
    e.ipc_buffer[kIpcBufferReceiveCNodeWord + 1] = recv_slot;
    e.ipc_buffer[kIpcBufferReceiveCNodeWord + 2] = depth;
    EXPECT_EQ(raw(e).outcome, Outcome::Blocked);
    EXPECT_EQ(s.cur_thread, kRootTcb);
  }
};

TEST(TransferCaps, OneCapIsDerivedIntoTheReceiveSlotAsAChildOfItsSource) {
  CapWorld w;
  EXPECT_EQ(w.syscall(Syscall::Send, kEp, 2, {1}, {kNtfn}).outcome, Outcome::Returned);
  EXPECT_EQ(w.x(w.a, 1), tag(2, 0, 1, 1));
  const Slot* got = w.s.slot_at(root_slot(kRecvSlot));
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->cap, w.cap(kNtfn));
  EXPECT_EQ(got->parent, root_slot(kNtfn));
  EXPECT_FALSE(got->revocable);
}

TEST(TransferCaps, ACapToTheEndpointItselfIsUnwrappedToItsBadge) {
  CapWorld w;
  w.syscall(Syscall::Send, kEp, 0, {}, {kEpBadged});
  EXPECT_EQ(w.x(w.a, 1), tag(0, 1, 1, 0));
  EXPECT_EQ(w.buffer_of(w.a)[kIpcBufferCapsWord], 0x55u);
  EXPECT_EQ(w.s.slot_at(root_slot(kRecvSlot)), nullptr);
}

TEST(TransferCaps, AtMostOneCapMovesAndTheCountStopsAtTheFirstThatCannot) {
  CapWorld w;  // ipc.md §2.5's example: [A, ep-self, B] → A inserted, bit 1, extraCaps 2
  w.syscall(Syscall::Send, kEp, 0, {}, {kNtfn, kEpBadged, kNtfn2});
  EXPECT_EQ(w.x(w.a, 1), tag(0, 2, 2, 0));
  EXPECT_EQ(w.cap(kRecvSlot), w.cap(kNtfn));
  EXPECT_EQ(w.buffer_of(w.a)[kIpcBufferCapsWord + 1], 0x55u);
}

TEST(TransferCaps, WithoutGrantNoCapMoves) {
  CapWorld w;                                     // IPCRIGHTS0003
  ASSERT_EQ(w.mint(50, kEp, 0, 0xB).label, kOk);  // Write, Read, GrantReply
  w.syscall(Syscall::Send, 50, 0, {4}, {kNtfn, kEpBadged});
  EXPECT_EQ(w.x(w.a, 1), tag(0, 0, 0, 1));
  EXPECT_EQ(w.x(w.a, 2), 4u);
  EXPECT_EQ(w.s.slot_at(root_slot(kRecvSlot)), nullptr);
  EXPECT_EQ(w.buffer_of(w.a)[kIpcBufferCapsWord], 0u);
}

TEST(TransferCaps, AnOccupiedOrBadlyNamedReceiveSlotTakesNothing) {
  CapWorld occupied(kNtfn2);
  occupied.syscall(Syscall::Send, kEp, 0, {}, {kNtfn});
  EXPECT_EQ(occupied.x(occupied.a, 1), tag(0, 0, 0, 0));
  CapWorld bad_depth(kRecvSlot, 0);  // depth 0: the target lookup fails (no error anywhere)
  bad_depth.syscall(Syscall::Send, kEp, 0, {}, {kNtfn});
  EXPECT_EQ(bad_depth.x(bad_depth.a, 1), tag(0, 0, 0, 0));
  EXPECT_EQ(bad_depth.s.slot_at(root_slot(kRecvSlot)), nullptr);
}

TEST(TransferCaps, AFrameCapArrivesUnmapped) {
  CapWorld w;
  ASSERT_TRUE(w.cap(kCapInitThreadIPCBuffer).mapped.has_value());
  w.syscall(Syscall::Send, kEp, 0, {}, {kCapInitThreadIPCBuffer});
  EXPECT_EQ(w.cap(kRecvSlot), Cap::frame(kIpcFrame, kPageBits, VmRights::ReadWrite, false));
}

// A queued sender's extra caps are looked up again at delivery, from its buffer as it is then:
// here a thread sharing the root's buffer frame sent them, and the root's next syscall wrote an
// unresolvable CPtr over the second. Every cap is then dropped, the unwrappable one too.
TEST(TransferCaps, ExtraCapsAreLookedUpAgainAtDeliveryAndAFailureDropsThemAll) {
  World w;
  w.make(ObjectType::Endpoint, kEp);
  w.make(ObjectType::Notification, kNtfn);
  ASSERT_EQ(w.mint(kEpBadged, kEp, 0x55).label, kOk);
  const paddr_t c = w.configured_thread(kC, 100);
  EXPECT_EQ(w.call(kC, Label::TCBResume, {}).label, kOk);
  const paddr_t a = w.ipc_thread(kA, 200);
  EXPECT_EQ(w.syscall_as(c, Syscall::Send, kEp, 0, {}, {kEpBadged, kNtfn}).outcome, Outcome::Blocked);
  w.run_as(kRootTcb);
  SyscallEvent e = w.event(Syscall::Yield, 0, 0, {});
  e.ipc_buffer[kIpcBufferCapsWord] = kEpBadged;
  e.ipc_buffer[kIpcBufferCapsWord + 1] = word_t{1} << 63;
  w.raw(e);
  w.run_as(a);
  EXPECT_EQ(w.syscall(Syscall::Recv, kEp, 0, {}).outcome, Outcome::Returned);
  EXPECT_EQ(w.x(a, 1), tag(0, 0, 0, 0));
  EXPECT_EQ(w.buffer_of(a)[kIpcBufferCapsWord], 0u);
}

}  // namespace
}  // namespace keel::spec::test
