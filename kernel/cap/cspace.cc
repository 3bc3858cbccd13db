// CSpace lookups, following seL4's resolveAddressBits rules and failure encodings.
#include "kernel/cap/cspace.h"

#include "kernel/lib/mutation.h"
#include "kernel/object/tcb.h"

namespace keel {

ResolveResult resolve_address_bits(Cap node_cap, cptr_t cptr, word_t depth) {
  ResolveResult r;
  r.bits_remaining = depth;
  if (node_cap.type() != CapType::CNode) {
    r.fault = LookupFault{.type = LookupFailureType::InvalidRoot};
    return r;
  }
  for (;;) {
    const CNodeCap node{node_cap};
    const word_t radix = node.radix();
    const word_t guard_size = node.guard_size();
    const word_t level_bits = radix + guard_size;
    // seL4: a guard that does not fit, or does not match, is a guard mismatch.
    const word_t cap_guard = node.guard() & mask_bits(unsigned(guard_size));
    const word_t guard = guard_size == 0 ? 0
                         : guard_size > depth
                             ? ~cap_guard
                             : (cptr >> (depth - guard_size)) & mask_bits(unsigned(guard_size));
    if (guard_size > depth || (guard != cap_guard && !mutant(Mutant::GuardNotCompared))) {
      r.fault = LookupFault{.type = LookupFailureType::GuardMismatch,
                            .bits_left = depth,
                            .bits_found = guard_size,
                            .guard_found = node.guard()};
      return r;
    }
    if (level_bits > depth) {
      r.fault =
          LookupFault{.type = LookupFailureType::DepthMismatch, .bits_left = depth, .bits_found = level_bits};
      return r;
    }
    const word_t index = (cptr >> (depth - level_bits)) & mask_bits(unsigned(radix));
    Cte* slot = ptr_from_paddr<Cte>(node.ptr()) + index;
    depth -= level_bits;
    if (depth == 0 || slot->cap.type() != CapType::CNode) {
      r.slot = slot;
      r.bits_remaining = depth;
      return r;
    }
    node_cap = slot->cap;
  }
}

LookupResult lookup_cap_and_slot(Tcb* thread, cptr_t cptr) {
  LookupResult r;
  const ResolveResult res = resolve_address_bits(thread->slot(kTcbCTable)->cap, cptr, kWordBits);
  if (!res.ok()) {
    r.fault = res.fault;
    return r;
  }
  r.slot = res.slot;
  r.cap = res.slot->cap;
  return r;
}

Result<Cte*> lookup_slot_for_cnode_op(bool is_source, Cap root, cptr_t index, word_t depth) {
  if (root.type() != CapType::CNode)
    return SyscallError::failed_lookup(is_source, LookupFault{.type = LookupFailureType::InvalidRoot});
  if (depth < 1 || depth > kWordBits) return SyscallError::range(1, kWordBits);
  const ResolveResult res = resolve_address_bits(root, index, depth);
  if (!res.ok()) return SyscallError::failed_lookup(is_source, res.fault);
  if (res.bits_remaining != 0) {
    // seL4: the walk stopped early at a non-CNode cap.
    return SyscallError::failed_lookup(is_source, LookupFault{.type = LookupFailureType::DepthMismatch,
                                                              .bits_left = res.bits_remaining,
                                                              .bits_found = 0});
  }
  return res.slot;
}

Result<Cte*> lookup_target_slot(Cap root, cptr_t index, word_t depth) {
  return lookup_slot_for_cnode_op(false, root, index, depth);
}

Result<Cte*> lookup_source_slot(Cap root, cptr_t index, word_t depth) {
  return lookup_slot_for_cnode_op(true, root, index, depth);
}

Result<Cte*> lookup_pivot_slot(Cap root, cptr_t index, word_t depth) {
  return lookup_slot_for_cnode_op(true, root, index, depth);
}

}  // namespace keel
