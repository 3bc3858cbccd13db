// The capability derivation tree (seL4's MDB) as explicit parent links: insertion, move, swap,
// deletion with finalisation, revocation.
//
// Rules. A cap inserted from `src` becomes src's child when is_mdb_parent_of(src, new) holds,
// otherwise src's sibling (l4v's cte_insert). Moving a cap moves its place in the tree. Emptying
// a slot hands its children to its parent. Revoke deletes every descendant; deletion order is
// not observable in the end state (no preemption is modelled: without a pending interrupt the
// kernel's preemption points do not fire).
#pragma once

#include <vector>

#include "state.h"

namespace keel::spec {

bool has_children(const State& s, SlotRef slot);
// Every slot below `slot` in the tree, parents before children.
std::vector<SlotRef> descendants_of(const State& s, SlotRef slot);

// seL4 cteInsert: `dest` must be empty and `src` non-empty.
void cte_insert(State& s, const Cap& new_cap, SlotRef src, SlotRef dest);
// seL4 insertNewCap (Retype): the new cap is an original child of the untyped in `parent`.
void insert_new_cap(State& s, SlotRef parent, SlotRef dest, const Cap& cap);
// seL4 cteMove: `new_cap` takes src's place (flags and tree position) in the empty `dest`.
void cte_move(State& s, const Cap& new_cap, SlotRef src, SlotRef dest);
// seL4 cteSwap: cap1 (from slot1) goes to slot2 and cap2 (from slot2) to slot1, each with its
// flags and tree position.
void cte_swap(State& s, const Cap& cap1, SlotRef slot1, const Cap& cap2, SlotRef slot2);

// seL4 emptySlot: remove the cap without finalising anything.
void empty_slot(State& s, SlotRef slot);
// seL4 cteDelete (exposed): remove the cap; if it was the final cap to an object, finalise the
// object (a CNode's or TCB's own slots are deleted too) and remove it.
void cte_delete(State& s, SlotRef slot);
// seL4 cteRevoke: delete every descendant of the slot's cap.
void cte_revoke(State& s, SlotRef slot);

}  // namespace keel::spec
