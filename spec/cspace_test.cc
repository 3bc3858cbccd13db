// CSpace lookups: guards, multi-level CNodes and every failure kind with its words.
#include "cspace.h"

#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr paddr_t kTop = 0x1000'0000;  // radix 8, no guard: the top 8 bits of a 64-bit CPtr
constexpr paddr_t kL2 = 0x2000'0000;   // radix 4, guard 0xA of size 4

// Root: kTop; kTop[20] = L2 cap (guard 0xA/4); L2[5] = endpoint; kTop[7] = endpoint.
struct TwoLevel : ::testing::Test {
  State s;
  Cap top = Cap::cnode(kTop, 8, 0, 0);
  Cap l2 = Cap::cnode(kL2, 4, 4, 0xA);
  Cap ep = Cap::endpoint(0x3000'0000, 0, CapRights::all());
  void SetUp() override {
    s.objects[kTop] = Object{ObjectKind::CNode, 8 + kSlotBits, false, 8, {}};
    s.objects[kL2] = Object{ObjectKind::CNode, 4 + kSlotBits, false, 4, {}};
    s.objects[0x3000'0000] = Object{ObjectKind::Endpoint, kEndpointBits, false, 0, {}};
    s.slots[SlotRef{kTop, 20}] = Slot{l2, true, true, {}};
    s.slots[SlotRef{kL2, 5}] = Slot{ep, true, true, {}};
    s.slots[SlotRef{kTop, 7}] = Slot{ep, false, false, SlotRef{kL2, 5}};
  }
  // The 16-bit address of L2[5]: top index 20, guard 0xA, index 5.
  static constexpr cptr_t kL2Slot5 = 20 << 8 | 0xA << 4 | 5;
};

TEST_F(TwoLevel, ExactDepthReachesSecondLevel) {
  auto r = resolve_address_bits(s, top, kL2Slot5, 16);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), (ResolveResult{SlotRef{kL2, 5}, 0}));
}

TEST_F(TwoLevel, DepthEightStopsAtTheCNodeCapItself) {
  auto r = resolve_address_bits(s, top, 20, 8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), (ResolveResult{SlotRef{kTop, 20}, 0}));
}

TEST_F(TwoLevel, FullDepthStopsAtNonCNodeWithBitsLeft) {
  auto r = resolve_address_bits(s, top, kL2Slot5 << 48, 64);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), (ResolveResult{SlotRef{kL2, 5}, 48}));
  // An empty slot at the first level also ends the walk.
  auto e = resolve_address_bits(s, top, cptr_t{21} << 56, 64);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value(), (ResolveResult{SlotRef{kTop, 21}, 56}));
}

TEST_F(TwoLevel, GuardMismatchReportsTheCapsGuard) {
  auto r = resolve_address_bits(s, top, 20 << 8 | 0xB << 4 | 5, 16);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), LookupFault::guard_mismatch(8, 0xA, 4));
}

TEST_F(TwoLevel, GuardLongerThanTheBitsLeftIsAGuardMismatch) {
  auto r = resolve_address_bits(s, top, 20 << 2 | 2, 10);  // 2 bits left for a 4-bit guard
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), LookupFault::guard_mismatch(2, 0xA, 4));
}

TEST_F(TwoLevel, LevelLongerThanTheBitsLeftIsADepthMismatch) {
  auto r = resolve_address_bits(s, top, 20 << 4 | 0xA, 12);  // guard fits, radix does not
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), LookupFault::depth_mismatch(4, 8));
  auto first = resolve_address_bits(s, top, 1, 4);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error(), LookupFault::depth_mismatch(4, 8));
}

TEST_F(TwoLevel, NonCNodeRootIsInvalidRoot) {
  auto r = resolve_address_bits(s, ep, 0, 64);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), LookupFault::invalid_root());
}

TEST_F(TwoLevel, CNodeOpLookupChecksRootThenDepthThenWalk) {
  // seL4 lookupSlotForCNodeOp: a non-CNode root fails before the depth is looked at
  auto root = lookup_source_slot(s, ep, 0, 0);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.error(), SyscallError::failed_lookup(true, LookupFault::invalid_root()));
  for (word_t depth : {word_t{0}, word_t{65}}) {
    auto r = lookup_target_slot(s, top, 0, depth);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), SyscallError::range(1, 64));
  }
  auto g = lookup_pivot_slot(s, top, 20 << 8 | 0xB << 4 | 5, 16);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error(), SyscallError::failed_lookup(true, LookupFault::guard_mismatch(8, 0xA, 4)));
}

TEST_F(TwoLevel, CNodeOpLookupStoppingEarlyIsDepthMismatchWithNothingFound) {
  auto r = lookup_target_slot(s, top, kL2Slot5 << 48, 64);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), SyscallError::failed_lookup(false, LookupFault::depth_mismatch(48, 0)));
  auto ok = lookup_target_slot(s, top, kL2Slot5, 16);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), (SlotRef{kL2, 5}));
}

TEST(RootCNode, OneLevelWithA52BitGuard) {
  State s = boot_state();
  const Cap root = s.cap_at(root_slot(kCapInitThreadCNode));
  auto r = resolve_address_bits(s, root, 16, 64);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), (ResolveResult{root_slot(16), 0}));
  // Any of the top 52 bits set breaks the (zero) guard.
  auto bad = resolve_address_bits(s, root, cptr_t{1} << 63 | 16, 64);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), LookupFault::guard_mismatch(64, 0, 52));
  auto shallow = resolve_address_bits(s, root, 16, 32);
  ASSERT_FALSE(shallow.ok());
  EXPECT_EQ(shallow.error(), LookupFault::guard_mismatch(32, 0, 52));
  // lookup_slot always walks 64 bits from the thread's CSpace root (TCB slot 0).
  auto t = lookup_slot(s, kRootTcb, kCapSMC);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value(), root_slot(kCapSMC));
}

}  // namespace
}  // namespace keel::spec::test
