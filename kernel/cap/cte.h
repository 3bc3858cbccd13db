// A capability slot: the cap plus its node in the derivation tree (MDB), four words as in seL4.
//
// Invariants: an empty slot (null cap) has no MDB links and no flags; links are physical
// addresses of other slots (0 = none) and are symmetric (a.next == b iff b.prev == a).
#pragma once

#include "kernel/cap/cap.h"
#include "kernel/lib/kernel_window.h"

namespace keel {

// w0: prev 47:0; w1: next 47:0, revocable 48, first_badged 49.
struct MdbNode {
  word_t w0 = 0;
  word_t w1 = 0;

  constexpr paddr_t prev() const { return capbits::get(w0, 0, 48); }
  constexpr paddr_t next() const { return capbits::get(w1, 0, 48); }
  constexpr bool revocable() const { return capbits::get(w1, 48, 1) != 0; }
  constexpr bool first_badged() const { return capbits::get(w1, 49, 1) != 0; }
  constexpr void set_prev(paddr_t p) { w0 = capbits::put(w0, 0, 48, p); }
  constexpr void set_next(paddr_t p) { w1 = capbits::put(w1, 0, 48, p); }
  constexpr void set_revocable(bool b) { w1 = capbits::put(w1, 48, 1, b); }
  constexpr void set_first_badged(bool b) { w1 = capbits::put(w1, 49, 1, b); }
  friend constexpr bool operator==(const MdbNode&, const MdbNode&) = default;
};

struct Cte {
  Cap cap;
  MdbNode mdb;
};
static_assert(sizeof(Cte) == 32, "a slot is 2^seL4_SlotBits bytes");

inline Cte* cte_at(paddr_t p) { return p ? ptr_from_paddr<Cte>(p) : nullptr; }

}  // namespace keel
