// VSpace invocations through the syscall path on the host: page tables at each level, pages of
// each size, remaps, ASID pools and assignment, and what deleting caps undoes (seL4 vspace.c;
// docs/sel4-facts/vspace.md).
#include <gtest/gtest.h>

#include "arch/aarch64/vspace/vspace.h"
#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/core/arch_hooks.h"

namespace keel {
namespace {

word_t err(Error e) { return static_cast<word_t>(e); }

class VSpaceTest : public ::testing::Test {
 protected:
  host::HostKernel k{host::HostConfig{.ram_size = 128u << 20}};
  word_t next_slot = 0;
  word_t untyped = 0;

  void SetUp() override {
    const BootInfo* bi = k.bootinfo();
    next_slot = bi->empty.start;
    for (word_t s = bi->untyped.start; s < bi->untyped.end; ++s) {
      const UntypedDesc& d = bi->untyped_list[s - bi->untyped.start];
      if (!d.is_device && d.size_bits >= 24) {
        untyped = s;
        break;
      }
    }
    ASSERT_NE(untyped, 0u);
  }

  // Retypes `n` objects into fresh slots; returns the first slot.
  word_t retype(ObjectType type, word_t size_bits = 0, word_t n = 1) {
    const word_t first = next_slot;
    const auto r = k.call(untyped, word_t(Label::UntypedRetype), {word_t(type), size_bits, 0, 0, first, n},
                          {kCapInitThreadCNode});
    EXPECT_EQ(r.label(), 0u);
    next_slot += n;
    return first;
  }
  host::SyscallResult call(cptr_t cap, Label l, std::initializer_list<word_t> mrs,
                           std::initializer_list<cptr_t> extra = {}) {
    return k.call(cap, word_t(l), mrs, extra);
  }
  const Cap& cap(word_t slot) {
    return ptr_from_paddr<Cte>(CNodeCap{k.root()->slot(kTcbCTable)->cap}.ptr())[slot].cap;
  }

  // A second VSpace with an ASID from the root task's pool.
  word_t new_vspace() {
    const word_t vs = retype(ObjectType::VSpace);
    EXPECT_EQ(call(kCapInitThreadASIDPool, Label::ARMASIDPoolAssign, {}, {vs}).label(), 0u);
    return vs;
  }
  void map_tables(word_t vs, vaddr_t va, unsigned levels) {
    for (unsigned i = 0; i < levels; ++i) {
      const word_t pt = retype(ObjectType::PageTable);
      EXPECT_EQ(call(pt, Label::ARMPageTableMap, {va, 3}, {vs}).label(), 0u);
    }
  }
  paddr_t mapped(word_t vs, vaddr_t va) { return arch::lookup_frame(VSpaceCap{cap(vs)}.ptr(), va); }
};

TEST_F(VSpaceTest, AssignGivesTheLowestFreeAsidAfterTheRootTasks) {
  const word_t vs = new_vspace();
  EXPECT_TRUE(VSpaceCap{cap(vs)}.is_mapped());
  EXPECT_EQ(VSpaceCap{cap(vs)}.mapped_asid(), 2u);
  // seL4: a VSpace that already has an ASID
  EXPECT_EQ(call(kCapInitThreadASIDPool, Label::ARMASIDPoolAssign, {}, {vs}).label(),
            err(Error::InvalidCapability));
  EXPECT_EQ(call(kCapInitThreadASIDPool, Label::ARMASIDPoolAssign, {}).label(), err(Error::TruncatedMessage));
}

TEST_F(VSpaceTest, MapsASmallPageThroughThreeTables) {
  const word_t vs = new_vspace(), frame = retype(ObjectType::SmallPage);
  const vaddr_t va = 0x10000000;
  auto r = call(frame, Label::ARMPageMap, {va, 3, 3}, {vs});
  EXPECT_EQ(r.label(), err(Error::FailedLookup));
  EXPECT_EQ(k.mr(2, r), 39u);  // seL4: bits left where the walk stopped (no level-1 table)
  map_tables(vs, va, 3);
  // seL4: every level present
  EXPECT_EQ(call(retype(ObjectType::PageTable), Label::ARMPageTableMap, {va, 3}, {vs}).label(),
            err(Error::DeleteFirst));
  EXPECT_EQ(call(frame, Label::ARMPageMap, {va, 3, 3}, {vs}).label(), 0u);
  EXPECT_EQ(mapped(vs, va), FrameCap{cap(frame)}.ptr());
  EXPECT_EQ(FrameCap{cap(frame)}.mapped_vaddr(), va);
  // A remap with the same cap is allowed at the same address only.
  EXPECT_EQ(call(frame, Label::ARMPageMap, {va, 1, 7}, {vs}).label(), 0u);
  EXPECT_EQ(call(frame, Label::ARMPageMap, {va + 0x1000, 3, 3}, {vs}).label(), err(Error::InvalidArgument));
  EXPECT_EQ(call(frame, Label::ARMPageUnmap, {}).label(), 0u);
  EXPECT_EQ(mapped(vs, va), 0u);
  EXPECT_FALSE(FrameCap{cap(frame)}.is_mapped());
}

TEST_F(VSpaceTest, PageMapChecksInSel4Order) {
  const word_t vs = new_vspace(), frame = retype(ObjectType::SmallPage), other = retype(ObjectType::VSpace);
  EXPECT_EQ(call(frame, Label::ARMPageMap, {0x1000, 3}, {vs}).label(), err(Error::TruncatedMessage));
  EXPECT_EQ(call(frame, Label::ARMPageMap, {0x1000, 3, 3}, {other}).label(), err(Error::InvalidCapability));
  EXPECT_EQ(call(frame, Label::ARMPageMap, {0x1001, 3, 3}, {vs}).label(), err(Error::AlignmentError));
  EXPECT_EQ(call(frame, Label::ARMPageMap, {0x800000000000, 3, 3}, {vs}).label(),
            err(Error::InvalidArgument));
  const word_t large = retype(ObjectType::LargePage);
  EXPECT_EQ(call(large, Label::ARMPageMap, {0x100000, 3, 3}, {vs}).label(), err(Error::AlignmentError));
}

TEST_F(VSpaceTest, LargeAndHugePagesNeedFewerTables) {
  const word_t vs = new_vspace();
  const word_t large = retype(ObjectType::LargePage);
  map_tables(vs, 0x40000000, 2);
  EXPECT_EQ(call(large, Label::ARMPageMap, {0x40200000, 3, 3}, {vs}).label(), 0u);
  EXPECT_EQ(mapped(vs, 0x40200000 + 0x5000), FrameCap{cap(large)}.ptr() + 0x5000);
  // A small page where the large one is: the walk stops at the block, 21 bits left.
  const word_t small = retype(ObjectType::SmallPage);
  const auto r = call(small, Label::ARMPageMap, {0x40200000, 3, 3}, {vs});
  EXPECT_EQ(r.label(), err(Error::FailedLookup));
  EXPECT_EQ(k.mr(2, r), 21u);
}

TEST_F(VSpaceTest, DeletingAFrameCopyUnmapsItAndFlushesItsTlbEntry) {
  const word_t vs = new_vspace(), frame = retype(ObjectType::SmallPage);
  map_tables(vs, 0x20000000, 3);
  ASSERT_EQ(call(frame, Label::ARMPageMap, {0x20000000, 3, 3}, {vs}).label(), 0u);
  k.machine().events.clear();
  EXPECT_EQ(call(kCapInitThreadCNode, Label::CNodeDelete, {frame, 64}).label(), 0u);
  EXPECT_EQ(mapped(vs, 0x20000000), 0u);
  ASSERT_FALSE(k.machine().events.empty());
  bool flushed = false;
  for (const auto& e : k.machine().events)
    flushed |= e.kind == host::MachineEvent::Kind::InvalidateVa && e.a == 2;
  EXPECT_TRUE(flushed);
}

TEST_F(VSpaceTest, DeletingTheVSpaceFreesItsAsid) {
  const word_t vs = new_vspace(), copy = next_slot++;
  ASSERT_EQ(
      call(kCapInitThreadCNode, Label::CNodeCopy, {copy, 64, vs, 64, 0xf}, {kCapInitThreadCNode}).label(),
      0u);
  EXPECT_EQ(call(kCapInitThreadCNode, Label::CNodeDelete, {vs, 64}).label(), 0u);
  // The copy is still an assigned VSpace cap, but its ASID no longer names it.
  const auto r = call(retype(ObjectType::SmallPage), Label::ARMPageMap, {0x1000, 3, 3}, {copy});
  EXPECT_EQ(r.label(), err(Error::FailedLookup));
  EXPECT_EQ(call(kCapInitThreadCNode, Label::CNodeDelete, {copy, 64}).label(), 0u);
  EXPECT_EQ(arch::find_vspace_for_asid(2), 0u);
  EXPECT_EQ(VSpaceCap{cap(new_vspace())}.mapped_asid(), 2u);  // reused
}

TEST_F(VSpaceTest, MakePoolUntilEveryPoolIsTakenThenRevokeFreesOne) {
  const word_t uts = retype(ObjectType::Untyped, 12, 128);
  word_t made = 0;
  for (word_t i = 0; i < 128; ++i) {
    const auto r =
        call(kCapASIDControl, Label::ARMASIDControlMakePool, {next_slot, 64}, {uts + i, kCapInitThreadCNode});
    if (r.label() != 0) {
      EXPECT_EQ(r.label(), err(Error::DeleteFirst));
      break;
    }
    ++next_slot;
    ++made;
  }
  EXPECT_EQ(made, 127u);  // the root task's pool is pool 0
  EXPECT_EQ(call(kCapInitThreadCNode, Label::CNodeRevoke, {uts, 64}).label(), 0u);
  EXPECT_EQ(
      call(kCapASIDControl, Label::ARMASIDControlMakePool, {next_slot, 64}, {uts + 127, kCapInitThreadCNode})
          .label(),
      0u);
}

TEST_F(VSpaceTest, MakePoolChecksTheUntyped) {
  const word_t big = retype(ObjectType::Untyped, 13);
  EXPECT_EQ(call(kCapASIDControl, Label::ARMASIDControlMakePool, {next_slot, 64}, {big, kCapInitThreadCNode})
                .label(),
            err(Error::InvalidCapability));
  EXPECT_EQ(call(kCapASIDControl, Label::ARMASIDControlMakePool, {next_slot, 64}, {big}).label(),
            err(Error::TruncatedMessage));
}

TEST_F(VSpaceTest, PageTableUnmapNeedsTheFinalCapAndEmptiesTheTable) {
  const word_t vs = new_vspace(), frame = retype(ObjectType::SmallPage);
  map_tables(vs, 0x30000000, 3);
  const word_t l3 = next_slot - 1;
  ASSERT_EQ(call(frame, Label::ARMPageMap, {0x30000000, 3, 3}, {vs}).label(), 0u);
  EXPECT_EQ(call(l3, Label::ARMPageTableUnmap, {}).label(), 0u);
  EXPECT_EQ(mapped(vs, 0x30000000), 0u);
  EXPECT_FALSE(PageTableCap{cap(l3)}.is_mapped());
  // The stale frame mapping unmaps without effect.
  EXPECT_EQ(call(frame, Label::ARMPageUnmap, {}).label(), 0u);
}

bool cache_maintained(host::HostMachine& m) {
  for (const auto& e : m.events) {
    if (e.kind == host::MachineEvent::Kind::Cache) return true;
  }
  return false;
}

TEST_F(VSpaceTest, PageFlushChecksInSel4Order) {
  const word_t vs = new_vspace(), frame = retype(ObjectType::SmallPage);
  EXPECT_EQ(call(frame, Label::ARMPageClean_Data, {0}).label(), err(Error::TruncatedMessage));
  EXPECT_EQ(call(frame, Label::ARMPageClean_Data, {0, 64}).label(),
            err(Error::IllegalOperation));  // unmapped
  map_tables(vs, 0x50000000, 3);
  ASSERT_EQ(call(frame, Label::ARMPageMap, {0x50000000, 1, 3}, {vs}).label(), 0u);  // read-only
  auto r = call(frame, Label::ARMPageClean_Data, {64, 64});
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(k.mr(0, r), 1u);
  r = call(frame, Label::ARMPageClean_Data, {0, 0x1001});
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(k.mr(0, r), 0u);
  EXPECT_EQ(call(frame, Label::ARMPageInvalidate_Data, {0, 64}).label(), err(Error::IllegalOperation));
  k.machine().events.clear();
  EXPECT_EQ(call(frame, Label::ARMPageUnify_Instruction, {0, 0x1000}).label(), 0u);
  EXPECT_TRUE(cache_maintained(k.machine()));
  k.machine().events.clear();
  EXPECT_EQ(call(frame, Label::ARMPageCleanInvalidate_Data, {8, 9}).label(), 0u);  // seL4: 1 byte, no work
  EXPECT_FALSE(cache_maintained(k.machine()));
}

TEST_F(VSpaceTest, VSpaceFlushFindsThePageAndStaysInsideIt) {
  const word_t vs = new_vspace(), frame = retype(ObjectType::SmallPage);
  EXPECT_EQ(call(vs, Label::ARMVSpaceClean_Data, {0, 0x800000000000}).label(), err(Error::IllegalOperation));
  EXPECT_EQ(call(vs, Label::ARMVSpaceClean_Data, {0x1000, 0x1000}).label(), err(Error::InvalidArgument));
  k.machine().events.clear();
  EXPECT_EQ(call(vs, Label::ARMVSpaceClean_Data, {0x60000000, 0x60000100}).label(), 0u);  // nothing mapped
  EXPECT_FALSE(cache_maintained(k.machine()));
  map_tables(vs, 0x60000000, 3);
  ASSERT_EQ(call(frame, Label::ARMPageMap, {0x60000000, 3, 3}, {vs}).label(), 0u);
  const auto r = call(vs, Label::ARMVSpaceClean_Data, {0x60000800, 0x60001800});
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(k.mr(0, r), 0x60000800u);
  EXPECT_EQ(k.mr(1, r), 0x60000fffu);
  EXPECT_EQ(call(vs, Label::ARMVSpaceCleanInvalidate_Data, {0x60000800, 0x60001000}).label(), 0u);
  EXPECT_TRUE(cache_maintained(k.machine()));
  EXPECT_EQ(call(vs, Label::ARMPageMap, {0, 0}).label(), err(Error::IllegalOperation));  // not a VSpace label
}

}  // namespace
}  // namespace keel
