// The derivation tree: seL4's cteInsert/cteMove/cteSwap/cteDelete/cteRevoke and Zombie reduction.
#include "kernel/cap/mdb.h"

#include "kernel/lib/mutation.h"

#include "kernel/cap/cap_algebra.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/preemption.h"
#include "kernel/machine/machine.h"
#include "kernel/object/create.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/irq.h"
#include "kernel/object/notification.h"

namespace keel {

namespace {

Cte* next_of(const Cte* s) { return cte_at(s->mdb.next()); }
Cte* prev_of(const Cte* s) { return cte_at(s->mdb.prev()); }
Cte* zombie_slots(ZombieCap z) { return ptr_from_paddr<Cte>(z.ptr()); }

// Makes any neighbour that pointed at `from` point at `to` instead.
void relink_neighbours(const MdbNode& node, Cte* to) {
  if (Cte* prev = cte_at(node.prev())) prev->mdb.set_next(paddr_of(to));
  if (Cte* next = cte_at(node.next())) next->mdb.set_prev(paddr_of(to));
}

// seL4: deriving an untyped cap that covers the whole parent (an exact copy) marks the parent
// fully used, so the two can never hand out the same memory.
void set_untyped_cap_as_full(Cap src_cap, Cap new_cap, Cte* src) {
  if (src_cap.type() != CapType::Untyped || new_cap.type() != CapType::Untyped) return;
  const UntypedCap s{src_cap}, n{new_cap};
  if (s.ptr() == n.ptr() && s.size_bits() == n.size_bits()) {
    src->cap = s.with_free_index(word_t{1} << s.size_bits());
  }
}

// The one way a cap enters the tree below another: `slot` gets `cap` and becomes the entry right
// after `parent` (its newest child). A revocable child starts a new badge lineage (first_badged).
void link_child(Cte* parent, Cte* slot, Cap cap, bool revocable) {
  MdbNode node;
  node.set_prev(paddr_of(parent));
  node.set_next(parent->mdb.next());
  node.set_revocable(revocable);
  node.set_first_badged(revocable);
  if (Cte* next = next_of(parent)) next->mdb.set_prev(paddr_of(slot));
  parent->mdb.set_next(paddr_of(slot));
  slot->cap = cap;
  slot->mdb = node;
}

// Unlinks a slot and empties it; the next entry inherits first_badged so that badge
// parenthood of the remaining caps does not change (seL4 emptySlot).
void empty_slot(Cte* slot, Cap cleanup_info) {
  if (slot->cap.is_null()) return;
  const MdbNode node = slot->mdb;
  Cte* prev = cte_at(node.prev());
  Cte* next = cte_at(node.next());
  if (prev) prev->mdb.set_next(node.next());
  if (next) {
    next->mdb.set_prev(node.prev());
    next->mdb.set_first_badged(next->mdb.first_badged() || node.first_badged());
  }
  slot->cap = Cap::null();
  slot->mdb = MdbNode{};
  post_cap_deletion(cleanup_info);
}

// finalise_cap only ever leaves null or a Zombie; a Zombie with nothing left to clear (or only
// its own first slot, which holds it) can go.
bool cap_removable(Cap cap, const Cte* slot) {
  if (cap.is_null()) return true;
  if (cap.type() != CapType::Zombie) return false;
  const ZombieCap z{cap};
  return z.remaining() == 0 || (z.remaining() == 1 && zombie_slots(z) == slot);
}

bool cap_cyclic_zombie(Cap cap, const Cte* slot) {
  return cap.type() == CapType::Zombie && zombie_slots(ZombieCap{cap}) == slot;
}

bool same_zombie(ZombieCap a, ZombieCap b) {
  return a.ptr() == b.ptr() && a.remaining() == b.remaining() && a.is_tcb() == b.is_tcb() &&
         a.radix() == b.radix();
}

struct SlotFinalised {
  PerformStatus status;
  bool success;
  Cap cleanup_info;
  Cap gone;  // the last cap to an object whose memory holds nothing once the slot is empty
};

// seL4 reuses an object's memory only after a reset of its untyped; until then it holds no
// object. An untyped's own memory is not freed by its cap: children may outlive it. A thread
// that deletes its own TCB is still read on the way out of this kernel entry (as in seL4: the
// Restart check after the invocation, schedule's was-runnable test), so its memory stays live
// until the untyped's reset.
void object_gone(Cap cap) {
  if (cap.is_null() || !cap_is_physical(cap) || cap.type() == CapType::Untyped) return;
  const paddr_t object = cap_object_ptr(cap);
  if (ks.cur_thread != nullptr && object == object_of(ks.cur_thread)) return;
  machine::mark_memory_free(object, word_t{1} << cap_size_bits(cap));
}

PerformStatus reduce_zombie(Cte* slot, bool immediate);

// seL4 finaliseSlot: finalises until the slot's cap can be removed. A final CNode or TCB cap
// becomes a Zombie whose slots are cleared one at a time from the end.
SlotFinalised finalise_slot(Cte* slot, bool immediate) {
  while (!slot->cap.is_null()) {
    const bool final = is_final_cap(slot);
    const FinaliseResult fc = finalise_cap(slot->cap, final, false);
    if (cap_removable(fc.remainder, slot)) {
      // A removable Zombie has cleared its object: the object ends with it.
      const bool gone = final || slot->cap.type() == CapType::Zombie;
      return {PerformStatus::Done, true, fc.cleanup_info, gone ? slot->cap : Cap::null()};
    }
    slot->cap = fc.remainder;
    // An internal delete stops at a Zombie that refers to its own slot; the outer
    // (exposed) delete owns it and finishes it.
    if (!immediate && cap_cyclic_zombie(fc.remainder, slot)) {
      return {PerformStatus::Done, false, fc.cleanup_info, Cap::null()};
    }
    if (reduce_zombie(slot, immediate) == PerformStatus::Preempted || preemption_point()) {
      return {PerformStatus::Preempted, false, Cap::null(), Cap::null()};
    }
  }
  return {PerformStatus::Done, true, Cap::null(), Cap::null()};
}

// seL4 reduceZombie. Exposed: delete the last uncleared slot of the Zombie's object and count
// it off. Internal: move the Zombie into the first slot of its own object (making it cyclic),
// so the object keeps itself alive until the exposed delete reaches it.
PerformStatus reduce_zombie(Cte* slot, bool immediate) {
  const ZombieCap z{slot->cap};
  Cte* slots = zombie_slots(z);
  const word_t n = z.remaining();
  if (!immediate) {
    cap_swap_for_delete(slots, slot);
    return PerformStatus::Done;
  }
  Cte* end = slots + (n - 1);
  if (cte_delete(end, false) == PerformStatus::Preempted) return PerformStatus::Preempted;
  // The slot may now hold a different Zombie (the recursion swapped a self-referential one
  // in); only an unchanged Zombie is counted down.
  if (slot->cap.type() == CapType::Zombie && same_zombie(ZombieCap{slot->cap}, z)) {
    slot->cap = z.with_remaining(n - 1);
  }
  return PerformStatus::Done;
}

}  // namespace

void cte_insert(Cap new_cap, Cte* src, Cte* dest) {
  // Every Call inserts a reply cap, never revocable and never an untyped: the cap algebra's
  // answers for it, without asking (is_cap_revocable, set_untyped_cap_as_full).
  if (new_cap.type() == CapType::Reply)
    return link_child(src, dest, new_cap, mutant(Mutant::MintKeepsRevocable));
  const bool revocable = is_cap_revocable(new_cap, src->cap) || mutant(Mutant::MintKeepsRevocable);
  set_untyped_cap_as_full(src->cap, new_cap, src);
  link_child(src, dest, new_cap, revocable);
}

void insert_new_cap(Cte* parent, Cte* slot, Cap cap) { link_child(parent, slot, cap, true); }

void cte_move(Cap new_cap, Cte* src, Cte* dest) {
  const MdbNode node = src->mdb;
  dest->cap = new_cap;
  dest->mdb = node;
  src->cap = Cap::null();
  src->mdb = MdbNode{};
  relink_neighbours(node, dest);
}

void cte_swap(Cap cap1, Cte* slot1, Cap cap2, Cte* slot2) {
  slot1->cap = cap2;
  slot2->cap = cap1;
  const MdbNode mdb1 = slot1->mdb;
  relink_neighbours(mdb1, slot2);
  const MdbNode mdb2 = slot2->mdb;
  slot1->mdb = mdb2;
  slot2->mdb = mdb1;
  relink_neighbours(mdb2, slot1);
}

void cap_swap_for_delete(Cte* slot1, Cte* slot2) {
  if (slot1 == slot2) return;
  cte_swap(slot1->cap, slot1, slot2->cap, slot2);
}

PerformStatus cte_delete(Cte* slot, bool exposed) {
  const SlotFinalised fs = finalise_slot(slot, exposed);
  if (fs.status == PerformStatus::Preempted) return PerformStatus::Preempted;
  if (exposed || fs.success) {
    empty_slot(slot, fs.cleanup_info);
    object_gone(fs.gone);  // after: a cyclic Zombie's slot lies in the object itself
  }
  return PerformStatus::Done;
}

void cte_delete_one(Cte* slot) {
  if (slot->cap.is_null()) return;
  // Every reply, and every receive on an endpoint, deletes a reply cap: it finalises to nothing,
  // final or not, so only its slot is unlinked.
  if (slot->cap.type() == CapType::Reply) return empty_slot(slot, Cap::null());
  const bool final = is_final_cap(slot);
  const Cap cap = slot->cap;
  (void)finalise_cap(cap, final, true);
  empty_slot(slot, Cap::null());
  if (final) object_gone(cap);
}

namespace {

bool is_last_descendant(const Cte* ancestor, const Cte* slot) {
  const Cte* after = next_of(slot);
  return after == nullptr || !is_mdb_parent_of(ancestor, after);
}

}  // namespace

PerformStatus cte_revoke(Cte* slot) {
  // Null caps have no links, so an empty slot ends the loop at once.
  for (Cte* next = next_of(slot); next && is_mdb_parent_of(slot, next); next = next_of(slot)) {
    if (mutant(Mutant::RevokeSkipsDescendant) && is_last_descendant(slot, next)) break;
    if (cte_delete(next, true) == PerformStatus::Preempted) return PerformStatus::Preempted;
    if (preemption_point()) return PerformStatus::Preempted;
  }
  return PerformStatus::Done;
}

bool is_final_cap(const Cte* slot) {
  const Cte* prev = prev_of(slot);
  if (prev && same_object_as(prev->cap, slot->cap)) return false;
  const Cte* next = next_of(slot);
  return next == nullptr || !same_object_as(slot->cap, next->cap);
}

SyscallError ensure_no_children(const Cte* slot) {
  const Cte* next = next_of(slot);
  if (next && is_mdb_parent_of(slot, next)) return SyscallError::of(Error::RevokeFirst);
  return SyscallError{};
}

SyscallError ensure_empty_slot(const Cte* slot) {
  if (!slot->cap.is_null()) return SyscallError::of(Error::DeleteFirst);
  return SyscallError{};
}

bool slot_cap_long_running_delete(const Cte* slot) {
  if (slot->cap.is_null() || !is_final_cap(slot)) return false;
  const CapType t = slot->cap.type();
  return t == CapType::Thread || t == CapType::Zombie || t == CapType::CNode;
}

}  // namespace keel
