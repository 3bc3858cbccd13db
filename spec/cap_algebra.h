// The cap algebra: seL4's pure functions over caps (and, for derive_cap and is_final_cap,
// read-only questions about the state). Same names as in kernel/cap so one grep finds both.
#pragma once

#include "state.h"

namespace keel::spec {

// seL4 cap_get_capIsPhysical: the cap names memory retyped from an untyped.
bool is_physical(const Cap& c);
// Size (log2 bytes) of the memory a physical cap names (seL4 cap_get_capSizeBits).
unsigned cap_size_bits(const Cap& c);

bool same_region_as(const Cap& a, const Cap& b);
bool same_object_as(const Cap& a, const Cap& b);

// Cap data for Mint (preserve = false) and Mutate/Rotate (preserve = true); a null result
// means the request is refused (the caller reports IllegalOperation).
Cap update_cap_data(bool preserve, word_t data, const Cap& c);
VmRights mask_vm_rights(VmRights vm, CapRights mask);
Cap mask_cap_rights(CapRights mask, const Cap& c);

// Badges are generic: endpoint, notification and SMC caps carry one.
std::optional<word_t> cap_badge(const Cap& c);

// l4v's three cap classes.
enum class CapClass { Physical, Reply, Other };
CapClass cap_class(const Cap& c);

bool has_cancel_send_rights(const Cap& c);

// Whether a cap derived from `src` starts a new revocable subtree (seL4 isCapRevocable).
bool is_cap_revocable(const Cap& derived, const Cap& src);

// seL4 isMDBParentOf, on the caps and flags of two slots.
bool is_mdb_parent_of(const Slot& a, const Slot& b);

// seL4 deriveCap: the cap a Copy/Mint puts into the destination, or the error.
Expected<Cap, SyscallError> derive_cap(const State& s, SlotRef src, const Cap& c);

// No other slot holds a cap to the same object (seL4 isFinalCapability).
bool is_final_cap(const State& s, SlotRef slot);

// The object a cap keeps alive, if any (what finalisation of its final cap destroys).
std::optional<paddr_t> cap_object(const Cap& c);

}  // namespace keel::spec
