// VSPC00xx: virtual memory through the real ABI: page tables installed where the walk ends,
// small and large pages written and read through new mappings, remaps, a second VSpace with an
// ASID from a new pool, and revoking everything (which unmaps it).
#include "framework.h"

namespace systest {
namespace {

constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_CPtr kVSpace = seL4_CapInitThreadVSpace;
constexpr unsigned kScratchBits = 23;  // 8 MiB: room for a 2 MiB page at its alignment

// Fresh addresses in the root task's own VSpace, far from its image (0x400000).
constexpr seL4_Word kSmallVa = 0x10000000, kLargeVa = 0x20000000, kCopyVa = 0x10001000;

struct Scratch {
  seL4_CPtr parent = 0, ut = 0, next = 0;
};

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want = seL4_NoError) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

seL4_CPtr ram_untyped(const seL4_BootInfo* bi, unsigned bits) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= bits) return bi->untyped.start + i;
  }
  return 0;
}

// An 8 MiB untyped carved from a boot untyped; every object of a case comes from it.
Scratch scratch(Test& t) {
  Scratch s{ram_untyped(t.bi(), kScratchBits), t.bi()->empty.start, t.bi()->empty.start + 1};
  if (!t.expect(s.parent != 0, "no 8 MiB RAM untyped")) return {};
  ok(t, "Retype scratch",
     seL4_Untyped_Retype(s.parent, seL4_UntypedObject, kScratchBits, kRoot, 0, 0, s.ut, 1));
  return s;
}

seL4_CPtr make(Test& t, Scratch& s, seL4_Word type) {
  ok(t, "Retype", seL4_Untyped_Retype(s.ut, type, 0, kRoot, 0, 0, s.next, 1));
  return s.next++;
}

// Revoking the boot untyped deletes every cap made from it, and so unmaps every mapping.
void release(Test& t, const Scratch& s) { ok(t, "Revoke", seL4_CNode_Revoke(kRoot, s.parent, kDepth)); }

volatile seL4_Word* at(seL4_Word va) { return reinterpret_cast<volatile seL4_Word*>(va); }

void small_page_needs_a_level3_table(Test& t) {
  Scratch s = scratch(t);
  const seL4_CPtr frame = make(t, s, seL4_ARM_SmallPageObject);
  ok(t, "Page_Map without a table",
     seL4_ARM_Page_Map(frame, kVSpace, kSmallVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes),
     seL4_FailedLookup);
  t.expect_eq("bits left", seL4_GetMR(2), 21);  // the 2 MiB region has no level-3 table
  const seL4_CPtr pt = make(t, s, seL4_ARM_PageTableObject);
  ok(t, "PageTable_Map", seL4_ARM_PageTable_Map(pt, kVSpace, kSmallVa, seL4_ARM_Default_VMAttributes));
  ok(t, "PageTable_Map again",
     seL4_ARM_PageTable_Map(make(t, s, seL4_ARM_PageTableObject), kVSpace, kSmallVa,
                            seL4_ARM_Default_VMAttributes),
     seL4_DeleteFirst);
  ok(t, "Page_Map",
     seL4_ARM_Page_Map(frame, kVSpace, kSmallVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes));
  t.expect_eq("new page reads as zero", *at(kSmallVa + 8), 0);
  *at(kSmallVa + 8) = 0x5eed;
  t.expect_eq("written word", *at(kSmallVa + 8), 0x5eed);
  ok(t, "Page_Unify_Instruction", seL4_ARM_Page_Unify_Instruction(frame, 0, 0x1000));
  ok(t, "VSpace_CleanInvalidate_Data",
     seL4_ARM_VSpace_CleanInvalidate_Data(kVSpace, kSmallVa, kSmallVa + 0x100));
  ok(t, "VSpace flush across pages", seL4_ARM_VSpace_Clean_Data(kVSpace, kSmallVa + 0x800, kSmallVa + 0x1800),
     seL4_RangeError);
  t.expect_eq("still there", *at(kSmallVa + 8), 0x5eed);
  release(t, s);
}

void a_copy_maps_the_same_frame_twice(Test& t) {
  Scratch s = scratch(t);
  const seL4_CPtr frame = make(t, s, seL4_ARM_SmallPageObject), copy = s.next++;
  ok(t, "PageTable_Map",
     seL4_ARM_PageTable_Map(make(t, s, seL4_ARM_PageTableObject), kVSpace, kSmallVa,
                            seL4_ARM_Default_VMAttributes));
  ok(t, "Page_Map",
     seL4_ARM_Page_Map(frame, kVSpace, kSmallVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes));
  ok(t, "Page_Map elsewhere with the same cap",
     seL4_ARM_Page_Map(frame, kVSpace, kCopyVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes),
     seL4_InvalidArgument);
  ok(t, "Copy", seL4_CNode_Copy(kRoot, copy, kDepth, kRoot, frame, kDepth, seL4_AllRights));
  ok(t, "Page_Map copy",
     seL4_ARM_Page_Map(copy, kVSpace, kCopyVa, seL4_CanRead, seL4_ARM_Default_VMAttributes));
  *at(kSmallVa) = 0xabcd;
  t.expect_eq("read through the read-only copy", *at(kCopyVa), 0xabcd);
  // A remap with the same cap at the same address changes the rights and keeps the contents.
  ok(t, "remap read-only",
     seL4_ARM_Page_Map(frame, kVSpace, kSmallVa, seL4_CanRead, seL4_ARM_Default_VMAttributes));
  t.expect_eq("after remap", *at(kSmallVa), 0xabcd);
  ok(t, "Page_Unmap copy", seL4_ARM_Page_Unmap(copy));
  ok(t, "Page_Unmap copy again", seL4_ARM_Page_Unmap(copy));
  release(t, s);
}

void large_page_maps_at_level2(Test& t) {
  Scratch s = scratch(t);
  const seL4_CPtr large = make(t, s, seL4_ARM_LargePageObject);
  ok(t, "unaligned",
     seL4_ARM_Page_Map(large, kVSpace, kLargeVa + 0x1000, seL4_ReadWrite, seL4_ARM_Default_VMAttributes),
     seL4_AlignmentError);
  ok(t, "Page_Map 2 MiB",
     seL4_ARM_Page_Map(large, kVSpace, kLargeVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes));
  for (seL4_Word off = 0; off < (seL4_Word{1} << 21); off += 0x40000) *at(kLargeVa + off) = off + 1;
  bool all = true;
  for (seL4_Word off = 0; off < (seL4_Word{1} << 21); off += 0x40000) all &= *at(kLargeVa + off) == off + 1;
  t.expect(all, "a word written through the large page did not read back");
  const seL4_ARM_Page_GetAddress_t a = seL4_ARM_Page_GetAddress(large);
  t.expect((a.paddr & ((seL4_Word{1} << 21) - 1)) == 0, "large page at 0x%lx is not 2 MiB aligned", a.paddr);
  ok(t, "Page_Unmap", seL4_ARM_Page_Unmap(large));
  release(t, s);
}

void second_vspace_from_a_new_pool(Test& t) {
  Scratch s = scratch(t);
  const seL4_CPtr pool_ut = s.next++, pool = s.next++;
  ok(t, "Retype 4 KiB untyped", seL4_Untyped_Retype(s.ut, seL4_UntypedObject, 12, kRoot, 0, 0, pool_ut, 1));
  ok(t, "MakePool", seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut, kRoot, pool, kDepth));
  ok(t, "MakePool from a used untyped",
     seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut, kRoot, s.next, kDepth), seL4_RevokeFirst);
  const seL4_CPtr vs = make(t, s, seL4_ARM_VSpaceObject), frame = make(t, s, seL4_ARM_SmallPageObject);
  ok(t, "Page_Map into an unassigned VSpace",
     seL4_ARM_Page_Map(frame, vs, kSmallVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes),
     seL4_InvalidCapability);
  ok(t, "Assign", seL4_ARM_ASIDPool_Assign(pool, vs));
  ok(t, "Assign twice", seL4_ARM_ASIDPool_Assign(pool, vs), seL4_InvalidCapability);
  for (int level = 1; level <= 3; ++level) {
    ok(t, "PageTable_Map",
       seL4_ARM_PageTable_Map(make(t, s, seL4_ARM_PageTableObject), vs, kSmallVa,
                              seL4_ARM_Default_VMAttributes));
  }
  ok(t, "Page_Map", seL4_ARM_Page_Map(frame, vs, kSmallVa, seL4_ReadWrite, seL4_ARM_Default_VMAttributes));
  release(t, s);  // deletes the pool, the VSpace (its ASID) and the mappings
  // The pool number is free again: a new pool takes it (the lowest free one).
  Scratch again = scratch(t);
  const seL4_CPtr ut2 = again.next++;
  ok(t, "Retype 4 KiB untyped", seL4_Untyped_Retype(again.ut, seL4_UntypedObject, 12, kRoot, 0, 0, ut2, 1));
  ok(t, "MakePool again", seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ut2, kRoot, again.next, kDepth));
  release(t, again);
}

const TestCase kCases[] = {
    {"VSPC0001 a small page needs a level-3 table; it reads as zero and keeps what is written",
     small_page_needs_a_level3_table},
    {"VSPC0002 a copy maps the same frame elsewhere; remaps change rights only",
     a_copy_maps_the_same_frame_twice},
    {"VSPC0003 a 2 MiB page maps at level 2 and is usable throughout", large_page_maps_at_level2},
    {"VSPC0004 a second VSpace gets an ASID from a new pool; revoke frees both",
     second_vspace_from_a_new_pool},
};

}  // namespace

Suite vspace_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
