// Thread and frame invocations: TCB_SetIPCBuffer's checks in seL4's order and
// its effect on the buffer slot, Page_GetAddress, the labels keel refuses, and
// Yield.
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr word_t kHome = kRootIpcBuffer;
const SlotRef kBufferSlot{kRootTcb, kTcbBuffer};

Reply set_ipc_buffer(World &w, cptr_t tcb, const std::vector<word_t> &mrs,
                     const std::vector<cptr_t> &extra) {
  return w.call(tcb, Label::TCBSetIPCBuffer, mrs, extra);
}

TEST(TcbSetIpcBuffer, TruncatedWithoutTheAddressOrTheFrameCap) {
  World w;
  const State before = w.s;
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(
      set_ipc_buffer(w, kCapInitThreadTCB, {}, {kCapInitThreadIPCBuffer}).label,
      err(Error::TruncatedMessage));
  // Even removal (address 0) needs the cap.
  Reply r = set_ipc_buffer(w, kCapInitThreadTCB, {0}, {});
  EXPECT_EQ(r.label, err(Error::TruncatedMessage));
  EXPECT_EQ(r.length, 0u);
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(TcbSetIpcBuffer, DeriveErrorsComeFirst) {
  World w;
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, kFirstFree, 1).label,
            kOk);
  // An untyped with children does not derive (RevokeFirst), whatever the
  // address.
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapUntyped}).label,
            err(Error::RevokeFirst));
  EXPECT_EQ(
      set_ipc_buffer(w, kCapInitThreadTCB, {kHome + 1}, {kCapUntyped}).label,
      err(Error::RevokeFirst));
  // An unmapped page table does not derive either (IllegalOperation).
  ASSERT_EQ(
      w.retype(kCapUntyped, ObjectType::PageTable, 0, kFirstFree + 1, 1).label,
      kOk);
  EXPECT_EQ(
      set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree + 1}).label,
      err(Error::IllegalOperation));
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, kHome);
}

TEST(TcbSetIpcBuffer, TheCapMustBeANonDeviceFrameBeforeTheAddressIsChecked) {
  World w;
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapSMC}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome + 8}, {kCapSMC}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree})
                .label, // an empty slot
            err(Error::IllegalOperation));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapIRQControl})
                .label, // derives to null
            err(Error::IllegalOperation));
  ASSERT_EQ(w.retype(kCapDeviceUntyped, ObjectType::SmallPage, 0, kFirstFree, 1)
                .label,
            kOk);
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label,
            err(Error::IllegalOperation));
}

TEST(TcbSetIpcBuffer, TheAddressMustBe1KiBAligned) {
  World w;
  const State before = w.s;
  for (word_t off : {word_t{1}, word_t{8}, word_t{0x200}, word_t{0x3ff}}) {
    Reply r = set_ipc_buffer(w, kCapInitThreadTCB, {kHome + off},
                             {kCapInitThreadIPCBuffer});
    EXPECT_EQ(r.label, err(Error::AlignmentError)) << off;
    EXPECT_EQ(r.length, 0u);
  }
  EXPECT_EQ(w.changed_since(before), "");
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome + 0x400},
                           {kCapInitThreadIPCBuffer})
                .label,
            kOk);
}

TEST(TcbSetIpcBuffer, ReplacesTheBufferCapWithAChildOfTheSource) {
  World w;
  SyscallResult r = w.syscall(Syscall::Call, kCapInitThreadTCB,
                              static_cast<word_t>(Label::TCBSetIPCBuffer),
                              {0x20400}, {kCapBootInfoFrame});
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[1], 0u); // an empty reply
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, 0x20400u);
  const Slot *b = w.s.slot_at(kBufferSlot);
  ASSERT_NE(b, nullptr);
  // The derived copy is unmapped, not revocable, and a child of the original
  // boot-info cap.
  EXPECT_EQ(b->cap,
            Cap::frame(kBootInfoFrame, kPageBits, VmRights::ReadWrite, false));
  EXPECT_FALSE(b->revocable);
  EXPECT_EQ(b->parent, root_slot(kCapBootInfoFrame));
  EXPECT_TRUE(
      w.s.objects.count(kIpcFrame)); // slot 10 still names the old frame
  // A copy of a copy is a sibling: the new cap's parent is the copy's parent.
  ASSERT_EQ(w.copy(kFirstFree, kCapInitThreadIPCBuffer).label, kOk);
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label,
            kOk);
  EXPECT_EQ(w.s.slot_at(kBufferSlot)->parent,
            root_slot(kCapInitThreadIPCBuffer));
}

TEST(TcbSetIpcBuffer, AddressZeroRemovesTheBufferWhateverTheCap) {
  World w;
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {0}, {kCapSMC}).label, kOk);
  EXPECT_EQ(w.s.slot_at(kBufferSlot), nullptr);
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, 0u);
  // Now every message is clamped to four words and carries no extra caps: an
  // SMC call is truncated, and the thread cannot hand itself a frame cap to get
  // its buffer back.
  EXPECT_EQ(w.call(kCapSMC, Label::ARMSMCCall, {0, 1, 2, 3, 4, 5, 6, 7}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(
      set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapInitThreadIPCBuffer})
          .label,
      err(Error::TruncatedMessage));
  EXPECT_EQ(w.s.slot_at(kBufferSlot), nullptr);
}

TEST(TcbSetIpcBuffer, ReplacingTheLastCapToAFrameDestroysIt) {
  World w;
  ASSERT_EQ(
      w.retype(kCapUntyped, ObjectType::SmallPage, 0, kFirstFree, 1).label,
      kOk);
  const paddr_t page = w.cap(kFirstFree).ptr;
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label,
            kOk);
  ASSERT_EQ(w.del(kFirstFree).label, kOk);
  EXPECT_TRUE(w.s.objects.count(page)); // the buffer slot holds its last cap
  EXPECT_EQ(w.s.slot_at(kBufferSlot)->parent, root_slot(kCapUntyped));
  ASSERT_EQ(
      set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapInitThreadIPCBuffer})
          .label,
      kOk);
  EXPECT_FALSE(w.s.objects.count(page));
}

TEST(TcbSetIpcBuffer, AnotherThreadAndSend) {
  World w;
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::TCB, 0, kFirstFree, 1).label,
            kOk);
  const paddr_t other = w.cap(kFirstFree).ptr;
  SyscallResult r = w.syscall(Syscall::Send, kFirstFree,
                              static_cast<word_t>(Label::TCBSetIPCBuffer),
                              {0x2000}, {kCapInitThreadIPCBuffer});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[1],
            (MessageInfo{9, 0, 1, 1}.to_word())); // Send: nothing written back
  EXPECT_EQ(w.s.thread(other)->ipc_buffer_vaddr, 0x2000u);
  EXPECT_EQ(w.s.slot_at(SlotRef{other, kTcbBuffer})->parent,
            root_slot(kCapInitThreadIPCBuffer));
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, kHome);
  // Revoking the frame cap takes both threads' buffer caps.
  ASSERT_EQ(w.revoke(kCapInitThreadIPCBuffer).label, kOk);
  EXPECT_EQ(w.s.slot_at(SlotRef{other, kTcbBuffer}), nullptr);
  EXPECT_EQ(w.s.slot_at(kBufferSlot), nullptr);
}

// keel: not yet implemented, seL4 differs (seL4 implements labels 2..16 on a
// thread cap).
TEST(TcbInvocation, OtherLabelsAreIllegalOperationInKeel) {
  World w;
  const State before = w.s;
  for (word_t label : {0u, 2u, 3u, 5u, 11u, 12u, 16u, 17u, 1000u}) {
    Reply r = w.call(kCapInitThreadTCB, static_cast<Label>(label), {0, 1},
                     {kCapInitThreadIPCBuffer});
    EXPECT_EQ(r.label, err(Error::IllegalOperation)) << label;
    EXPECT_EQ(r.length, 0u);
  }
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(FrameInvocation, GetAddressRepliesWithThePhysicalAddress) {
  World w;
  Reply r = w.call(kCapInitThreadIPCBuffer, Label::ARMPageGetAddress, {});
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.words, (std::vector<word_t>{kIpcFrame}));
  EXPECT_EQ(w.call(kCapBootInfoFrame, Label::ARMPageGetAddress, {7, 8}).words,
            (std::vector<word_t>{kBootInfoFrame}));
  ASSERT_EQ(w.retype(kCapDeviceUntyped, ObjectType::SmallPage, 0, kFirstFree, 1)
                .label,
            kOk);
  EXPECT_EQ(w.call(kFirstFree, Label::ARMPageGetAddress, {}).words,
            (std::vector<word_t>{kDeviceUntyped}));
  // Without an IPC buffer the one word still travels in x2.
  w.s.slots.erase(kBufferSlot);
  EXPECT_EQ(w.call(kCapBootInfoFrame, Label::ARMPageGetAddress, {}).words,
            (std::vector<word_t>{kBootInfoFrame}));
  SyscallResult s = w.syscall(Syscall::Send, kCapBootInfoFrame, 46, {});
  EXPECT_EQ(s.regs[1], (MessageInfo{46, 0, 0, 0}.to_word()));
  EXPECT_EQ(s.regs[2], 0u);
}

// Labels of other cap types on a frame cap are IllegalOperation, as in seL4
// (40..45: vspace_test.cc).
TEST(FrameInvocation, OtherCapsLabelsAreIllegal) {
  World w;
  const State before = w.s;
  for (word_t label : {0u, 1u, 9u, 37u, 47u, 1000u}) {
    Reply r = w.call(kCapInitThreadIPCBuffer, static_cast<Label>(label),
                     {0, 0x1000, 3}, {kCapInitThreadVSpace});
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
  for (unsigned i = 0; i < 8; ++i)
    EXPECT_EQ(w.x(kRootTcb, i), e.regs[i]);
}

} // namespace
} // namespace keel::spec::test
