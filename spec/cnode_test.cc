// CNode invocations: every error in seL4's check order with its reply words, and the effects
// of Copy/Mint/Move/Mutate/Rotate/Revoke/Delete on the derivation tree.
#include "cdt.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr word_t kEp = kFirstFree;  // slot of a fresh endpoint in most tests

struct CNodeOps : ::testing::Test {
  World w;
  void SetUp() override { ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, kEp, 1).label, kOk); }
  std::vector<word_t> words(const Reply& r) { return r.words; }
};

TEST_F(CNodeOps, LabelThenLengthThenTargetLookup) {
  Reply r = w.call(kCapInitThreadCNode, static_cast<Label>(16), {30, 64});
  EXPECT_EQ(r.label, err(Error::IllegalOperation));
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeDelete, {30}).label, err(Error::TruncatedMessage));
  r = w.call(kCapInitThreadCNode, Label::CNodeDelete, {30, 0});
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{1, 64}));
  r = w.call(kCapInitThreadCNode, Label::CNodeDelete, {word_t{1} << 63, 64});
  EXPECT_EQ(r.label, err(Error::FailedLookup));  // not source; GuardMismatch(64, guard 0, size 52)
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 4, 64, 0, 52}));
}

TEST_F(CNodeOps, CopyChecksInSeL4Order) {
  // length < 4, then a missing extra cap
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCopy, {30, 64, kEp}, {kCapInitThreadCNode}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCopy, {30, 64, kEp, 64, 0xf}).label,
            err(Error::TruncatedMessage));
  // destination occupied wins over a bad source
  Reply r = w.call(kCapInitThreadCNode, Label::CNodeCopy, {kCapSMC, 64, kEp, 0, 0xf}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label, err(Error::DeleteFirst));
  r = w.call(kCapInitThreadCNode, Label::CNodeCopy, {30, 64, kEp, 0, 0xf}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label, err(Error::RangeError));
  r = w.call(kCapInitThreadCNode, Label::CNodeCopy, {30, 64, kEp, 64, 0xf}, {kCapSMC});
  EXPECT_EQ(r.label, err(Error::FailedLookup));
  EXPECT_EQ(r.words, (std::vector<word_t>{1, 1}));  // source, InvalidRoot
  r = w.copy(30, 31);
  EXPECT_EQ(r.label, err(Error::FailedLookup));
  EXPECT_EQ(r.words, (std::vector<word_t>{1, 2, 64}));  // source, MissingCapability, bitsLeft = depth
  // the per-method length check comes after the source checks
  r = w.call(kCapInitThreadCNode, Label::CNodeCopy, {30, 64, kEp, 64}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label, err(Error::TruncatedMessage));
  r = w.call(kCapInitThreadCNode, Label::CNodeMint, {30, 64, kEp, 64, 0xf}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label, err(Error::TruncatedMessage));
  EXPECT_TRUE(w.cap(30).is_null());
}

TEST_F(CNodeOps, DeriveFailures) {
  // the untyped now has a child (the endpoint): RevokeFirst
  EXPECT_EQ(w.copy(30, kCapUntyped).label, err(Error::RevokeFirst));
  // IRQ control derives to null: IllegalOperation
  EXPECT_EQ(w.copy(30, kCapIRQControl).label, err(Error::IllegalOperation));
  // an unmapped VSpace cap cannot be derived
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::VSpace, 0, 40, 1).label, kOk);
  EXPECT_EQ(w.copy(30, 40).label, err(Error::IllegalOperation));
  // a mapped frame cap derives to an unmapped copy
  ASSERT_EQ(w.copy(30, kCapBootInfoFrame).label, kOk);
  EXPECT_FALSE(w.cap(30).mapped.has_value());
  EXPECT_TRUE(w.cap(kCapBootInfoFrame).mapped.has_value());
}

TEST_F(CNodeOps, CopyMasksRightsAndMintBadgesOnce) {
  ASSERT_EQ(w.copy(30, kEp, 0x3).label, kOk);
  EXPECT_EQ(w.cap(30).rights, (CapRights{true, true, false, false}));
  EXPECT_FALSE(w.s.slot_at(root_slot(30))->revocable);
  ASSERT_EQ(w.mint(31, kEp, 5).label, kOk);
  EXPECT_EQ(w.cap(31).badge, 5u);
  EXPECT_TRUE(w.s.slot_at(root_slot(31))->revocable);
  EXPECT_TRUE(w.s.slot_at(root_slot(31))->first_badged);
  EXPECT_EQ(w.mint(32, 31, 6).label, err(Error::IllegalOperation));  // already badged
  EXPECT_EQ(w.mint(32, 31, 0).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.mutate(32, kEp, 7).label, err(Error::IllegalOperation));  // Mutate never badges
  EXPECT_EQ(w.mint(32, kEp, 0).label, kOk);                             // badge 0: a plain copy
  EXPECT_FALSE(w.s.slot_at(root_slot(32))->revocable);
}

TEST_F(CNodeOps, MoveAndMutateKeepTreePosition) {
  ASSERT_EQ(w.mint(30, kEp, 5).label, kOk);
  ASSERT_EQ(w.copy(31, 30).label, kOk);
  EXPECT_EQ(w.s.slot_at(root_slot(31))->parent, root_slot(30));
  ASSERT_EQ(w.move(40, 30).label, kOk);
  EXPECT_TRUE(w.cap(30).is_null());
  EXPECT_EQ(w.s.slot_at(root_slot(31))->parent, root_slot(40));
  EXPECT_EQ(w.s.slot_at(root_slot(40))->parent, root_slot(kEp));
  EXPECT_TRUE(w.s.slot_at(root_slot(40))->revocable);
  // Mutate a CNode cap: guard 0 of size 4 (data = guard << 6 | size)
  ASSERT_EQ(w.copy(41, kCapInitThreadCNode).label, kOk);
  ASSERT_EQ(w.mutate(42, 41, 4).label, kOk);
  EXPECT_EQ(w.cap(42).guard_size, 4u);
  EXPECT_EQ(w.mutate(43, 42, 53).label, err(Error::IllegalOperation));  // 53 + radix 12 > 64
}

TEST_F(CNodeOps, RotateChecksInSeL4Order) {
  auto rotate = [&](word_t dest, word_t pivot, word_t src, std::vector<cptr_t> extra = {2, 2},
                    word_t sd = 64) {
    return w.call(kCapInitThreadCNode, Label::CNodeRotate, {dest, 64, 0, pivot, 64, 0, src, sd}, extra);
  };
  EXPECT_EQ(rotate(30, 31, 32, {2}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(rotate(30, 31, 32, {2, 2}, 0).label, err(Error::RangeError));  // source lookup first
  EXPECT_EQ(rotate(30, 32, 32).label, err(Error::IllegalOperation));       // pivot == source
  EXPECT_EQ(rotate(30, 30, 32).label, err(Error::IllegalOperation));       // pivot == destination
  EXPECT_EQ(rotate(kCapSMC, 31, 32).label, err(Error::DeleteFirst));
  Reply r = rotate(30, 31, 32);
  EXPECT_EQ(r.words, (std::vector<word_t>{1, 2, 64}));  // source empty
  r = rotate(30, 31, kCapDomain);
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 2, 64}));  // pivot empty: reported as not-source
  EXPECT_EQ(rotate(30, kEp, kCapDomain).label, err(Error::IllegalOperation));  // endpoint data: null
  // dest <- pivot, pivot <- source
  ASSERT_EQ(rotate(30, kCapASIDControl, kCapDomain).label, kOk);
  EXPECT_EQ(w.cap(30).type, CapType::AsidControl);
  EXPECT_EQ(w.cap(kCapASIDControl).type, CapType::Domain);
  EXPECT_TRUE(w.cap(kCapDomain).is_null());
  // source == destination: a swap
  ASSERT_EQ(rotate(30, kCapASIDControl, 30).label, kOk);
  EXPECT_EQ(w.cap(30).type, CapType::Domain);
  EXPECT_EQ(w.cap(kCapASIDControl).type, CapType::AsidControl);
}

TEST_F(CNodeOps, SaveCallerAndCancelBadgedSends) {
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeSaveCaller, {kCapSMC, 64}).label,
            err(Error::DeleteFirst));
  State before = w.s;
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeSaveCaller, {30, 64}).label, kOk);  // no caller: no-op
  EXPECT_EQ(w.changed_since(before), "");
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {kCapSMC, 64}).label,
            err(Error::IllegalOperation));
  ASSERT_EQ(w.mint(30, kEp, 9, 0x7).label, kOk);  // no grant-reply right
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {30, 64}).label,
            err(Error::IllegalOperation));
  EXPECT_EQ(w.call(kCapInitThreadCNode, Label::CNodeCancelBadgedSends, {kEp, 64}).label, kOk);
}

TEST_F(CNodeOps, RevokeOfABadgedTree) {
  ASSERT_EQ(w.mint(30, kEp, 1).label, kOk);  // badged original
  ASSERT_EQ(w.copy(31, 30).label, kOk);      // its copy
  ASSERT_EQ(w.copy(32, 31).label, kOk);      // a copy of the copy: still below 30
  ASSERT_EQ(w.mint(33, kEp, 1).label, kOk);  // another original with the same badge
  ASSERT_EQ(w.copy(34, 33).label, kOk);
  ASSERT_EQ(w.mint(35, kEp, 2).label, kOk);
  ASSERT_EQ(w.copy(36, kEp).label, kOk);  // unbadged copy of the master
  EXPECT_EQ(w.s.slot_at(root_slot(32))->parent, root_slot(30));
  EXPECT_EQ(w.s.slot_at(root_slot(33))->parent, root_slot(kEp));

  EXPECT_EQ(w.revoke(36).label, kOk);  // not revocable: nothing below it
  EXPECT_FALSE(w.cap(36).is_null());
  EXPECT_EQ(w.revoke(30).label, kOk);
  for (word_t i : {31u, 32u}) EXPECT_TRUE(w.cap(i).is_null()) << i;
  for (word_t i : {30u, 33u, 34u, 35u, 36u}) EXPECT_FALSE(w.cap(i).is_null()) << i;
  EXPECT_EQ(w.revoke(kEp).label, kOk);  // the master (badge 0) is parent of every badge
  for (word_t i : {30u, 33u, 34u, 35u, 36u}) EXPECT_TRUE(w.cap(i).is_null()) << i;
  EXPECT_FALSE(w.cap(kEp).is_null());
  EXPECT_TRUE(w.s.objects.count(w.cap(kEp).ptr));
  EXPECT_EQ(w.revoke(31).label, kOk);  // revoking an empty slot is fine
}

TEST_F(CNodeOps, DeletingTheFinalCNodeCapDeletesWhatItHolds) {
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::CapTable, 2, 30, 1).label, kOk);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::TCB, 0, 31, 1).label, kOk);
  paddr_t sub = w.cap(30).ptr, tcb = w.cap(31).ptr;
  // Invoke the 4-slot CNode itself: index 1 at depth 2 inside it.
  ASSERT_EQ(w.call(30, Label::CNodeCopy, {1, 2, kEp, 64, 0xf}, {kCapInitThreadCNode}).label, kOk);
  ASSERT_EQ(w.call(30, Label::CNodeMove, {2, 2, 31, 64}, {kCapInitThreadCNode}).label, kOk);
  EXPECT_EQ(w.s.cap_at(SlotRef{sub, 2}).type, CapType::Thread);
  ASSERT_EQ(w.copy(32, 30).label, kOk);
  EXPECT_EQ(w.del(30).label, kOk);  // not final: the CNode lives on through slot 32
  EXPECT_TRUE(w.s.objects.count(sub));
  // Final: the CNode goes. The TCB whose only cap it held stays, suspended, as a cyclic Zombie
  // in its own first slot (seL4 reduceZombie in an internal deletion), with its other slots.
  EXPECT_EQ(w.del(32).label, kOk);
  EXPECT_FALSE(w.s.objects.count(sub));
  ASSERT_TRUE(w.s.objects.count(tcb));
  EXPECT_EQ(w.s.cap_at(SlotRef{tcb, kTcbCTable}).type, CapType::Zombie);
  EXPECT_EQ(w.s.thread(tcb)->state, ThreadState::Inactive);
  EXPECT_TRUE(w.s.objects.count(w.cap(kEp).ptr));  // the endpoint still has its cap in kEp
  EXPECT_EQ(w.del(30).label, kOk);                 // deleting an empty slot is fine
  EXPECT_EQ(w.revoke(kCapUntyped).label, kOk);     // an exposed deletion of the Zombie ends the TCB
  EXPECT_FALSE(w.s.objects.count(tcb));
}

TEST_F(CNodeOps, DeletingTheCallersOwnTcbStopsIt) {
  // Slot 1 holds the only thread cap to the root TCB: deleting it suspends and destroys the
  // caller, so no reply comes back.
  SyscallResult r = w.syscall(Syscall::Call, kCapInitThreadCNode, static_cast<word_t>(Label::CNodeDelete),
                              {kCapInitThreadTCB, 64});
  EXPECT_EQ(r.outcome, Outcome::Stopped);
  EXPECT_FALSE(w.s.objects.count(kRootTcb));
  EXPECT_FALSE(w.s.cur_thread.has_value());
  EXPECT_TRUE(w.s.cap_at(SlotRef{kRootTcb, kTcbCTable}).is_null());
  EXPECT_EQ(w.syscall(Syscall::DebugPutChar, 'x', 0, {}).outcome, Outcome::NotSpecified);
}

}  // namespace
}  // namespace keel::spec::test
