// Capability addressing: resolving a CPtr through CNode guards and radix bits (seL4 §9.2).
#pragma once

#include "kernel/api/errors.h"
#include "kernel/api/result.h"
#include "kernel/cap/cte.h"

namespace keel {

struct Tcb;

struct ResolveResult {
  Cte* slot = nullptr;
  word_t bits_remaining = 0;
  LookupFault fault;  // type NoFailure on success
  bool ok() const { return fault.type == LookupFailureType::NoFailure; }
};

// Walks from `node_cap` resolving the top `depth` bits of the low `depth` bits of cptr.
// Stops at a non-CNode cap (bits_remaining > 0) or when the depth is used up.
ResolveResult resolve_address_bits(Cap node_cap, cptr_t cptr, word_t depth);

struct LookupResult {
  Cap cap;
  Cte* slot = nullptr;
  LookupFault fault;
  bool ok() const { return fault.type == LookupFailureType::NoFailure; }
};

// Full-depth (64-bit) lookup in the thread's CSpace: invoked caps, extra caps, fault endpoints.
LookupResult lookup_cap_and_slot(Tcb* thread, cptr_t cptr);

// Slot lookups for CNode operations (seL4 lookupSlotForCNodeOp): the root must be a CNode
// (else FailedLookup InvalidRoot), depth in [1, 64] (else RangeError(1, 64)), and the walk must
// use exactly `depth` bits (else FailedLookup DepthMismatch with bitsFound 0). Source and pivot
// failures carry failed_lookup_was_source = true, target failures false.
Result<Cte*> lookup_slot_for_cnode_op(bool is_source, Cap root, cptr_t index, word_t depth);
Result<Cte*> lookup_target_slot(Cap root, cptr_t index, word_t depth);
Result<Cte*> lookup_source_slot(Cap root, cptr_t index, word_t depth);
Result<Cte*> lookup_pivot_slot(Cap root, cptr_t index, word_t depth);

}  // namespace keel
