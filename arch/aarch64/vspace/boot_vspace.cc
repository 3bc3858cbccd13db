// Building and reading user page tables: the root task's address space at boot, lookups.
#include "arch/aarch64/object/asid.h"
#include "arch/aarch64/vspace/vspace.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/lib/kernel_window.h"

namespace keel::arch {

namespace {

pte_t* table_at(paddr_t p) { return ptr_from_paddr<pte_t>(p); }

// The table at `level` on the walk for vaddr, or 0 if the walk is incomplete.
paddr_t walk_to(paddr_t root, vaddr_t vaddr, unsigned level) {
  paddr_t table = root;
  for (unsigned l = 0; l < level; ++l) {
    const pte_t e = table_at(table)[pt_index(vaddr, l)];
    if (!pte_is_table(e)) return 0;
    table = pte_addr(e);
  }
  return table;
}

}  // namespace

void boot_map_page_table(paddr_t vspace_root, paddr_t pt, unsigned level, vaddr_t vaddr) {
  const paddr_t parent = walk_to(vspace_root, vaddr, level - 1);
  table_at(parent)[pt_index(vaddr, level - 1)] = make_table_pte(pt);
}

void boot_map_frame(paddr_t vspace_root, paddr_t frame, vaddr_t vaddr, VmRights rights, bool executable) {
  const paddr_t pt = walk_to(vspace_root, vaddr, kLevels - 1);
  const word_t attributes = kVmCacheable | (executable ? 0 : kVmExecuteNever);
  table_at(pt)[pt_index(vaddr, kLevels - 1)] =
      make_user_page_pte(frame, rights, attributes, FrameSize::Small);
}

paddr_t lookup_frame(paddr_t vspace_root, vaddr_t vaddr) {
  const PtSlot s = lookup_pt_slot(vspace_root, vaddr);
  if ((*s.slot & kPteValid) == 0 || pte_is_table(*s.slot)) return 0;
  return pte_addr(*s.slot) + (vaddr & mask_bits(s.bits_left) & ~mask_bits(kPageBits));
}

void boot_install_asid_pool(word_t index, paddr_t pool, word_t asid, paddr_t root) {
  for (paddr_t& p : g_asid_table) p = 0;  // a fresh boot owns no other pool
  g_asid_table[index] = pool;
  ptr_from_paddr<AsidPool>(pool)->vspace[asid & mask_bits(kAsidPoolIndexBits)] = root;
}

}  // namespace keel::arch
