// The page-table walk, PTEs, ASIDs and unmapping (seL4 vspace.c), shared by the invocations,
// finalisation and boot.
#include "arch/aarch64/vspace/vspace.h"

#include "arch/aarch64/object/asid.h"
#include "kernel/lib/kernel_window.h"
#include "kernel/lib/mutation.h"
#include "kernel/machine/machine.h"

namespace keel::arch {

namespace {

pte_t* table_at(paddr_t p) { return ptr_from_paddr<pte_t>(p); }

// seL4's AP field: RW → EL0/EL1 read-write, RO → read-only at both, kernel-only → EL1 only.
word_t access_permissions(VmRights rights) {
  switch (rights) {
    case VmRights::ReadWrite: return kPteApUser;
    case VmRights::ReadOnly: return kPteApUser | kPteApReadOnly;
    case VmRights::KernelOnly: return 0;
  }
  return 0;
}

}  // namespace

bool pte_is_page(pte_t e, unsigned bits_left) {
  const word_t type = e & 3;
  return bits_left == 12 ? type == (kPteValid | kPtePage) : type == kPteValid;
}

VmRights pte_rights(pte_t e) {
  if ((e & kPteApUser) == 0) return VmRights::KernelOnly;
  return (e & kPteApReadOnly) ? VmRights::ReadOnly : VmRights::ReadWrite;
}

PtSlot lookup_pt_slot(paddr_t root, vaddr_t va) {
  unsigned bits_left = level_shift(0);
  pte_t* slot = table_at(root) + pt_index(va, 0);
  for (unsigned level = 1; level < kLevels && pte_is_table(*slot); ++level) {
    bits_left = level_shift(level);
    slot = table_at(pte_addr(*slot)) + pt_index(va, level);
  }
  return PtSlot{slot, bits_left};
}

paddr_t find_vspace_for_asid(word_t asid) {
  const word_t pool = g_asid_table[(asid >> kAsidPoolIndexBits) & mask_bits(kNumAsidPoolsBits)];
  if (asid == 0 || (asid >> (kAsidPoolIndexBits + kNumAsidPoolsBits)) != 0 || pool == 0) return 0;
  return ptr_from_paddr<AsidPool>(pool)->vspace[asid & mask_bits(kAsidPoolIndexBits)];
}

pte_t make_user_page_pte(paddr_t frame, VmRights rights, word_t attributes, FrameSize size) {
  const word_t attr_index = (attributes & kVmCacheable) ? kAttrNormal : kAttrDeviceNgnrne;
  pte_t e = frame | kPteValid | (attr_index << kPteAttrShift) | kPteAf | kPteNg | access_permissions(rights);
  if (attributes & kVmExecuteNever) e |= kPteUxn;
  if (size == FrameSize::Small) e |= kPtePage | kPteSwPage;
  return e;
}

void write_pte(pte_t* slot, pte_t value) {
  *slot = value;
  machine::barrier();
}

void unmap_page(FrameSize size, word_t asid, vaddr_t va, paddr_t frame) {
  const paddr_t root = find_vspace_for_asid(asid);
  if (root == 0) return;
  const PtSlot s = lookup_pt_slot(root, va);
  if (s.bits_left != frame_size_bits(size) || !pte_is_page(*s.slot, s.bits_left)) return;
  if (pte_addr(*s.slot) != frame) return;
  write_pte(s.slot, 0);
  if (!mutant(Mutant::UnmapSkipsTlbFlush)) machine::invalidate_tlb_by_va(asid, va);
}

void unmap_page_table(word_t asid, vaddr_t va, paddr_t pt) {
  const paddr_t root = find_vspace_for_asid(asid);
  if (root == 0) return;
  pte_t* slot = table_at(root) + pt_index(va, 0);
  for (unsigned level = 1; level < kLevels; ++level) {
    if (!pte_is_table(*slot)) return;
    if (pte_addr(*slot) == pt) {
      write_pte(slot, 0);
      machine::invalidate_tlb_by_asid(asid);
      return;
    }
    slot = table_at(pte_addr(*slot)) + pt_index(va, level);
  }
}

void delete_asid(word_t asid, paddr_t root) {
  const paddr_t pool = g_asid_table[asid >> kAsidPoolIndexBits];
  if (pool == 0) return;
  paddr_t& entry = ptr_from_paddr<AsidPool>(pool)->vspace[asid & mask_bits(kAsidPoolIndexBits)];
  if (entry != root) return;
  machine::invalidate_tlb_by_asid(asid);
  entry = 0;
}

void delete_asid_pool(word_t asid_base, paddr_t pool) {
  paddr_t& slot = g_asid_table[asid_base >> kAsidPoolIndexBits];
  if (slot != pool) return;
  const AsidPool* p = ptr_from_paddr<AsidPool>(pool);
  for (word_t i = 0; i < (word_t{1} << kAsidPoolIndexBits); ++i) {
    if (p->vspace[i] != 0) machine::invalidate_tlb_by_asid(asid_base + i);
  }
  slot = 0;
}

}  // namespace keel::arch
