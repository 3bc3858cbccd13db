// CSpace addressing (reference §9.2, §4.3): seL4's resolveAddressBits and the lookups built on it.
#pragma once

#include "state.h"

namespace keel::spec {

struct ResolveResult {
  SlotRef slot;
  word_t bits_remaining = 0;
  friend bool operator==(const ResolveResult&, const ResolveResult&) = default;
};

// Walks `depth` bits of `cptr` (most significant first) from `node_cap`: at each CNode, the
// guard, then radix bits of index. Stops at a slot when the bits are used up or the slot does
// not hold a CNode cap.
Expected<ResolveResult, LookupFault> resolve_address_bits(const State& s, const Cap& node_cap, cptr_t cptr,
                                                          word_t depth);

// Full-depth (64-bit) lookup in a thread's CSpace, for invoked caps and extra caps: a walk that
// stops early at a non-CNode cap still succeeds.
Expected<SlotRef, LookupFault> lookup_slot(const State& s, paddr_t tcb, cptr_t cptr);

// CNode-operation lookups (depth chosen by the user, in [1, 64]); `is_source` is the flag the
// FailedLookup error reports.
Expected<SlotRef, SyscallError> lookup_slot_for_cnode_op(const State& s, bool is_source, const Cap& root,
                                                         cptr_t cptr, word_t depth);
Expected<SlotRef, SyscallError> lookup_target_slot(const State& s, const Cap& root, cptr_t cptr,
                                                   word_t depth);
Expected<SlotRef, SyscallError> lookup_source_slot(const State& s, const Cap& root, cptr_t cptr,
                                                   word_t depth);
Expected<SlotRef, SyscallError> lookup_pivot_slot(const State& s, const Cap& root, cptr_t cptr, word_t depth);

}  // namespace keel::spec
