// Frame cap invocations (seL4 decodeARMFrameInvocation): Map (a remap with the same cap
// changes rights or attributes), Unmap, GetAddress; cache maintenance in cache_maintenance.cc.
#include "arch/aarch64/object/frame.h"

#include "arch/aarch64/object/arch_cap_algebra.h"
#include "arch/aarch64/object/cache_maintenance.h"
#include "arch/aarch64/object/vspace_checks.h"
#include "kernel/core/message.h"
#include "kernel/lib/mutation.h"

namespace keel {

namespace {

struct PageMapMessage {
  const Invocation& inv;
  vaddr_t vaddr() const { return inv.mr(0); }
  CapRights rights() const { return CapRights::from_word(inv.mr(1)); }
  word_t attributes() const { return inv.mr(2); }
};

struct MapPageOp {
  Cte* slot;
  Cap new_cap;
  arch::pte_t* pte;
  arch::pte_t value;
};

// seL4: a mapped cap may only be mapped again at the same place (a remap); a new mapping must
// end at or below seL4_UserTop.
SyscallError check_map_target(FrameCap frame, word_t asid, vaddr_t vaddr) {
  if (frame.is_mapped()) {
    if (frame.mapped_asid() != asid) return SyscallError::invalid_capability(1);
    if (frame.mapped_vaddr() != vaddr) return SyscallError::invalid_argument(0);
    return SyscallError{};
  }
  if (vaddr + mask_bits(frame_size_bits(frame.size())) > kUserTop && !mutant(Mutant::MapSkipsUserTopCheck))
    return SyscallError::invalid_argument(0);
  return SyscallError{};
}

Result<MapPageOp> decode_map(const Invocation& inv) {
  if (inv.length < 3 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const PageMapMessage msg{inv};
  const FrameCap frame{inv.cap};
  const Result<paddr_t> root = arch::assigned_vspace_root(inv.extra[0].cap);
  if (!root.ok()) return root.error;
  const unsigned bits = frame_size_bits(frame.size());
  if (!is_aligned(msg.vaddr(), bits)) return SyscallError::of(Error::AlignmentError);
  const word_t asid = VSpaceCap{inv.extra[0].cap}.mapped_asid();
  const SyscallError target = check_map_target(frame, asid, msg.vaddr());
  if (target.type != Error::NoError) return target;
  const arch::PtSlot s = arch::lookup_pt_slot(root.value, msg.vaddr());
  if (s.bits_left != bits) {  // seL4: a table is missing (or one sits where the page would go)
    return SyscallError::failed_lookup(
        false, LookupFault{.type = LookupFailureType::MissingCapability, .bits_left = s.bits_left});
  }
  const VmRights rights = mask_vm_rights(frame.rights(), msg.rights());
  return MapPageOp{inv.slot, frame.with_mapping(asid, msg.vaddr()), s.slot,
                   arch::make_user_page_pte(frame.ptr(), rights, msg.attributes(), frame.size())};
}

// seL4 replaces whatever the slot held (there is no occupancy check) and flushes the old entry.
PerformStatus perform_map(const MapPageOp& op) {
  const bool was_valid = (*op.pte & arch::kPteValid) != 0;
  op.slot->cap = op.new_cap;
  arch::write_pte(op.pte, op.value);
  const FrameCap frame{op.new_cap};
  if (was_valid) machine::invalidate_tlb_by_va(frame.mapped_asid(), frame.mapped_vaddr());
  return PerformStatus::Done;
}

Result<Cte*> decode_unmap(const Invocation& inv) { return inv.slot; }

PerformStatus perform_unmap(Cte* const& slot) {
  const FrameCap frame{slot->cap};
  if (frame.is_mapped())
    arch::unmap_page(frame.size(), frame.mapped_asid(), frame.mapped_vaddr(), frame.ptr());
  slot->cap = frame.unmapped();
  return PerformStatus::Done;
}

struct GetAddressOp {
  paddr_t paddr;
  Tcb* caller;
  bool is_call;
};

Result<GetAddressOp> decode_get_address(const Invocation& inv) {
  return GetAddressOp{FrameCap{inv.cap}.ptr(), inv.thread, inv.is_call};
}

PerformStatus perform_get_address(const GetAddressOp& op) {
  reply_from_perform(op.caller, op.is_call, &op.paddr, 1);
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_frame(const Invocation& inv) {
  const Label label = inv.op();
  if (label == Label::ARMPageMap) return decode_then_perform(inv, decode_map, perform_map);
  if (label == Label::ARMPageUnmap) return decode_then_perform(inv, decode_unmap, perform_unmap);
  if (label == Label::ARMPageGetAddress)
    return decode_then_perform(inv, decode_get_address, perform_get_address);
  if (is_page_flush_label(label)) return invoke_page_flush(inv);
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
