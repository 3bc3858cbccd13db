// The cap algebra: pure functions over Cap values (derive, finalise, region/object identity,
// badges, rights, revocability, MDB parenthood, cap classes), seL4's objecttype.c semantics.
//
// Every function is a switch over CapType listing every enumerator (compiled with
// -Wswitch-enum, no default); arch tags forward to arch/aarch64/object/arch_cap_algebra.h.
#pragma once

#include "kernel/api/result.h"
#include "kernel/cap/cte.h"

namespace keel {

// Three classes (l4v capclass after the 2025 consolidation): caps to memory retyped from
// Untyped, reply caps, and everything else. A descendant always has its ancestor's class.
enum class CapClass { Physical, Reply, Other };

// A badge managed by the standard mechanism (endpoint, notification, SMC); `present` false for
// caps that carry none.
struct CapBadge {
  bool present = false;
  word_t value = 0;
  friend constexpr bool operator==(const CapBadge&, const CapBadge&) = default;
};

// What deleting a cap leaves in its slot (null, or a Zombie still to be cleared) and what must
// be cleaned up once the slot is empty (an IRQ handler cap, else null).
struct FinaliseResult {
  Cap remainder;
  Cap cleanup_info;
};

bool cap_is_physical(Cap cap);
unsigned cap_size_bits(Cap cap);
paddr_t cap_object_ptr(Cap cap);  // first byte of the object, 0 for caps that name none
CapClass cap_class(Cap cap);
CapBadge cap_badge(Cap cap);

// seL4 deriveCap: untyped with children → RevokeFirst; IRQ control, reply, zombie → null.
Result<Cap> derive_cap(const Cte* slot, Cap cap);
// seL4 finaliseCap: the object-specific clean-up when `final` (the last cap to the object).
// `exposed` deletions must finish at once (no Zombie).
FinaliseResult finalise_cap(Cap cap, bool final, bool exposed);
bool same_region_as(Cap a, Cap b);
bool same_object_as(Cap a, Cap b);
// Mint (preserve = false) and Mutate/Rotate (preserve = true) data; null = not allowed.
Cap update_cap_data(bool preserve, word_t data, Cap cap);
Cap mask_cap_rights(CapRights rights, Cap cap);
bool is_cap_revocable(Cap new_cap, Cap src_cap);
bool is_mdb_parent_of(const Cte* a, const Cte* b);
// CancelBadgedSends needs an endpoint cap with all four rights.
bool has_cancel_send_rights(Cap cap);

// The standard badge parent rule: badge 0 is the parent of every badge; a badged cap is the
// parent of its copies but not of caps minted independently with the same badge.
constexpr bool badge_parent_rule(word_t a_badge, word_t b_badge, bool b_first_badged) {
  return a_badge == 0 || (a_badge == b_badge && !b_first_badged);
}

}  // namespace keel
