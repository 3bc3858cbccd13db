// The AArch64 VSpace (vspace.cc): every error of every invocation in seL4's order with its words,
// mapping at each page size and table level, ASID pools and assignment to exhaustion, and what
// deletion and revocation unmap, driven directly (invoke_arch_mmu) and through dispatch.
#include "cdt.h"
#include "invocation.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

using W = std::vector<word_t>;

// A 4 GiB untyped for the objects of these tests (enough for a 1 GiB frame and 510 VSpaces).
constexpr paddr_t kBig = 0x1'0000'0000;
constexpr cptr_t kBigUt = kFirstFree;
// Slots of the objects most tests use.
constexpr cptr_t kVs = 20, kPt1 = 21, kPt2 = 22, kPt3 = 23, kSmall = 30, kLarge = 31, kHuge = 32;
constexpr cptr_t kFree = 40;
// A user address whose index is 1 at every level.
constexpr word_t kVa = (word_t{1} << 39) | (word_t{1} << 30) | (word_t{1} << 21) | (word_t{1} << 12);
constexpr word_t kRW = 3, kRO = 2;  // seL4_CapRights words: read-write, read-only
constexpr word_t kAttrDefault = 3, kAttrXn = 4;

std::string first(const std::vector<std::string>& v) { return v.empty() ? "" : v.front(); }

struct VSpaceTest : ::testing::Test {
  World w;
  // Off for states forged to reach checks no sequence of invocations reaches, and inside long
  // loops (checked once afterwards).
  bool check = true;
  void SetUp() override {
    w.s.slots[root_slot(kBigUt)] = Slot{Cap::untyped(kBig, 32, false, 0), true, true, std::nullopt};
    make(ObjectType::VSpace, kVs);
    make(ObjectType::PageTable, kPt1, 3);
    make(ObjectType::SmallPage, kSmall);
    make(ObjectType::LargePage, kLarge);
    make(ObjectType::HugePage, kHuge);
  }

  void make(ObjectType t, cptr_t dest, word_t n = 1) {
    ASSERT_EQ(w.retype(kBigUt, t, 0, dest, n).label, kOk);
  }

  // One invocation of an arch cap in the root CNode, as a Call; an error must change nothing.
  Reply invoke(cptr_t cptr, Label label, const W& mrs, const std::vector<cptr_t>& extra = {}) {
    Invocation inv;
    inv.thread = kRootTcb, inv.label = static_cast<word_t>(label), inv.length = mrs.size(), inv.mrs = mrs;
    for (cptr_t c : extra) inv.extra_caps.push_back(root_slot(c));
    inv.cptr = cptr, inv.slot = root_slot(cptr), inv.cap = w.s.cap_at(inv.slot), inv.is_call = true;
    const State before = check ? w.s : State{};
    InvocationResult r = invoke_arch_mmu(w.s, inv);
    if (check) {
      EXPECT_EQ(first(check_invariants(w.s)), "");
    }
    Reply rep;
    if (const auto* e = std::get_if<SyscallError>(&r)) {
      if (check) {
        EXPECT_EQ(describe_difference(before, w.s), "") << "an error changed the state";
      }
      rep.label = static_cast<word_t>(e->type), rep.words = error_reply_words(*e);
    } else if (const auto* d = std::get_if<Done>(&r)) {
      rep.words = d->reply;
    } else {
      ADD_FAILURE() << "NotSpecified: " << std::get<NotSpecified>(r).what;
    }
    rep.length = rep.words.size();
    return rep;
  }

  Reply assign(cptr_t vs, cptr_t pool = kCapInitThreadASIDPool) {
    return invoke(pool, Label::ARMASIDPoolAssign, {}, {vs});
  }
  Reply pt_map(cptr_t pt, word_t va, cptr_t vs = kVs) {
    return invoke(pt, Label::ARMPageTableMap, {va, 0}, {vs});
  }
  Reply page_map(cptr_t f, word_t va, word_t rights = kRW, word_t attr = kAttrDefault, cptr_t vs = kVs) {
    return invoke(f, Label::ARMPageMap, {va, rights, attr}, {vs});
  }
  Reply make_pool(cptr_t ut, cptr_t dest) {
    return invoke(kCapASIDControl, Label::ARMASIDControlMakePool, {dest, 64}, {ut, kCapInitThreadCNode});
  }

  paddr_t ptr(cptr_t c) const { return w.cap(c).ptr; }
  const std::map<word_t, Pte>& ptes(cptr_t table) const { return w.s.objects.at(ptr(table)).ptes; }
  // The entry for kVa-like addresses: index 1 of a table, or none.
  std::optional<Pte> entry(cptr_t table, word_t index = 1) const {
    auto it = ptes(table).find(index);
    return it == ptes(table).end() ? std::nullopt : std::optional<Pte>(it->second);
  }
  // The VSpace in kVs with ASID 2, and page tables at as many levels below the root as asked.
  void assign_and_install(unsigned levels) {
    ASSERT_EQ(assign(kVs).label, kOk);
    for (unsigned i = 0; i < levels; ++i) ASSERT_EQ(pt_map(kPt1 + i, kVa).label, kOk);
  }
};

void expect_error(const Reply& r, Error e, const W& words = {}) {
  EXPECT_EQ(r.label, err(e));
  EXPECT_EQ(r.words, words);
}

// ---------------------------------------------------------------------------------------------
// Dispatch

TEST(VSpaceDispatch, ArchCapsAreSpecifiedThroughTheSyscallPath) {
  World w;
  for (cptr_t c : {kCapInitThreadVSpace, kCapASIDControl, kCapInitThreadASIDPool})
    EXPECT_NE(w.syscall(Syscall::Call, c, 48, {}).outcome, Outcome::NotSpecified) << c;
  EXPECT_NE(w.syscall(Syscall::Call, kCapInitThreadIPCBuffer, 41, {}).outcome, Outcome::NotSpecified);
}

TEST_F(VSpaceTest, ALabelOfAnotherCapTypeIsIllegal) {
  expect_error(invoke(kPt1, Label::ARMPageMap, {kVa, kRW, 0}, {kVs}), Error::IllegalOperation);
  expect_error(invoke(kVs, Label::ARMPageTableMap, {kVa, 0}, {kVs}), Error::IllegalOperation);
  expect_error(invoke(kSmall, Label::ARMPageTableMap, {kVa, 0}, {kVs}), Error::IllegalOperation);
  expect_error(invoke(kCapASIDControl, Label::ARMASIDPoolAssign, {}, {kVs}), Error::IllegalOperation);
  expect_error(invoke(kCapInitThreadASIDPool, Label::ARMASIDControlMakePool, {0, 0}, {kVs, kVs}),
               Error::IllegalOperation);
}

// ---------------------------------------------------------------------------------------------
// PageTable_Map

TEST_F(VSpaceTest, PageTableMapChecksInSeL4Order) {
  expect_error(pt_map(kPt1, kVa), Error::InvalidCapability, {1});  // VSpace not yet assigned
  ASSERT_EQ(assign(kVs).label, kOk);
  expect_error(invoke(kPt1, Label::ARMPageTableMap, {kVa}, {kVs}), Error::TruncatedMessage);
  expect_error(invoke(kPt1, Label::ARMPageTableMap, {kVa, 0}), Error::TruncatedMessage);
  expect_error(pt_map(kPt1, kVa, kSmall), Error::InvalidCapability, {1});
  expect_error(pt_map(kPt1, kUserTop + 1), Error::InvalidArgument, {0});
  ASSERT_EQ(pt_map(kPt1, kVa).label, kOk);
  expect_error(pt_map(kPt1, kUserTop + 1, kSmall), Error::InvalidCapability, {0});  // mapped comes first
  ASSERT_EQ(pt_map(kPt2, kVa).label, kOk);
  ASSERT_EQ(pt_map(kPt3, kVa).label, kOk);
  make(ObjectType::PageTable, kFree);
  expect_error(pt_map(kFree, kVa), Error::DeleteFirst);  // all three levels present
  ASSERT_EQ(pt_map(kFree, kUserTop).label, kOk);         // the last user address is fine
  EXPECT_EQ(w.cap(kFree).mapped, (Mapping{2, word_t{255} << 39}));
}

TEST_F(VSpaceTest, PageTableMapInstallsAtTheFirstMissingLevel) {
  ASSERT_EQ(assign(kVs).label, kOk);
  const word_t asid = 2;  // pool 0: ASID 1 is the root task's
  EXPECT_EQ(w.cap(kVs).mapped, (Mapping{asid, 0}));
  ASSERT_EQ(pt_map(kPt1, kVa + 0x123).label, kOk);  // an unaligned address is truncated
  EXPECT_EQ(w.cap(kPt1).mapped, (Mapping{asid, word_t{1} << 39}));
  EXPECT_EQ(entry(kVs), Pte::table(ptr(kPt1)));
  ASSERT_EQ(pt_map(kPt2, kVa).label, kOk);
  EXPECT_EQ(w.cap(kPt2).mapped, (Mapping{asid, (word_t{1} << 39) | (word_t{1} << 30)}));
  EXPECT_EQ(entry(kPt1), Pte::table(ptr(kPt2)));
  ASSERT_EQ(pt_map(kPt3, kVa).label, kOk);
  EXPECT_EQ(w.cap(kPt3).mapped, (Mapping{asid, kVa & ~mask_bits(21)}));
  EXPECT_EQ(entry(kPt2), Pte::table(ptr(kPt3)));
  EXPECT_TRUE(ptes(kPt3).empty());
  // Another address in the same 512 GiB: the walk stops one level down.
  make(ObjectType::PageTable, kFree);
  ASSERT_EQ(pt_map(kFree, word_t{1} << 39).label, kOk);
  EXPECT_EQ(w.cap(kFree).mapped, (Mapping{asid, word_t{1} << 39}));
  EXPECT_EQ(entry(kPt1, 0), Pte::table(ptr(kFree)));
}

TEST_F(VSpaceTest, PageTableMapOverABlockIsDeleteFirst) {
  assign_and_install(1);
  ASSERT_EQ(page_map(kHuge, kVa & ~mask_bits(30)).label, kOk);
  expect_error(pt_map(kPt2, kVa), Error::DeleteFirst);
}

TEST_F(VSpaceTest, VSpaceLookupErrors) {
  // A VSpace whose pool has gone: its ASID no longer resolves (InvalidRoot).
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, kFree, 1).label, kOk);
  ASSERT_EQ(make_pool(kFree, kFree + 1).label, kOk);  // pool 1: ASIDs 512..1023
  ASSERT_EQ(assign(kVs, kFree + 1).label, kOk);
  EXPECT_EQ(w.cap(kVs).mapped, (Mapping{512, 0}));
  ASSERT_EQ(w.del(kFree + 1).label, kOk);
  EXPECT_EQ(w.s.asid_table.count(1), 0u);
  expect_error(pt_map(kPt1, kVa), Error::FailedLookup, {0, 1});
  expect_error(page_map(kSmall, kVa), Error::FailedLookup, {0, 1});
  expect_error(invoke(kVs, Label::ARMVSpaceClean_Data, {kVa, kVa + 1}), Error::FailedLookup, {0, 1});
  expect_error(assign(kVs), Error::InvalidCapability, {1});  // still marked assigned
  // A new pool takes the same number; ASID 512 now names another VSpace.
  ASSERT_EQ(w.revoke(kFree).label, kOk);
  ASSERT_EQ(make_pool(kFree, kFree + 1).label, kOk);
  make(ObjectType::VSpace, kFree + 2);
  ASSERT_EQ(assign(kFree + 2, kFree + 1).label, kOk);
  EXPECT_EQ(w.cap(kFree + 2).mapped, (Mapping{512, 0}));
  expect_error(pt_map(kPt1, kVa), Error::InvalidCapability, {1});
  expect_error(page_map(kSmall, kVa), Error::InvalidCapability, {1});
  expect_error(invoke(kVs, Label::ARMVSpaceClean_Data, {kVa, kVa + 1}), Error::InvalidCapability, {0});
}

// ---------------------------------------------------------------------------------------------
// PageTable_Unmap

TEST_F(VSpaceTest, PageTableUnmapNeedsTheFinalCapThenZeroesTheTable) {
  assign_and_install(3);
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  ASSERT_EQ(w.copy(kFree, kPt2).label, kOk);  // a mapped table derives
  expect_error(invoke(kPt2, Label::ARMPageTableUnmap, {}), Error::RevokeFirst);
  ASSERT_EQ(w.del(kFree).label, kOk);
  ASSERT_EQ(invoke(kPt2, Label::ARMPageTableUnmap, {}).label, kOk);
  EXPECT_FALSE(w.cap(kPt2).mapped);
  EXPECT_FALSE(entry(kPt1));        // unlinked
  EXPECT_TRUE(ptes(kPt2).empty());  // zeroed: the link to kPt3 is gone
  EXPECT_EQ(entry(kPt3), Pte::page(ptr(kSmall), VmRights::ReadWrite, kAttrDefault));  // left as it was
  EXPECT_TRUE(w.cap(kPt3).mapped && w.cap(kSmall).mapped);                            // stale now
  // Unmapping an unmapped table only clears the flag; copying it is refused.
  ASSERT_EQ(invoke(kPt2, Label::ARMPageTableUnmap, {}).label, kOk);
  EXPECT_EQ(w.copy(kFree, kPt2).label, err(Error::IllegalOperation));
  // The stale frame cap unmaps nothing; the table can be mapped again.
  ASSERT_EQ(invoke(kSmall, Label::ARMPageUnmap, {}).label, kOk);
  EXPECT_TRUE(entry(kPt3));
  ASSERT_EQ(pt_map(kPt2, kVa).label, kOk);
  EXPECT_EQ(entry(kPt1), Pte::table(ptr(kPt2)));
}

// ---------------------------------------------------------------------------------------------
// Page_Map, Page_Unmap

TEST_F(VSpaceTest, PageMapChecksInSeL4Order) {
  expect_error(invoke(kSmall, Label::ARMPageMap, {kVa, kRW}, {kVs}), Error::TruncatedMessage);
  expect_error(invoke(kSmall, Label::ARMPageMap, {kVa, kRW, 0}), Error::TruncatedMessage);
  expect_error(page_map(kSmall, kVa, kRW, 0, kPt1), Error::InvalidCapability, {1});
  expect_error(page_map(kSmall, kVa), Error::InvalidCapability, {1});  // VSpace not assigned
  ASSERT_EQ(assign(kVs).label, kOk);
  expect_error(page_map(kSmall, kVa + 0x800), Error::AlignmentError);
  expect_error(page_map(kLarge, kVa), Error::AlignmentError);
  expect_error(page_map(kSmall, kUserTop + 1), Error::InvalidArgument, {0});
  expect_error(page_map(kHuge, kUserTop + 1 - (word_t{1} << 30)), Error::FailedLookup, {0, 2, 39});
  // The walk stops where a table is missing: bits left 39, 30, 21.
  expect_error(page_map(kSmall, kVa), Error::FailedLookup, {0, 2, 39});
  ASSERT_EQ(pt_map(kPt1, kVa).label, kOk);
  expect_error(page_map(kSmall, kVa), Error::FailedLookup, {0, 2, 30});
  ASSERT_EQ(pt_map(kPt2, kVa).label, kOk);
  expect_error(page_map(kSmall, kVa), Error::FailedLookup, {0, 2, 21});
  ASSERT_EQ(pt_map(kPt3, kVa).label, kOk);
  // A table where a block should go: the walk descends and stops lower than the frame's size.
  expect_error(page_map(kLarge, kVa & ~mask_bits(21)), Error::FailedLookup, {0, 2, 12});
  expect_error(page_map(kHuge, kVa & ~mask_bits(30)), Error::FailedLookup, {0, 2, 21});  // L2 entry 0
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  // A mapped cap: another ASID, then another address.
  make(ObjectType::VSpace, kFree);
  ASSERT_EQ(assign(kFree).label, kOk);
  expect_error(page_map(kSmall, kVa, kRW, 0, kFree), Error::InvalidCapability, {1});
  expect_error(page_map(kSmall, kVa + 0x1000), Error::InvalidArgument, {0});
}

TEST_F(VSpaceTest, MapRemapAndUnmapAtEachPageSize) {
  assign_and_install(1);  // root → kPt1 (L1)
  const word_t huge_va = kVa & ~mask_bits(30);
  ASSERT_EQ(page_map(kHuge, huge_va, kRO, kAttrDefault).label, kOk);
  EXPECT_EQ(w.cap(kHuge).mapped, (Mapping{2, huge_va}));
  EXPECT_EQ(entry(kPt1), Pte::page(ptr(kHuge), VmRights::ReadOnly, kAttrDefault));
  ASSERT_EQ(invoke(kHuge, Label::ARMPageUnmap, {}).label, kOk);
  EXPECT_FALSE(w.cap(kHuge).mapped);
  EXPECT_FALSE(entry(kPt1));

  ASSERT_EQ(pt_map(kPt2, kVa).label, kOk);  // L2
  const word_t large_va = kVa & ~mask_bits(21);
  ASSERT_EQ(page_map(kLarge, large_va, kRW, 0).label, kOk);
  EXPECT_EQ(entry(kPt2), Pte::page(ptr(kLarge), VmRights::ReadWrite, 0));
  EXPECT_FALSE(entry(kPt2)->cacheable);
  // Remap with the same cap at the same place: new rights and attributes, no UserTop check.
  ASSERT_EQ(page_map(kLarge, large_va, kRO, kAttrDefault | kAttrXn).label, kOk);
  EXPECT_EQ(entry(kPt2), Pte::page(ptr(kLarge), VmRights::ReadOnly, kAttrDefault | kAttrXn));
  EXPECT_TRUE(entry(kPt2)->execute_never && entry(kPt2)->cacheable);
  ASSERT_EQ(invoke(kLarge, Label::ARMPageUnmap, {}).label, kOk);
  EXPECT_FALSE(entry(kPt2));

  ASSERT_EQ(pt_map(kPt3, kVa).label, kOk);  // L3
  ASSERT_EQ(page_map(kSmall, kVa, 1 /* write only */).label, kOk);
  EXPECT_EQ(entry(kPt3), Pte::page(ptr(kSmall), VmRights::KernelOnly, kAttrDefault));
  EXPECT_EQ(w.cap(kSmall).vm_rights, VmRights::ReadWrite);  // the cap keeps its rights
  ASSERT_EQ(invoke(kSmall, Label::ARMPageUnmap, {}).label, kOk);
  EXPECT_FALSE(entry(kPt3));
  ASSERT_EQ(invoke(kSmall, Label::ARMPageUnmap, {}).label, kOk);  // unmapped: nothing to do
  EXPECT_EQ(invoke(kSmall, Label::ARMPageGetAddress, {}).words, (W{ptr(kSmall)}));
}

TEST_F(VSpaceTest, PageMapReplacesWhateverIsInTheSlot) {
  assign_and_install(3);
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  make(ObjectType::SmallPage, kFree);
  ASSERT_EQ(page_map(kFree, kVa, kRO).label, kOk);  // no DeleteFirst
  EXPECT_EQ(entry(kPt3), Pte::page(ptr(kFree), VmRights::ReadOnly, kAttrDefault));
  EXPECT_TRUE(w.cap(kSmall).mapped);    // stale
  ASSERT_EQ(w.del(kSmall).label, kOk);  // unmaps nothing: the entry maps another frame
  EXPECT_TRUE(entry(kPt3));
  // A copy of a mapped frame cap is unmapped and can map the frame a second time.
  ASSERT_EQ(w.copy(kFree + 1, kFree).label, kOk);
  EXPECT_FALSE(w.cap(kFree + 1).mapped);
  ASSERT_EQ(page_map(kFree + 1, kVa + 0x1000).label, kOk);
  EXPECT_EQ(entry(kPt3, 2), Pte::page(ptr(kFree), VmRights::ReadWrite, kAttrDefault));
}

// ---------------------------------------------------------------------------------------------
// Cache maintenance

TEST_F(VSpaceTest, PageFlushChecksInSeL4Order) {
  const Label clean = Label::ARMPageClean_Data, inval = Label::ARMPageInvalidate_Data;
  expect_error(invoke(kSmall, clean, {0}), Error::TruncatedMessage);
  expect_error(invoke(kSmall, clean, {0, 64}), Error::IllegalOperation);  // not mapped
  assign_and_install(3);
  ASSERT_EQ(page_map(kSmall, kVa, kRO).label, kOk);
  expect_error(invoke(kSmall, clean, {64, 64}), Error::InvalidArgument, {1});
  expect_error(invoke(kSmall, clean, {4096, 4097}), Error::InvalidArgument, {0});
  expect_error(invoke(kSmall, clean, {0, 4097}), Error::InvalidArgument, {0});
  for (Label l : {clean, Label::ARMPageCleanInvalidate_Data, Label::ARMPageUnify_Instruction})
    EXPECT_EQ(invoke(kSmall, l, {0, 4096}).label, kOk);
  EXPECT_EQ(invoke(kSmall, clean, {5, 6}).label, kOk);  // one byte: nothing done, still fine
  expect_error(invoke(kSmall, inval, {0, 64}), Error::IllegalOperation);  // a read-only mapping
  ASSERT_EQ(page_map(kSmall, kVa, kRW).label, kOk);
  EXPECT_EQ(invoke(kSmall, inval, {0, 64}).label, kOk);
  // A stale mapping (the entry now maps another frame).
  make(ObjectType::SmallPage, kFree);
  ASSERT_EQ(page_map(kFree, kVa).label, kOk);
  expect_error(invoke(kSmall, clean, {0, 64}), Error::InvalidCapability, {0});
  // The VSpace gone: its ASID no longer resolves.
  ASSERT_EQ(w.del(kVs).label, kOk);
  expect_error(invoke(kFree, clean, {0, 64}), Error::FailedLookup, {0, 1});
}

TEST_F(VSpaceTest, VSpaceFlushChecksInSeL4Order) {
  const Label clean = Label::ARMVSpaceClean_Data, inval = Label::ARMVSpaceInvalidate_Data;
  expect_error(invoke(kVs, Label::ARMPageMap, {0, 1}), Error::IllegalOperation);
  expect_error(invoke(kVs, clean, {0}), Error::TruncatedMessage);
  expect_error(invoke(kVs, clean, {kVa, kVa}), Error::InvalidArgument, {1});
  expect_error(invoke(kVs, clean, {kVa, kUserTop + 1}), Error::IllegalOperation);
  expect_error(invoke(kVs, clean, {kVa, kVa + 1}), Error::InvalidCapability, {0});  // not assigned
  assign_and_install(3);
  EXPECT_EQ(invoke(kVs, clean, {kVa, kUserTop}).label, kOk);  // nothing mapped at start: done
  ASSERT_EQ(page_map(kSmall, kVa, kRO).label, kOk);
  expect_error(invoke(kVs, clean, {kVa + 8, kVa + 0x1001}), Error::RangeError, {kVa + 8, kVa + 0xfff});
  for (Label l : {clean, Label::ARMVSpaceCleanInvalidate_Data, Label::ARMVSpaceUnify_Instruction})
    EXPECT_EQ(invoke(kVs, l, {kVa + 8, kVa + 0x1000}).label, kOk);
  expect_error(invoke(kVs, inval, {kVa, kVa + 64}), Error::IllegalOperation);
  ASSERT_EQ(page_map(kSmall, kVa, kRW).label, kOk);
  EXPECT_EQ(invoke(kVs, inval, {kVa, kVa + 64}).label, kOk);
  // A 2 MiB page: the range may span its 2 MiB, not more.
  const word_t large_va = (word_t{1} << 39) | (word_t{1} << 30) | (word_t{2} << 21);
  ASSERT_EQ(page_map(kLarge, large_va, kRW, 0).label, kOk);
  EXPECT_EQ(invoke(kVs, clean, {large_va + 8, large_va + 0x20'0000}).label, kOk);
  expect_error(invoke(kVs, clean, {large_va + 8, large_va + 0x20'0001}), Error::RangeError,
               {large_va + 8, large_va + 0x1f'ffff});
}

// ---------------------------------------------------------------------------------------------
// ASIDControl_MakePool

TEST_F(VSpaceTest, MakePoolChecksInSeL4Order) {
  constexpr cptr_t ut = kFree, dest = kFree + 1;
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, ut, 1).label, kOk);
  expect_error(invoke(kCapASIDControl, Label::ARMASIDControlMakePool, {dest}, {ut, kCapInitThreadCNode}),
               Error::TruncatedMessage);
  expect_error(invoke(kCapASIDControl, Label::ARMASIDControlMakePool, {dest, 64}, {ut}),
               Error::TruncatedMessage);
  expect_error(make_pool(kVs, dest), Error::InvalidCapability, {1});
  expect_error(make_pool(kBigUt, dest), Error::InvalidCapability, {1});             // not 4 KiB
  expect_error(make_pool(kCapDeviceUntyped, dest), Error::InvalidCapability, {1});  // device memory
  ASSERT_EQ(w.retype(ut, ObjectType::Endpoint, 0, dest, 1).label, kOk);
  expect_error(make_pool(ut, dest + 1), Error::RevokeFirst);
  ASSERT_EQ(w.revoke(ut).label, kOk);
  const auto make_at = [&](cptr_t cnode, word_t index, word_t depth) {
    return invoke(kCapASIDControl, Label::ARMASIDControlMakePool, {index, depth}, {ut, cnode});
  };
  expect_error(make_at(kVs, dest, 64), Error::FailedLookup, {0, 1});  // not a CNode: InvalidRoot
  expect_error(make_at(kCapInitThreadCNode, dest, 0), Error::RangeError, {1, 64});
  expect_error(make_at(kCapInitThreadCNode, dest, 65), Error::RangeError, {1, 64});
  expect_error(make_at(kCapInitThreadCNode, word_t{1} << 63, 64), Error::FailedLookup, {0, 4, 64, 0, 52});
  expect_error(make_pool(ut, kVs), Error::DeleteFirst);  // destination occupied

  ASSERT_EQ(make_pool(ut, dest).label, kOk);
  const paddr_t p = ptr(ut);
  EXPECT_EQ(w.cap(dest), Cap::asid_pool(p, 512));  // pool 1: pool 0 is the root task's
  const Slot* sl = w.s.slot_at(root_slot(dest));
  EXPECT_EQ(sl->parent, root_slot(ut));
  EXPECT_FALSE(sl->revocable);
  EXPECT_EQ(w.cap(ut).free_index, 4096u);
  EXPECT_EQ(w.s.asid_table.at(1), p);
  EXPECT_EQ(w.s.objects.at(p).kind, ObjectKind::AsidPool);
  // A copy of the pool cap is its sibling, not its child.
  ASSERT_EQ(w.copy(dest + 1, dest).label, kOk);
  EXPECT_EQ(w.s.slot_at(root_slot(dest + 1))->parent, root_slot(ut));
}

TEST_F(VSpaceTest, MakePoolUntilTheTableIsFull) {
  constexpr cptr_t uts = 100, pools = 300;
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, uts, 127).label, kOk);
  check = false;
  for (word_t i = 0; i < 127; ++i) ASSERT_EQ(make_pool(uts + i, pools + i).label, kOk) << i;
  check = true;
  EXPECT_EQ(first(check_invariants(w.s)), "");
  EXPECT_EQ(w.s.asid_table.size(), 128u);
  EXPECT_EQ(w.cap(pools + 126).asid_base, 127u << 9);
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, kFree, 1).label, kOk);
  expect_error(make_pool(kFree, kFree + 1), Error::DeleteFirst);
  // DeleteFirst for a full table comes before the untyped is looked at.
  expect_error(make_pool(kVs, kFree + 1), Error::DeleteFirst);
  // Deleting a pool's last cap frees its number; the lowest free number is taken next.
  ASSERT_EQ(w.del(pools + 4).label, kOk);  // pool 5
  EXPECT_EQ(w.s.asid_table.count(5), 0u);
  ASSERT_EQ(make_pool(kFree, kFree + 1).label, kOk);
  EXPECT_EQ(w.cap(kFree + 1).asid_base, 5u << 9);
  // Revoking the untypeds deletes every pool made from them.
  ASSERT_EQ(w.revoke(kBigUt).label, kOk);
  EXPECT_EQ(w.s.asid_table.size(), 1u);  // pool 0 stays
}

// ---------------------------------------------------------------------------------------------
// ASIDPool_Assign

TEST_F(VSpaceTest, AssignChecksInSeL4Order) {
  expect_error(invoke(kCapInitThreadASIDPool, Label::ARMASIDPoolAssign, {}), Error::TruncatedMessage);
  expect_error(assign(kPt1), Error::InvalidCapability, {1});
  expect_error(assign(kCapInitThreadVSpace), Error::InvalidCapability, {1});  // already assigned
  ASSERT_EQ(assign(kVs).label, kOk);                                          // no message needed at all
  EXPECT_EQ(w.cap(kVs).mapped, (Mapping{2, 0}));
  EXPECT_EQ(w.s.objects.at(kAsidPool).asid_entries.at(2), ptr(kVs));
  expect_error(assign(kVs), Error::InvalidCapability, {1});
  // A copy of an assigned VSpace cap is assigned too.
  ASSERT_EQ(w.copy(kFree, kVs).label, kOk);
  EXPECT_EQ(w.cap(kFree).mapped, (Mapping{2, 0}));

  // The last two checks need pool caps no sequence of invocations leaves behind.
  check = false;
  make(ObjectType::VSpace, kFree + 1);
  w.s.slots[root_slot(kFree + 2)] = Slot{Cap::asid_pool(kAsidPool, 512), false, false, std::nullopt};
  expect_error(assign(kFree + 1, kFree + 2), Error::FailedLookup, {0, 1});  // pool 1 is not in the table
  w.s.asid_table[1] = ptr(kBigUt);  // another pool (by address) serves pool number 1
  expect_error(assign(kFree + 1, kFree + 2), Error::InvalidCapability, {0});
}

TEST_F(VSpaceTest, AssignUntilThePoolIsFull) {
  constexpr cptr_t vss = 1000;
  for (word_t i = 0; i < 510; i += 255) make(ObjectType::VSpace, vss + i, 255);
  check = false;
  for (word_t i = 0; i < 510; ++i) ASSERT_EQ(assign(vss + i).label, kOk) << i;  // ASID 0 never, 1 is taken
  check = true;
  EXPECT_EQ(first(check_invariants(w.s)), "");
  EXPECT_EQ(w.cap(vss).mapped, (Mapping{2, 0}));
  EXPECT_EQ(w.cap(vss + 509).mapped, (Mapping{511, 0}));
  expect_error(assign(kVs), Error::DeleteFirst);
  // A freed ASID is handed out again.
  ASSERT_EQ(w.del(vss + 7).label, kOk);
  EXPECT_EQ(w.s.objects.at(kAsidPool).asid_entries.count(9), 0u);
  ASSERT_EQ(assign(kVs).label, kOk);
  EXPECT_EQ(w.cap(kVs).mapped, (Mapping{9, 0}));

  // A new pool has all 512.
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, kFree, 1).label, kOk);
  ASSERT_EQ(make_pool(kFree, kFree + 1).label, kOk);
  constexpr cptr_t more = 2000;
  for (word_t i = 0; i < 512; i += 256) make(ObjectType::VSpace, more + i, 256);
  check = false;
  for (word_t i = 0; i < 512; ++i) ASSERT_EQ(assign(more + i, kFree + 1).label, kOk) << i;
  check = true;
  EXPECT_EQ(first(check_invariants(w.s)), "");
  EXPECT_EQ(w.cap(more).mapped, (Mapping{512, 0}));
  EXPECT_EQ(w.cap(more + 511).mapped, (Mapping{1023, 0}));
  make(ObjectType::VSpace, kFree + 2);
  expect_error(assign(kFree + 2, kFree + 1), Error::DeleteFirst);
}

// ---------------------------------------------------------------------------------------------
// Finalisation

TEST_F(VSpaceTest, DeletingAnyMappedFrameCapUnmapsIt) {
  assign_and_install(3);
  ASSERT_EQ(w.copy(kFree, kSmall).label, kOk);
  ASSERT_EQ(page_map(kFree, kVa).label, kOk);  // the copy is mapped, the original is not
  ASSERT_EQ(w.del(kFree).label, kOk);          // not the final cap to the frame
  EXPECT_FALSE(entry(kPt3));
  // Moving a mapped cap keeps the mapping; deleting it from its new slot unmaps.
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  ASSERT_EQ(w.move(kFree, kSmall).label, kOk);
  EXPECT_EQ(w.cap(kFree).mapped, (Mapping{2, kVa}));
  ASSERT_EQ(w.del(kFree).label, kOk);
  EXPECT_FALSE(entry(kPt3));
}

TEST_F(VSpaceTest, TablesVSpacesAndPoolsGoWithTheirFinalCap) {
  assign_and_install(3);
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  ASSERT_EQ(w.copy(kFree, kPt3).label, kOk);
  ASSERT_EQ(w.del(kFree).label, kOk);  // not final: still installed
  EXPECT_EQ(entry(kPt2), Pte::table(ptr(kPt3)));
  ASSERT_EQ(w.del(kPt3).label, kOk);  // final: unlinked, contents not touched
  EXPECT_FALSE(entry(kPt2));
  EXPECT_TRUE(w.cap(kSmall).mapped);  // stale
  ASSERT_EQ(invoke(kSmall, Label::ARMPageUnmap, {}).label, kOk);

  ASSERT_EQ(w.copy(kFree, kVs).label, kOk);
  ASSERT_EQ(w.del(kVs).label, kOk);  // not final
  EXPECT_EQ(w.s.objects.at(kAsidPool).asid_entries.count(2), 1u);
  ASSERT_EQ(w.del(kFree).label, kOk);  // final: the ASID is free again
  EXPECT_EQ(w.s.objects.at(kAsidPool).asid_entries.count(2), 0u);
  make(ObjectType::VSpace, kFree);
  ASSERT_EQ(assign(kFree).label, kOk);
  EXPECT_EQ(w.cap(kFree).mapped, (Mapping{2, 0}));

  ASSERT_EQ(w.copy(kFree + 1, kCapInitThreadASIDPool).label, kOk);
  ASSERT_EQ(w.del(kCapInitThreadASIDPool).label, kOk);  // not final
  EXPECT_EQ(w.s.asid_table.count(0), 1u);
  ASSERT_EQ(w.del(kFree + 1).label, kOk);  // final: pool 0 leaves the table
  EXPECT_TRUE(w.s.asid_table.empty());
  // Its VSpaces keep their (now stale) ASIDs.
  EXPECT_EQ(w.cap(kFree).mapped, (Mapping{2, 0}));
  make(ObjectType::PageTable, kFree + 2);
  expect_error(pt_map(kFree + 2, kVa, kFree), Error::FailedLookup, {0, 1});
}

TEST_F(VSpaceTest, RevokingTheUntypedTakesEverything) {
  assign_and_install(3);
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, kFree, 1).label, kOk);
  ASSERT_EQ(make_pool(kFree, kFree + 1).label, kOk);
  ASSERT_EQ(w.revoke(kBigUt).label, kOk);
  EXPECT_EQ(first(check_invariants(w.s)), "");
  EXPECT_EQ(w.s.asid_table.size(), 1u);
  EXPECT_TRUE(w.s.objects.at(kAsidPool).asid_entries.count(2) == 0);
  for (cptr_t c : {kVs, kPt1, kPt2, kPt3, kSmall, kFree, kFree + 1}) EXPECT_TRUE(w.cap(c).is_null()) << c;
}

TEST_F(VSpaceTest, DerivingArchCaps) {
  EXPECT_EQ(w.copy(kFree, kPt1).label, err(Error::IllegalOperation));  // unmapped table
  EXPECT_EQ(w.copy(kFree, kVs).label, err(Error::IllegalOperation));   // unassigned VSpace
  ASSERT_EQ(w.copy(kFree, kCapASIDControl).label, kOk);
  ASSERT_EQ(w.copy(kFree + 1, kCapInitThreadASIDPool).label, kOk);
  EXPECT_EQ(w.cap(kFree + 1), w.cap(kCapInitThreadASIDPool));
}

// ---------------------------------------------------------------------------------------------
// Invariants

TEST_F(VSpaceTest, InvariantsCatchBrokenStates) {
  assign_and_install(3);
  ASSERT_EQ(page_map(kSmall, kVa).label, kOk);
  ASSERT_EQ(w.retype(kBigUt, ObjectType::Untyped, 12, kFree, 1).label, kOk);
  ASSERT_EQ(make_pool(kFree, kFree + 1).label, kOk);
  const State good = w.s;
  auto broken = [&](auto&& edit) {
    State s = good;
    edit(s);
    return !check_invariants(s).empty();
  };
  EXPECT_TRUE(broken([&](State& s) { s.objects.at(kAsidPool).asid_entries[0] = ptr(kVs); }));  // ASID 0
  EXPECT_TRUE(broken([&](State& s) { s.objects.at(kAsidPool).asid_entries[3] = ptr(kVs); }));  // twice
  EXPECT_TRUE(broken([&](State& s) { s.asid_table[1] = ptr(kVs); }));                          // not a pool
  EXPECT_TRUE(broken([&](State& s) { s.asid_table.erase(1); }));  // a live pool missing
  EXPECT_TRUE(broken([&](State& s) { s.asid_table.clear(); }));   // every live pool missing
  EXPECT_TRUE(broken([&](State& s) {                              // a page with no cap mapped there
    s.objects.at(ptr(kPt3)).ptes[2] = Pte::page(ptr(kSmall), VmRights::ReadWrite, 3);
  }));
  EXPECT_TRUE(broken([&](State& s) { s.objects.at(ptr(kPt1)).ptes[2] = Pte::table(ptr(kPt3)); }));  // twice
  EXPECT_TRUE(
      broken([&](State& s) { s.objects.at(ptr(kPt3)).ptes[2] = Pte::table(ptr(kPt1)); }));  // last level
  EXPECT_TRUE(broken([&](State& s) { s.slots.at(root_slot(kSmall)).cap.mapped = Mapping{0, kVa}; }));
  EXPECT_TRUE(broken([&](State& s) { s.objects.at(ptr(kSmall)).ptes[0] = Pte::table(ptr(kPt1)); }));
  // Stale caps are fine.
  EXPECT_FALSE(broken([&](State& s) { s.objects.at(ptr(kPt3)).ptes.clear(); }));
}

}  // namespace
}  // namespace keel::spec::test
