// Untyped_Retype: each error in seL4's order with its words, placement, reset and device rules.
#include "cdt.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

struct Retype : ::testing::Test {
  World w;
  // Retype with every argument explicit: type, size_bits, node index/depth, offset, count.
  Reply retype(cptr_t ut, word_t type, word_t size, word_t index, word_t depth, word_t offset, word_t n,
               std::vector<cptr_t> extra = {kCapInitThreadCNode}) {
    return w.call(ut, Label::UntypedRetype, {type, size, index, depth, offset, n}, extra);
  }
};

TEST_F(Retype, ArgumentErrorsInOrder) {
  EXPECT_EQ(w.call(kCapUntyped, Label::CNodeCopy, {}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.call(kCapUntyped, Label::UntypedRetype, {2, 0, 0, 0, 18}, {2}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(retype(kCapUntyped, 2, 0, 0, 0, 18, 1, {}).label, err(Error::TruncatedMessage));
  Reply r = retype(kCapUntyped, 10, 0, 0, 0, 18, 1);
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, (std::vector<word_t>{0}));
  r = retype(kCapUntyped, 2, 64, 0, 0, 18, 1);  // size_bits is checked for every type
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 47}));
  EXPECT_EQ(retype(kCapUntyped, 0, 48, 0, 0, 18, 1).words, (std::vector<word_t>{0, 47}));
  EXPECT_EQ(retype(kCapUntyped, 4, 43, 0, 0, 18, 1).words, (std::vector<word_t>{0, 47}));  // 43 + 5 > 47
  r = retype(kCapUntyped, 4, 0, 0, 0, 18, 1);
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, (std::vector<word_t>{1}));
  EXPECT_EQ(retype(kCapUntyped, 0, 3, 0, 0, 18, 1).words, (std::vector<word_t>{1}));
}

TEST_F(Retype, DestinationErrorsInOrder) {
  Reply r = retype(kCapUntyped, 2, 0, 0, 65, 18, 1);
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{1, 64}));
  r = retype(kCapUntyped, 2, 0, word_t{1} << 63, 64, 18, 1);
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 4, 64, 0, 52}));  // GuardMismatch, not source
  r = retype(kCapUntyped, 2, 0, 0, 0, 18, 1, {kCapSMC});       // depth 0: cap0 itself, not a CNode
  EXPECT_EQ(r.label, err(Error::FailedLookup));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 2, 0}));
  r = retype(kCapUntyped, 2, 0, kCapSMC, 64, 18, 1);  // slot 15 holds no CNode
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 2, 64}));
  r = retype(kCapUntyped, 2, 0, kCapInitThreadCNode, 64, 4096, 1);
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 4095}));
  EXPECT_EQ(retype(kCapUntyped, 2, 0, 0, 0, 18, 0).words, (std::vector<word_t>{1, 256}));
  EXPECT_EQ(retype(kCapUntyped, 2, 0, 0, 0, 18, 257).words, (std::vector<word_t>{1, 256}));
  EXPECT_EQ(retype(kCapUntyped, 2, 0, 0, 0, 4090, 10).words, (std::vector<word_t>{1, 6}));
  EXPECT_EQ(retype(kCapUntyped, 2, 0, 0, 0, 14, 2).label, err(Error::DeleteFirst));  // slot 15 in range
}

TEST_F(Retype, MemoryAndDeviceErrors) {
  Reply r = retype(kCapUntyped, static_cast<word_t>(ObjectType::LargePage), 0, 0, 0, 18, 1);
  EXPECT_EQ(r.label, err(Error::NotEnoughMemory));
  EXPECT_EQ(r.words, (std::vector<word_t>{word_t{1} << 20}));  // childless: the whole untyped is free
  r = retype(kCapDeviceUntyped, static_cast<word_t>(ObjectType::TCB), 0, 0, 0, 18, 1);
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, (std::vector<word_t>{1}));
  EXPECT_EQ(retype(kCapDeviceUntyped, static_cast<word_t>(ObjectType::SmallPage), 0, 0, 0, 18, 1).label, kOk);
  EXPECT_TRUE(w.cap(18).is_device);
  EXPECT_TRUE(w.s.objects.at(kDeviceUntyped).is_device);
  r = retype(kCapDeviceUntyped, static_cast<word_t>(ObjectType::SmallPage), 0, 0, 0, 19, 1);
  EXPECT_EQ(r.label, err(Error::NotEnoughMemory));  // has a child now: free_index counts
  EXPECT_EQ(r.words, (std::vector<word_t>{0}));
}

TEST_F(Retype, ObjectsGoBackToBackAlignedToTheirSize) {
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, 18, 1).label, kOk);
  EXPECT_EQ(w.cap(18), Cap::endpoint(kUntyped, 0, CapRights::all()));
  EXPECT_EQ(w.cap(kCapUntyped).free_index, 16u);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::TCB, 0, 19, 1).label, kOk);
  EXPECT_EQ(w.cap(19), Cap::thread(kUntyped + 2048));
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, 20, 3).label, kOk);
  for (word_t i = 0; i < 3; ++i) {
    EXPECT_EQ(w.cap(20 + i), Cap::notification(kUntyped + 4096 + 32 * i, 0, true, true));
    const Slot* sl = w.s.slot_at(root_slot(20 + i));
    EXPECT_TRUE(sl->revocable && sl->first_badged);
    EXPECT_EQ(sl->parent, root_slot(kCapUntyped));
  }
  EXPECT_EQ(w.cap(kCapUntyped).free_index, 4096u + 96);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::CapTable, 3, 23, 1).label, kOk);
  EXPECT_EQ(w.cap(23), Cap::cnode(kUntyped + 4352, 3, 0, 0));  // 256-byte aligned
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Untyped, 12, 24, 1).label, kOk);
  EXPECT_EQ(w.cap(24), Cap::untyped(kUntyped + 8192, 12, false, 0));
  Reply r = w.retype(kCapUntyped, ObjectType::SmallPage, 0, 25, 256);
  EXPECT_EQ(r.label, err(Error::NotEnoughMemory));
  EXPECT_EQ(r.words, (std::vector<word_t>{(word_t{1} << 20) - 12288}));
}

TEST_F(Retype, AChildlessUntypedStartsAgainFromItsBase) {
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::TCB, 0, 18, 2).label, kOk);
  ASSERT_EQ(w.revoke(kCapUntyped).label, kOk);
  EXPECT_TRUE(w.cap(18).is_null());
  EXPECT_EQ(w.s.objects.count(kUntyped), 0u);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, 18, 1).label, kOk);
  EXPECT_EQ(w.cap(18).ptr, kUntyped);
  EXPECT_EQ(w.cap(kCapUntyped).free_index, 16u);
}

TEST_F(Retype, ACopiedUntypedLeavesItsSourceFull) {
  ASSERT_EQ(w.copy(18, kCapUntyped).label, kOk);
  EXPECT_EQ(w.s.slot_at(root_slot(18))->parent, root_slot(kCapUntyped));
  EXPECT_TRUE(w.s.slot_at(root_slot(18))->revocable);
  ASSERT_EQ(w.retype(18, ObjectType::Endpoint, 0, 19, 1).label, kOk);  // the copy: childless, resets
  EXPECT_EQ(w.cap(19).ptr, kUntyped);
  Reply r = w.retype(kCapUntyped, ObjectType::Endpoint, 0, 20, 1);  // the source has a child
  EXPECT_EQ(r.label, err(Error::NotEnoughMemory));
  EXPECT_EQ(r.words, (std::vector<word_t>{0}));
}

}  // namespace
}  // namespace keel::spec::test
