// Cache maintenance through frame and VSpace caps. The work is done on the kernel window's
// view of the same physical memory: the data cache is physically tagged, and `ic ivau`
// invalidates every alias of a line. Invalidate_Data is done as clean-and-invalidate, which
// never loses data a user could have relied on (docs/decisions.md).
#include "arch/aarch64/object/cache_maintenance.h"

#include "arch/aarch64/object/vspace_checks.h"
#include "kernel/lib/kernel_window.h"

namespace keel {

namespace {

enum class FlushKind { Clean, Invalidate, CleanInvalidate, Unify };

struct FlushOp {
  FlushKind kind;
  paddr_t start;
  word_t size;  // bytes; seL4 does nothing for a 1-byte range
};

struct FlushMessage {
  const Invocation& inv;
  word_t start() const { return inv.mr(0); }
  word_t end() const { return inv.mr(1); }  // exclusive
};

FlushKind kind_of(Label l, Label first) {
  return static_cast<FlushKind>(static_cast<word_t>(l) - static_cast<word_t>(first));
}

// seL4: only a read-write mapping may have its data invalidated.
bool invalidate_allowed(FlushKind kind, arch::pte_t pte) {
  return kind != FlushKind::Invalidate || arch::pte_rights(pte) == VmRights::ReadWrite;
}

Result<FlushOp> decode_page_flush(const Invocation& inv) {
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  const FrameCap frame{inv.cap};
  if (!frame.is_mapped()) return SyscallError::of(Error::IllegalOperation);  // seL4: frame not mapped
  const paddr_t root = arch::find_vspace_for_asid(frame.mapped_asid());
  if (root == 0) return arch::asid_lookup_failed();
  const FlushMessage msg{inv};
  const unsigned bits = frame_size_bits(frame.size());
  if (msg.end() <= msg.start()) return SyscallError::invalid_argument(1);
  if (msg.start() >= (word_t{1} << bits) || msg.end() > (word_t{1} << bits))
    return SyscallError::invalid_argument(0);
  const arch::PtSlot s = arch::lookup_pt_slot(root, frame.mapped_vaddr());
  if (s.bits_left != bits || !arch::pte_is_page(*s.slot, s.bits_left) ||
      arch::pte_addr(*s.slot) != frame.ptr())
    return SyscallError::invalid_capability(0);  // seL4: the cap's mapping is stale
  const FlushKind kind = kind_of(inv.op(), Label::ARMPageClean_Data);
  if (!invalidate_allowed(kind, *s.slot)) return SyscallError::of(Error::IllegalOperation);
  return FlushOp{kind, frame.ptr() + msg.start(), msg.end() - msg.start()};
}

Result<FlushOp> decode_vspace_flush(const Invocation& inv) {
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  const FlushMessage msg{inv};
  if (msg.end() <= msg.start()) return SyscallError::invalid_argument(1);
  if (msg.end() > kUserTop) return SyscallError::of(Error::IllegalOperation);
  const VSpaceCap vspace{inv.cap};
  if (!vspace.is_mapped()) return SyscallError::invalid_capability(0);
  const paddr_t root = arch::find_vspace_for_asid(vspace.mapped_asid());
  if (root == 0) return arch::asid_lookup_failed();
  if (root != vspace.ptr()) return SyscallError::invalid_capability(0);
  const FlushKind kind = kind_of(inv.op(), Label::ARMVSpaceClean_Data);
  const arch::PtSlot s = arch::lookup_pt_slot(root, msg.start());
  if (!arch::pte_is_page(*s.slot, s.bits_left))
    return FlushOp{kind, 0, 0};  // seL4: nothing mapped, nothing to do
  const vaddr_t page = round_down(msg.start(), s.bits_left);
  if (round_down(msg.end() - 1, s.bits_left) != page)
    return SyscallError::range(msg.start(), page + mask_bits(s.bits_left));
  if (!invalidate_allowed(kind, *s.slot)) return SyscallError::of(Error::IllegalOperation);
  return FlushOp{kind, arch::pte_addr(*s.slot) + (msg.start() - page), msg.end() - msg.start()};
}

PerformStatus perform_flush(const FlushOp& op) {
  if (op.size <= 1) return PerformStatus::Done;
  const word_t kva = reinterpret_cast<word_t>(ptr_from_paddr<uint8_t>(op.start));
  switch (op.kind) {
    case FlushKind::Clean:
    case FlushKind::Invalidate:
    case FlushKind::CleanInvalidate: machine::clean_invalidate_dcache_range(kva, op.size); break;
    case FlushKind::Unify: machine::sync_icache_range(kva, op.size); break;
  }
  return PerformStatus::Done;
}

bool label_in(Label l, Label first, Label last) {
  return static_cast<word_t>(l) >= static_cast<word_t>(first) &&
         static_cast<word_t>(l) <= static_cast<word_t>(last);
}

}  // namespace

bool is_page_flush_label(Label l) {
  return label_in(l, Label::ARMPageClean_Data, Label::ARMPageUnify_Instruction);
}
bool is_vspace_flush_label(Label l) {
  return label_in(l, Label::ARMVSpaceClean_Data, Label::ARMVSpaceUnify_Instruction);
}

Outcome invoke_page_flush(const Invocation& inv) {
  return decode_then_perform(inv, decode_page_flush, perform_flush);
}

Outcome invoke_vspace_flush(const Invocation& inv) {
  if (!is_vspace_flush_label(inv.op())) return SyscallError::of(Error::IllegalOperation);
  return decode_then_perform(inv, decode_vspace_flush, perform_flush);
}

}  // namespace keel
