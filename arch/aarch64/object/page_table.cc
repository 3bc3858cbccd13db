// PageTable_Map installs a table at the first missing level on the walk for vaddr, so one
// object type serves as level 1, 2 or 3; PageTable_Unmap needs the final cap and empties the
// table (seL4 vspace.c).
#include "arch/aarch64/object/page_table.h"

#include "arch/aarch64/object/vspace_checks.h"
#include "kernel/cap/mdb.h"
#include "kernel/object/create.h"

namespace keel {

namespace {

using arch::PtSlot;

struct PageTableMessage {
  const Invocation& inv;
  vaddr_t vaddr() const { return inv.mr(0); }  // MR1 (attributes) is read by nobody in seL4
};

struct MapTableOp {
  Cte* slot;
  Cap new_cap;
  arch::pte_t* pte;
};

Result<MapTableOp> decode_map(const Invocation& inv) {
  if (inv.length < 2 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const PageTableCap pt{inv.cap};
  if (pt.is_mapped()) return SyscallError::invalid_capability(0);  // seL4: table already mapped
  const vaddr_t vaddr = PageTableMessage{inv}.vaddr();
  const Cap vspace = inv.extra[0].cap;
  if (vspace.type() != CapType::VSpace || !VSpaceCap{vspace}.is_mapped())
    return SyscallError::invalid_capability(1);
  if (vaddr > kUserTop) return SyscallError::invalid_argument(0);
  const Result<paddr_t> root = arch::assigned_vspace_root(vspace);
  if (!root.ok()) return root.error;
  const PtSlot s = arch::lookup_pt_slot(root.value, vaddr);
  // seL4: every level is already present, or the slot holds a page or block
  if (s.bits_left == kPageBits || (*s.slot & arch::kPteValid) != 0)
    return SyscallError::of(Error::DeleteFirst);
  const word_t asid = VSpaceCap{vspace}.mapped_asid();
  return MapTableOp{inv.slot, pt.with_mapping(asid, round_down(vaddr, s.bits_left)), s.slot};
}

PerformStatus perform_map(const MapTableOp& op) {
  op.slot->cap = op.new_cap;
  arch::write_pte(op.pte, arch::make_table_pte(PageTableCap{op.new_cap}.ptr()));
  return PerformStatus::Done;
}

Result<Cte*> decode_unmap(const Invocation& inv) {
  if (!is_final_cap(inv.slot)) return SyscallError::of(Error::RevokeFirst);  // seL4: not the final cap
  return inv.slot;
}

// The table's entries are cleared, not unmapped one by one: what was mapped through it is now
// unreachable, and its frame caps keep stale mappings that later unmaps re-check.
PerformStatus perform_unmap(Cte* const& slot) {
  const PageTableCap pt{slot->cap};
  if (pt.is_mapped()) {
    arch::unmap_page_table(pt.mapped_asid(), pt.mapped_vaddr(), pt.ptr());
    zero_memory(pt.ptr(), word_t{1} << kPageTableBits);
  }
  slot->cap = pt.unmapped();
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_page_table(const Invocation& inv) {
  if (inv.op() == Label::ARMPageTableUnmap) return decode_then_perform(inv, decode_unmap, perform_unmap);
  if (inv.op() == Label::ARMPageTableMap) return decode_then_perform(inv, decode_map, perform_map);
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
