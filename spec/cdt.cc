// The derivation tree: parent links, insertion, moves and deletion with finalisation.
#include "cdt.h"

#include "cap_algebra.h"
#include "constants.h"
#include "endpoint.h"
#include "irq.h"
#include "notification.h"
#include "scheduler.h"

namespace keel::spec {

bool has_children(const State& s, SlotRef slot) {
  for (const auto& [ref, sl] : s.slots)
    if (sl.parent == slot) return true;
  return false;
}

std::vector<SlotRef> descendants_of(const State& s, SlotRef slot) {
  std::vector<SlotRef> out;
  std::vector<SlotRef> frontier{slot};
  while (!frontier.empty()) {
    SlotRef p = frontier.back();
    frontier.pop_back();
    for (const auto& [ref, sl] : s.slots) {
      if (sl.parent == p) {
        out.push_back(ref);
        frontier.push_back(ref);
      }
    }
  }
  return out;
}

void cte_insert(State& s, const Cap& new_cap, SlotRef src, SlotRef dest) {
  Slot& from = s.slots.at(src);
  bool revocable = is_cap_revocable(new_cap, from.cap);
  Slot fresh{new_cap, revocable, revocable, std::nullopt};
  fresh.parent = is_mdb_parent_of(from, fresh) ? std::optional<SlotRef>(src) : from.parent;
  // seL4 setUntypedCapAsFull: an untyped copied whole leaves its source with no free space,
  // so the two can never hand out the same memory.
  if (from.cap.type == CapType::Untyped && new_cap.type == CapType::Untyped && from.cap.ptr == new_cap.ptr &&
      from.cap.size_bits == new_cap.size_bits)
    from.cap.free_index = word_t{1} << from.cap.size_bits;
  s.slots[dest] = fresh;
}

void insert_new_cap(State& s, SlotRef parent, SlotRef dest, const Cap& cap) {
  s.slots[dest] = Slot{cap, true, true, parent};
}

// Renames tree positions: every link to `from` now points to `to`.
static void relink(State& s, SlotRef from, SlotRef to) {
  for (auto& [ref, sl] : s.slots)
    if (sl.parent == from) sl.parent = to;
}

void cte_move(State& s, const Cap& new_cap, SlotRef src, SlotRef dest) {
  Slot moved = s.slots.at(src);
  moved.cap = new_cap;
  s.slots.erase(src);
  relink(s, src, dest);
  s.slots[dest] = moved;
}

void cte_swap(State& s, const Cap& cap1, SlotRef slot1, const Cap& cap2, SlotRef slot2) {
  Slot a = s.slots.at(slot1);
  Slot b = s.slots.at(slot2);
  a.cap = cap1;
  b.cap = cap2;
  auto swap_ref = [&](std::optional<SlotRef>& p) {
    if (p == slot1)
      p = slot2;
    else if (p == slot2)
      p = slot1;
  };
  for (auto& [ref, sl] : s.slots) swap_ref(sl.parent);
  swap_ref(a.parent);
  swap_ref(b.parent);
  s.slots[slot2] = a;
  s.slots[slot1] = b;
}

void empty_slot(State& s, SlotRef slot) {
  auto it = s.slots.find(slot);
  if (it == s.slots.end()) return;
  std::optional<SlotRef> parent = it->second.parent;
  s.slots.erase(it);
  for (auto& [ref, sl] : s.slots)
    if (sl.parent == slot) sl.parent = parent;
}

// seL4 finaliseCap of a final thread cap: the binding goes, then the thread stops.
static void finalise_thread(State& s, paddr_t tcb) {
  unbind_notification(s, tcb);
  suspend(s, tcb);
}

// seL4 cteDelete(slot, exposed = false), as reduceZombie clears the slots of an object being
// destroyed. A final cap to another CNode or TCB is not destroyed from here: seL4 parks it as a
// cyclic Zombie in that object's first slot (the cap that was there comes back to `slot` and is
// deleted in turn), and the object stays, with its other slots, until that Zombie is deleted in
// an exposed deletion (e.g. by revoking its untyped). A thread is suspended on the way.
static void delete_inner(State& s, SlotRef slot) {
  while (const Slot* sl = s.slot_at(slot)) {
    const Cap cap = sl->cap;
    const std::optional<paddr_t> obj = cap_object(cap);
    const bool container = cap.type == CapType::CNode || cap.type == CapType::Thread;
    if (!container || !obj || *obj == slot.object || !is_final_cap(s, slot)) {
      cte_delete(s, slot);
      return;
    }
    if (s.thread(*obj)) finalise_thread(s, *obj);
    const SlotRef first{*obj, 0};
    const Cap zombie = Cap::zombie(*obj, cap.type == CapType::Thread, cap.radix);
    if (s.slot_at(first))
      cte_swap(s, zombie, slot, s.cap_at(first), first);
    else
      cte_move(s, zombie, slot, first);
  }
}

// Deletes every cap held inside an object (a CNode's slots, a TCB's five slots), from the last
// slot down as seL4's Zombie reduction does.
static void delete_slots_of(State& s, paddr_t object) {
  std::vector<SlotRef> inside;
  for (const auto& [ref, sl] : s.slots)
    if (ref.object == object) inside.push_back(ref);
  for (auto it = inside.rbegin(); it != inside.rend(); ++it) delete_inner(s, *it);
}

// seL4 finaliseCap for a final cap, followed by the object's disappearance: the memory stays
// with its untyped, but nothing can reach the object any more.
static void finalise_cap(State& s, const Cap& cap) {
  if (cap.type == CapType::IrqHandler) {  // its notification slot is emptied, then it is free
    deleting_irq_handler(s, cap.irq);
    deleted_irq_handler(s, cap.irq);
    return;
  }
  std::optional<paddr_t> obj = cap_object(cap);
  if (!obj || !s.objects.count(*obj)) return;
  if (s.thread(*obj)) finalise_thread(s, *obj);
  ObjectKind kind = s.objects.at(*obj).kind;
  if (kind == ObjectKind::Endpoint) cancel_all_ipc(s, *obj);  // seL4: every queued thread restarts
  if (kind == ObjectKind::Notification) {  // seL4: the binding goes, then every waiter restarts
    unbind_maybe_notification(s, *obj);
    cancel_all_signals(s, *obj);
  }
  if (kind == ObjectKind::CNode || kind == ObjectKind::Tcb) delete_slots_of(s, *obj);
  s.objects.erase(*obj);
}

void cte_delete(State& s, SlotRef slot) {
  const Slot* sl = s.slot_at(slot);
  if (!sl) return;
  Cap cap = sl->cap;
  bool final = is_final_cap(s, slot);
  // Emptying before finalising is what lets a CNode holding the last cap to itself go away
  // (seL4 gets the same end state through a cyclic zombie).
  empty_slot(s, slot);
  finalise_arch_cap(s, cap, final);  // a mapped frame is unmapped even when the cap is not final
  if (final) finalise_cap(s, cap);
}

void cte_revoke(State& s, SlotRef slot) {
  for (;;) {
    std::vector<SlotRef> below = descendants_of(s, slot);
    if (below.empty()) return;
    cte_delete(s, below.back());  // leaves first: keeps the rest of the subtree intact
  }
}

}  // namespace keel::spec
