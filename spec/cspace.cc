// CSpace addressing: resolve_address_bits and the slot lookups (seL4 src/kernel/cspace.c).
#include "cspace.h"

#include "constants.h"

namespace keel::spec {

// The `n` bits of `cptr` that sit just below the top `bits_left` bits still to resolve.
static word_t take_bits(cptr_t cptr, word_t bits_left, unsigned n) {
  if (n == 0) return 0;
  return (cptr >> (bits_left - n)) & mask_bits(n);
}

Expected<ResolveResult, LookupFault> resolve_address_bits(const State& s, const Cap& node_cap, cptr_t cptr,
                                                          word_t depth) {
  if (node_cap.type != CapType::CNode) return LookupFault::invalid_root();
  Cap node = node_cap;
  word_t bits_left = depth;
  for (;;) {
    unsigned level = node.radix + node.guard_size;
    if (level == 0) return LookupFault::invalid_root();  // no such CNode can be made; avoids a loop
    if (node.guard_size > bits_left || take_bits(cptr, bits_left, node.guard_size) != node.guard)
      return LookupFault::guard_mismatch(bits_left, node.guard, node.guard_size);
    if (level > bits_left) return LookupFault::depth_mismatch(bits_left, level);
    SlotRef slot{node.ptr, (cptr >> (bits_left - level)) & mask_bits(node.radix)};
    bits_left -= level;
    if (bits_left == 0) return ResolveResult{slot, 0};
    const Cap& next = s.cap_at(slot);
    if (next.type != CapType::CNode) return ResolveResult{slot, bits_left};
    node = next;
  }
}

Expected<SlotRef, LookupFault> lookup_slot(const State& s, paddr_t tcb, cptr_t cptr) {
  const Cap& root = s.cap_at(SlotRef{tcb, kTcbCTable});
  auto r = resolve_address_bits(s, root, cptr, kWordBits);
  if (!r.ok()) return r.error();
  return r.value().slot;
}

Expected<SlotRef, SyscallError> lookup_slot_for_cnode_op(const State& s, bool is_source, const Cap& root,
                                                         cptr_t cptr, word_t depth) {
  // seL4 lookupSlotForCNodeOp: root type, then depth range, then the walk
  if (root.type != CapType::CNode) return SyscallError::failed_lookup(is_source, LookupFault::invalid_root());
  if (depth < 1 || depth > kWordBits) return SyscallError::range(1, kWordBits);
  auto r = resolve_address_bits(s, root, cptr, depth);
  if (!r.ok()) return SyscallError::failed_lookup(is_source, r.error());
  if (r.value().bits_remaining != 0)  // stopped early at a non-CNode cap
    return SyscallError::failed_lookup(is_source, LookupFault::depth_mismatch(r.value().bits_remaining, 0));
  return r.value().slot;
}

Expected<SlotRef, SyscallError> lookup_target_slot(const State& s, const Cap& root, cptr_t cptr,
                                                   word_t depth) {
  return lookup_slot_for_cnode_op(s, false, root, cptr, depth);
}
Expected<SlotRef, SyscallError> lookup_source_slot(const State& s, const Cap& root, cptr_t cptr,
                                                   word_t depth) {
  return lookup_slot_for_cnode_op(s, true, root, cptr, depth);
}
Expected<SlotRef, SyscallError> lookup_pivot_slot(const State& s, const Cap& root, cptr_t cptr,
                                                  word_t depth) {
  return lookup_slot_for_cnode_op(s, true, root, cptr, depth);
}

}  // namespace keel::spec
