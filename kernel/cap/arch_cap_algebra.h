// The arch twins of the cap algebra, declared by the core and defined by the architecture
// (arch/aarch64/object/arch_cap_algebra.cc): the generic functions in cap_algebra.h forward
// every odd (arch) tag here. Each definition is a switch over CapType that lists every
// enumerator; generic tags never reach them and are answered with the neutral value.
#pragma once

#include "kernel/api/result.h"
#include "kernel/cap/cap.h"

namespace keel {

struct CapBadge;
struct FinaliseResult;

// Copy/Mint derivation: frames lose their mapping; unmapped VSpace/PageTable caps cannot be
// derived (IllegalOperation); ASID and SMC caps derive unchanged.
Result<Cap> arch_derive_cap(Cap cap);
FinaliseResult arch_finalise_cap(Cap cap, bool final);
bool arch_same_region_as(Cap a, Cap b);
bool arch_same_object_as(Cap a, Cap b);
Cap arch_update_cap_data(bool preserve, word_t data, Cap cap);
Cap arch_mask_cap_rights(CapRights rights, Cap cap);
// Only SMC caps carry a badge among the arch caps (l4v arch_cap_badge).
CapBadge arch_cap_badge(Cap cap);
bool arch_is_cap_revocable(Cap new_cap, Cap src_cap);
// Called after the generic checks (a revocable, same region as b) have passed.
bool arch_is_mdb_parent_of(Cap a, Cap b, bool b_first_badged);
bool arch_cap_is_physical(Cap cap);
unsigned arch_cap_size_bits(Cap cap);
paddr_t arch_cap_ptr(Cap cap);

}  // namespace keel
