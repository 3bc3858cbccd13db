// User address spaces on AArch64 (seL4 vspace.c): the page-table walk, PTE construction, ASID
// lookup, and the unmap operations that finalisation and the invocations share. Every unmap
// re-walks the live tables and compares physical addresses, so a stale cap can never remove a
// mapping that is not its own.
#pragma once

#include "arch/aarch64/object/asid.h"
#include "arch/aarch64/vspace/pte.h"
#include "kernel/cap/cap.h"

namespace keel::arch {

// seL4 lookupPTSlot: walks from the root through table entries, stopping at the first entry
// that is not a table or at the last level. bits_left is 39, 30, 21 or 12: the size (log2) of
// the region the returned slot covers.
struct PtSlot {
  pte_t* slot;
  unsigned bits_left;
};
PtSlot lookup_pt_slot(paddr_t root, vaddr_t va);

// seL4 makeUserPagePTE: a page (4 KiB, level 3) or block (2 MiB / 1 GiB) descriptor.
// Attributes are the seL4_ARM_VMAttributes word: bit 0 cacheable, bit 2 execute-never.
pte_t make_user_page_pte(paddr_t frame, VmRights rights, word_t attributes, FrameSize size);
inline constexpr word_t kVmCacheable = 1, kVmExecuteNever = 4;

// Whether `e`, found by the walk with `bits_left`, maps a page or block (not a table, not invalid).
bool pte_is_page(pte_t e, unsigned bits_left);
// The rights a page descriptor grants (seL4 vmRightsFromPTE).
VmRights pte_rights(pte_t e);

// Writes a descriptor and makes it visible to the table walker.
void write_pte(pte_t* slot, pte_t value);

void unmap_page(FrameSize size, word_t asid, vaddr_t va, paddr_t frame);
void unmap_page_table(word_t asid, vaddr_t va, paddr_t pt);
void delete_asid(word_t asid, paddr_t root);
void delete_asid_pool(word_t asid_base, paddr_t pool);

}  // namespace keel::arch
