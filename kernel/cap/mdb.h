// The derivation tree (MDB): insert, move, swap, delete (with Zombies) and preemptible revoke.
//
// The tree is seL4's: one doubly linked list through every non-empty slot in which each cap's
// descendants follow it directly; "b is a child of a" is is_mdb_parent_of(a, b) for the next
// entries. Invariants (checked by kernel/cap/invariants.h): links are symmetric, empty slots
// have no links or flags, children have the same cap class as their parent.
#pragma once

#include "kernel/api/result.h"
#include "kernel/cap/cte.h"

namespace keel {

// seL4 cteInsert: `new_cap` (derived from src's cap) goes into the empty `dest` right after
// src; revocable and first_badged come from is_cap_revocable.
void cte_insert(Cap new_cap, Cte* src, Cte* dest);
// seL4 insertNewCap: a cap to an object just retyped from the untyped in `parent`.
void insert_new_cap(Cte* parent, Cte* slot, Cap cap);
// Moves the MDB node of src to the empty dest, with dest holding `new_cap`.
void cte_move(Cap new_cap, Cte* src, Cte* dest);
// Exchanges two slots' MDB positions, slot1 receiving cap2 and slot2 cap1.
void cte_swap(Cap cap1, Cte* slot1, Cap cap2, Cte* slot2);
void cap_swap_for_delete(Cte* slot1, Cte* slot2);

// seL4 cteDelete. `exposed` deletions (user-visible slots) always empty the slot; internal
// ones may leave a cyclic Zombie behind. Preempted means "call again": no work is lost.
[[nodiscard]] PerformStatus cte_delete(Cte* slot, bool exposed);
// Deletes a cap that finalises immediately (reply, endpoint, ...) without preemption.
void cte_delete_one(Cte* slot);
// seL4 cteRevoke: deletes every descendant of slot's cap, preemptibly.
[[nodiscard]] PerformStatus cte_revoke(Cte* slot);

// True when no other slot holds a cap to the same object (seL4 isFinalCapability).
bool is_final_cap(const Cte* slot);
// RevokeFirst when slot's cap has children, else NoError.
SyscallError ensure_no_children(const Cte* slot);
// DeleteFirst when the slot is occupied, else NoError.
SyscallError ensure_empty_slot(const Cte* slot);
// Whether deleting slot's cap may take long (a final CNode, TCB or Zombie).
bool slot_cap_long_running_delete(const Cte* slot);

}  // namespace keel
