// The thread's space and buffer: TCB_SetIPCBuffer, TCB_Configure and TCB_SetSpace, each check in
// seL4's order (threads.md §1.4-1.6), what they put into the thread's slots, and the re-checks of
// seL4 invokeTCB_ThreadControl.
#include "tcb.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr word_t kHome = kRootIpcBuffer;
const SlotRef kBufferSlot{kRootTcb, kTcbBuffer};

Reply set_ipc_buffer(World& w, cptr_t tcb, const std::vector<word_t>& mrs, const std::vector<cptr_t>& extra) {
  return w.call(tcb, Label::TCBSetIPCBuffer, mrs, extra);
}

TEST(TcbSetIpcBuffer, TruncatedWithoutTheAddressOrTheFrameCap) {
  World w;
  const State before = w.s;
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {}, {kCapInitThreadIPCBuffer}).label,
            err(Error::TruncatedMessage));
  // Even removal (address 0) needs the cap.
  Reply r = set_ipc_buffer(w, kCapInitThreadTCB, {0}, {});
  EXPECT_EQ(r.label, err(Error::TruncatedMessage));
  EXPECT_EQ(r.length, 0u);
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(TcbSetIpcBuffer, DeriveErrorsComeFirst) {
  World w;
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, kFirstFree, 1).label, kOk);
  // An untyped with children does not derive (RevokeFirst), whatever the address.
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapUntyped}).label, err(Error::RevokeFirst));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome + 1}, {kCapUntyped}).label, err(Error::RevokeFirst));
  // An unmapped page table does not derive either (IllegalOperation).
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::PageTable, 0, kFirstFree + 1, 1).label, kOk);
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree + 1}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, kHome);
}

TEST(TcbSetIpcBuffer, TheCapMustBeANonDeviceFrameBeforeTheAddressIsChecked) {
  World w;
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapSMC}).label, err(Error::IllegalOperation));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome + 8}, {kCapSMC}).label, err(Error::IllegalOperation));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label,  // an empty slot
            err(Error::IllegalOperation));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapIRQControl}).label,  // derives to null
            err(Error::IllegalOperation));
  ASSERT_EQ(w.retype(kCapDeviceUntyped, ObjectType::SmallPage, 0, kFirstFree, 1).label, kOk);
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label, err(Error::IllegalOperation));
}

TEST(TcbSetIpcBuffer, TheAddressMustBe1KiBAligned) {
  World w;
  const State before = w.s;
  for (word_t off : {word_t{1}, word_t{8}, word_t{0x200}, word_t{0x3ff}}) {
    Reply r = set_ipc_buffer(w, kCapInitThreadTCB, {kHome + off}, {kCapInitThreadIPCBuffer});
    EXPECT_EQ(r.label, err(Error::AlignmentError)) << off;
    EXPECT_EQ(r.length, 0u);
  }
  EXPECT_EQ(w.changed_since(before), "");
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome + 0x400}, {kCapInitThreadIPCBuffer}).label, kOk);
}

TEST(TcbSetIpcBuffer, ReplacesTheBufferCapWithAChildOfTheSource) {
  World w;
  SyscallResult r = w.syscall(Syscall::Call, kCapInitThreadTCB, static_cast<word_t>(Label::TCBSetIPCBuffer),
                              {0x20400}, {kCapBootInfoFrame});
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[1], 0u);  // an empty reply
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, 0x20400u);
  const Slot* b = w.s.slot_at(kBufferSlot);
  ASSERT_NE(b, nullptr);
  // The derived copy is unmapped, not revocable, and a child of the original boot-info cap.
  EXPECT_EQ(b->cap, Cap::frame(kBootInfoFrame, kPageBits, VmRights::ReadWrite, false));
  EXPECT_FALSE(b->revocable);
  EXPECT_EQ(b->parent, root_slot(kCapBootInfoFrame));
  EXPECT_TRUE(w.s.objects.count(kIpcFrame));  // slot 10 still names the old frame
  // A copy of a copy is a sibling: the new cap's parent is the copy's parent.
  ASSERT_EQ(w.copy(kFirstFree, kCapInitThreadIPCBuffer).label, kOk);
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label, kOk);
  EXPECT_EQ(w.s.slot_at(kBufferSlot)->parent, root_slot(kCapInitThreadIPCBuffer));
}

TEST(TcbSetIpcBuffer, AddressZeroRemovesTheBufferWhateverTheCap) {
  World w;
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {0}, {kCapSMC}).label, kOk);
  EXPECT_EQ(w.s.slot_at(kBufferSlot), nullptr);
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, 0u);
  // Now every message is clamped to four words and carries no extra caps: an SMC call is
  // truncated, and the thread cannot hand itself a frame cap to get its buffer back.
  EXPECT_EQ(w.call(kCapSMC, Label::ARMSMCCall, {0, 1, 2, 3, 4, 5, 6, 7}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapInitThreadIPCBuffer}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(w.s.slot_at(kBufferSlot), nullptr);
}

TEST(TcbSetIpcBuffer, ReplacingTheLastCapToAFrameDestroysIt) {
  World w;
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::SmallPage, 0, kFirstFree, 1).label, kOk);
  const paddr_t page = w.cap(kFirstFree).ptr;
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kFirstFree}).label, kOk);
  ASSERT_EQ(w.del(kFirstFree).label, kOk);
  EXPECT_TRUE(w.s.objects.count(page));  // the buffer slot holds its last cap
  EXPECT_EQ(w.s.slot_at(kBufferSlot)->parent, root_slot(kCapUntyped));
  ASSERT_EQ(set_ipc_buffer(w, kCapInitThreadTCB, {kHome}, {kCapInitThreadIPCBuffer}).label, kOk);
  EXPECT_FALSE(w.s.objects.count(page));
}

TEST(TcbSetIpcBuffer, AnotherThreadAndSend) {
  World w;
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::TCB, 0, kFirstFree, 1).label, kOk);
  const paddr_t other = w.cap(kFirstFree).ptr;
  SyscallResult r = w.syscall(Syscall::Send, kFirstFree, static_cast<word_t>(Label::TCBSetIPCBuffer),
                              {0x2000}, {kCapInitThreadIPCBuffer});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[1], (MessageInfo{9, 0, 1, 1}.to_word()));  // Send: nothing written back
  EXPECT_EQ(w.s.thread(other)->ipc_buffer_vaddr, 0x2000u);
  EXPECT_EQ(w.s.slot_at(SlotRef{other, kTcbBuffer})->parent, root_slot(kCapInitThreadIPCBuffer));
  EXPECT_EQ(w.s.thread(kRootTcb)->ipc_buffer_vaddr, kHome);
  // Revoking the frame cap takes both threads' buffer caps.
  ASSERT_EQ(w.revoke(kCapInitThreadIPCBuffer).label, kOk);
  EXPECT_EQ(w.s.slot_at(SlotRef{other, kTcbBuffer}), nullptr);
  EXPECT_EQ(w.s.slot_at(kBufferSlot), nullptr);
}

// A thread to configure, in slot kT of the root CNode; the root thread invokes it.
struct Space : ::testing::Test {
  static constexpr cptr_t kT = kFirstFree;
  World w;
  paddr_t t = 0;
  void SetUp() override { t = w.new_thread(kT); }

  Reply configure(const std::vector<word_t>& mrs, const std::vector<cptr_t>& extra) {
    return w.call(kT, Label::TCBConfigure, mrs, extra);
  }
  Reply set_space(const std::vector<word_t>& mrs, const std::vector<cptr_t>& extra) {
    return w.call(kT, Label::TCBSetSpace, mrs, extra);
  }
  const Slot* slot(word_t i) const { return w.s.slot_at(SlotRef{t, i}); }
  // A VSpace in `dest` with an ASID from the root task's pool.
  void vspace_with_asid(cptr_t dest) {
    ASSERT_EQ(w.retype(kCapUntyped, ObjectType::VSpace, 0, dest, 1).label, kOk);
    ASSERT_EQ(w.call(kCapInitThreadASIDPool, Label::ARMASIDPoolAssign, {}, {dest}).label, kOk);
  }
  // Leaves the last cap to a CNode in the thread's CTable slot.
  void final_cnode_in_ctable() {
    ASSERT_EQ(w.retype(kCapUntyped, ObjectType::CapTable, 4, kT + 1, 1).label, kOk);
    ASSERT_EQ(set_space({0, 0, 0}, {kT + 1, kCapInitThreadVSpace}).label, kOk);
    ASSERT_EQ(w.del(kT + 1).label, kOk);
  }
};

const std::vector<cptr_t> kRoots = {kCapInitThreadCNode, kCapInitThreadVSpace, kCapInitThreadIPCBuffer};

TEST_F(Space, ConfigureNeedsFourWordsAndThreeCaps) {
  const State before = w.s;
  EXPECT_EQ(configure({0, 0, 0}, kRoots).label, err(Error::TruncatedMessage));
  EXPECT_EQ(configure({0, 0, 0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label,
            err(Error::TruncatedMessage));  // the frame cap even for address 0
  EXPECT_EQ(w.changed_since(before), "");
}

TEST_F(Space, ConfigureChecksTheBufferFirst) {
  const State before = w.s;
  // A CSpace root that is no CNode would be refused later; the buffer's errors come first.
  const std::vector<cptr_t> bad_cspace = {kCapSMC, kCapInitThreadVSpace, kCapInitThreadIPCBuffer};
  EXPECT_EQ(configure({0, 0, 0, kHome + 8}, bad_cspace).label, err(Error::AlignmentError));
  EXPECT_EQ(configure({0, 0, 0, kHome}, {kCapSMC, kCapInitThreadVSpace, kCapUntyped}).label,
            err(Error::RevokeFirst));  // the untyped has a child (the thread): derive fails
  EXPECT_EQ(configure({0, 0, 0, kHome}, {kCapInitThreadCNode, kCapInitThreadVSpace, kCapSMC}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(before), "");
  ASSERT_EQ(w.retype(kCapDeviceUntyped, ObjectType::SmallPage, 0, kT + 1, 1).label, kOk);
  const State with_page = w.s;
  EXPECT_EQ(configure({0, 0, 0, kHome}, {kCapInitThreadCNode, kCapInitThreadVSpace, kT + 1}).label,
            err(Error::IllegalOperation));  // a device frame
  EXPECT_EQ(w.changed_since(with_page), "");
  // Address 0: the frame cap is not looked at.
  EXPECT_EQ(configure({0, 0, 0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace, kCapSMC}).label, kOk);
  EXPECT_EQ(slot(kTcbBuffer), nullptr);
}

TEST_F(Space, ALongRunningDeleteIsRefusedBeforeTheRootsAreDerived) {
  final_cnode_in_ctable();
  const State before = w.s;
  // The untyped with children would derive to RevokeFirst: the long-running check comes first.
  EXPECT_EQ(configure({0, 0, 0, 0}, {kCapUntyped, kCapInitThreadVSpace, kCapInitThreadIPCBuffer}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(set_space({0, 0, 0}, {kCapUntyped, kCapInitThreadVSpace}).label, err(Error::IllegalOperation));
  EXPECT_EQ(configure({0, 0, 0, 0}, kRoots).label, err(Error::IllegalOperation));
  // ...but after the buffer's checks in Configure.
  EXPECT_EQ(configure({0, 0, 0, kHome + 8}, kRoots).label, err(Error::AlignmentError));
  EXPECT_EQ(w.changed_since(before), "");
}

TEST_F(Space, TheCSpaceRootMustDeriveToACNode) {
  const State before = w.s;
  // Derive errors of the CSpace root come before any VSpace check.
  EXPECT_EQ(set_space({0, 0, 0}, {kCapUntyped, kCapSMC}).label, err(Error::RevokeFirst));
  EXPECT_EQ(set_space({0, 0, 0}, {kCapSMC, kCapInitThreadVSpace}).label, err(Error::IllegalOperation));
  EXPECT_EQ(set_space({0, 0, 0}, {kT + 5, kCapInitThreadVSpace}).label,  // an empty slot (THREADS0004)
            err(Error::IllegalOperation));
  // Guard size 53 on a radix-12 CNode is more than 64 bits: the cap data is refused.
  EXPECT_EQ(set_space({0, 53, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(configure({0, 53, 0, 0}, kRoots).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(before), "");
  // Guard 0x5 of size 52 fits and is applied (preserve = false).
  ASSERT_EQ(set_space({0, (word_t{5} << 6) | 52, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label, kOk);
  EXPECT_EQ(slot(kTcbCTable)->cap, Cap::cnode(kRootCNode, kRootRadix, 52, 5));
}

TEST_F(Space, TheVSpaceRootMustBeAVSpaceWithAnAsid) {
  EXPECT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode, kCapUntyped}).label, err(Error::RevokeFirst));
  EXPECT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode, kCapInitThreadIPCBuffer}).label,
            err(Error::IllegalOperation));
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::VSpace, 0, kT + 1, 1).label, kOk);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::PageTable, 0, kT + 2, 1).label, kOk);
  const State made = w.s;
  EXPECT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode, kT + 1}).label, err(Error::IllegalOperation));
  EXPECT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode, kT + 2}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(made), "");
  // Cap data on a VSpace cap changes nothing.
  ASSERT_EQ(set_space({0, 0, 0x1234}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label, kOk);
  EXPECT_EQ(slot(kTcbVTable)->cap, Cap::vspace(kVSpace, Mapping{1, 0}));
}

TEST_F(Space, ConfigureFillsTheThreeSlotsWithChildrenOfTheSourcesAndSetsTheFaultHandler) {
  ASSERT_EQ(
      configure({0x77, 0, 0, 0x20400}, {kCapInitThreadCNode, kCapInitThreadVSpace, kCapBootInfoFrame}).label,
      kOk);
  const Thread& th = w.thread(t);
  EXPECT_EQ(th.fault_handler, 0x77u);
  EXPECT_EQ(th.ipc_buffer_vaddr, 0x20400u);
  EXPECT_EQ(slot(kTcbCTable)->cap, w.cap(kCapInitThreadCNode));
  EXPECT_EQ(slot(kTcbCTable)->parent, root_slot(kCapInitThreadCNode));
  EXPECT_EQ(slot(kTcbVTable)->cap, w.cap(kCapInitThreadVSpace));
  EXPECT_EQ(slot(kTcbVTable)->parent, root_slot(kCapInitThreadVSpace));
  EXPECT_EQ(slot(kTcbBuffer)->cap, Cap::frame(kBootInfoFrame, kPageBits, VmRights::ReadWrite, false));
  EXPECT_EQ(slot(kTcbBuffer)->parent, root_slot(kCapBootInfoFrame));
  // Priorities and state are untouched.
  EXPECT_EQ(th.priority, 0u);
  EXPECT_EQ(th.mcp, 0u);
  EXPECT_EQ(th.state, ThreadState::Inactive);
  // Again with address 0: the buffer goes, the roots are replaced by equal caps.
  ASSERT_EQ(configure({0, 0, 0, 0}, kRoots).label, kOk);
  EXPECT_EQ(slot(kTcbBuffer), nullptr);
  EXPECT_EQ(w.thread(t).ipc_buffer_vaddr, 0u);
  EXPECT_EQ(w.thread(t).fault_handler, 0u);
  EXPECT_EQ(slot(kTcbCTable)->cap, w.cap(kCapInitThreadCNode));
}

TEST_F(Space, ReplacingTheLastCapToAVSpaceFinalisesIt) {
  vspace_with_asid(kT + 1);
  const paddr_t vs = w.cap(kT + 1).ptr;
  const word_t asid = w.cap(kT + 1).mapped->asid;
  ASSERT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode, kT + 1}).label, kOk);
  ASSERT_EQ(w.del(kT + 1).label, kOk);
  EXPECT_TRUE(w.s.objects.count(vs));  // the thread's VTable holds the last cap
  EXPECT_EQ(w.s.objects.at(kAsidPool).asid_entries.at(asid & 511), vs);
  ASSERT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label, kOk);
  EXPECT_FALSE(w.s.objects.count(vs));
  EXPECT_FALSE(w.s.objects.at(kAsidPool).asid_entries.count(asid & 511));
}

TEST_F(Space, SetSpaceNeedsThreeWordsAndTwoCapsAndLeavesTheBufferAlone) {
  const State before = w.s;
  EXPECT_EQ(set_space({0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(set_space({0, 0, 0}, {kCapInitThreadCNode}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(w.changed_since(before), "");
  ASSERT_EQ(configure({0, 0, 0, kHome}, kRoots).label, kOk);
  ASSERT_EQ(set_space({0x55, 0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}).label, kOk);
  EXPECT_EQ(w.thread(t).fault_handler, 0x55u);
  EXPECT_EQ(w.thread(t).ipc_buffer_vaddr, kHome);
  EXPECT_EQ(slot(kTcbBuffer)->parent, root_slot(kCapInitThreadIPCBuffer));
}

TEST_F(Space, TheCallerMayConfigureItself) {
  ASSERT_EQ(w.call(kCapInitThreadTCB, Label::TCBConfigure, {9, 0, 0, kHome}, kRoots).label, kOk);
  EXPECT_EQ(w.thread(kRootTcb).fault_handler, 9u);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  // The new CTable is a child of slot 2 (the boot copy was a child too).
  EXPECT_EQ(w.s.slot_at(SlotRef{kRootTcb, kTcbCTable})->parent, root_slot(kCapInitThreadCNode));
}

// seL4 re-checks, after deleting a slot's old cap, that the new cap's source and the invoked
// thread cap are still in place. No deletion these invocations make can disturb either, so the
// rule is shown on forged invocations.
TEST(ThreadControl, TheNewCapGoesInOnlyIfItsSourceAndTheThreadCapStillHoldThem) {
  World w;
  const paddr_t t = w.new_thread(kFirstFree);
  Invocation inv;
  inv.thread = kRootTcb, inv.slot = root_slot(kFirstFree), inv.cap = w.cap(kFirstFree);
  const NewCap cspace{w.cap(kCapInitThreadCNode), root_slot(kCapInitThreadCNode)};
  const NewCap vspace{w.cap(kCapInitThreadVSpace), root_slot(kCapInitThreadVSpace)};
  thread_control_space(w.s, inv, 3, cspace, vspace);
  EXPECT_NE(w.s.slot_at(SlotRef{t, kTcbCTable}), nullptr);
  // A source slot that no longer holds the object: that slot is emptied and stays empty.
  thread_control_space(w.s, inv, 4, NewCap{cspace.cap, root_slot(40)}, vspace);
  EXPECT_EQ(w.s.slot_at(SlotRef{t, kTcbCTable}), nullptr);
  EXPECT_NE(w.s.slot_at(SlotRef{t, kTcbVTable}), nullptr);
  EXPECT_EQ(w.thread(t).fault_handler, 4u);
  // The invoked thread cap gone from its slot: nothing goes in, the address is still set.
  inv.slot = root_slot(41);
  thread_control_space(w.s, inv, 5, cspace, vspace);
  thread_control_ipc_buffer(w.s, inv, kHome, NewCap{w.cap(kCapInitThreadIPCBuffer), root_slot(10)});
  EXPECT_EQ(w.s.slot_at(SlotRef{t, kTcbCTable}), nullptr);
  EXPECT_EQ(w.s.slot_at(SlotRef{t, kTcbVTable}), nullptr);
  EXPECT_EQ(w.s.slot_at(SlotRef{t, kTcbBuffer}), nullptr);
  EXPECT_EQ(w.thread(t).ipc_buffer_vaddr, kHome);
  EXPECT_TRUE(check_invariants(w.s).empty());
}

}  // namespace
}  // namespace keel::spec::test
