// The capability invariant checker: slot spans found by walking caps, checked slot by slot.
#include "kernel/cap/invariants.h"

#include "kernel/api/object_type.h"
#include "kernel/cap/cap_algebra.h"
#include "kernel/core/ipc.h"
#include "kernel/lib/print.h"
#include "kernel/object/tcb.h"

namespace keel {

namespace {

// Bounds every walk along MDB links, so a corrupted (cyclic) list cannot hang the checker.
constexpr word_t kMaxWalk = word_t{1} << 22;

// Where a failed check writes its one-line reason: the caller's buffer (or nullptr with len 0).
struct Reporter {
  char* buf;
  size_t len;

  bool fail(const char* what, const Cte* slot) const {
    ksnprintf(buf, len, "%s (slot 0x%016lx)", what, paddr_of(slot));
    return false;
  }
};

struct SpanSet {
  SlotSpan spans[kInvariantMaxSpans];
  size_t count = 0;
  bool overflow = false;

  void add(const Cte* first, word_t n) {
    for (size_t i = 0; i < count; ++i) {
      if (spans[i].first == first) return;
    }
    if (count == kInvariantMaxSpans) {
      overflow = true;
      return;
    }
    spans[count++] = SlotSpan{first, n};
  }
  // The slots a cap gives access to: a CNode's, a TCB's, or those a Zombie is clearing.
  void add_reachable(Cap cap) {
    if (cap.type() == CapType::CNode) {
      add(ptr_from_paddr<Cte>(CNodeCap{cap}.ptr()), word_t{1} << CNodeCap{cap}.radix());
    } else if (cap.type() == CapType::Thread) {
      add(ptr_from_paddr<Cte>(ThreadCap{cap}.ptr()), kTcbNumSlots);
    } else if (cap.type() == CapType::Zombie) {
      const ZombieCap z{cap};
      add(ptr_from_paddr<Cte>(z.ptr()), z.is_tcb() ? word_t{kTcbNumSlots} : word_t{1} << z.radix());
    }
  }
};

bool check_links(const Cte* s, const Reporter& r) {
  const Cte* next = cte_at(s->mdb.next());
  const Cte* prev = cte_at(s->mdb.prev());
  if (s->cap.is_null()) {
    if (!(s->mdb == MdbNode{})) return r.fail("empty slot has MDB links or flags", s);
    return true;
  }
  if (next && next->mdb.prev() != paddr_of(s)) return r.fail("next.prev does not point back", s);
  if (prev && prev->mdb.next() != paddr_of(s)) return r.fail("prev.next does not point back", s);
  if (next && next->cap.is_null()) return r.fail("next link to an empty slot", s);
  return true;
}

// Checks s against the entry that follows it in the MDB list.
bool check_successor(const Cte* s, const Reporter& r) {
  const Cte* next = cte_at(s->mdb.next());
  if (s->cap.is_null() || next == nullptr) return true;
  if (is_mdb_parent_of(s, next)) {
    if (!same_region_as(s->cap, next->cap)) return r.fail("MDB child outside parent region", next);
    if (cap_class(s->cap) != cap_class(next->cap)) return r.fail("MDB child of another class", next);
  }
  const CapBadge a = cap_badge(s->cap), b = cap_badge(next->cap);
  if (a.present && b.present && same_object_as(s->cap, next->cap) && b.value != 0 && a.value != b.value &&
      !next->mdb.first_badged()) {
    return r.fail("badged cap differing from its predecessor is not first_badged", next);
  }
  return true;
}

// Every physical cap in the run of descendants after an untyped lies below its free index.
bool check_untyped(const Cte* u, const Reporter& r) {
  if (u->cap.type() != CapType::Untyped) return true;
  const UntypedCap ut{u->cap};
  const word_t size = word_t{1} << ut.size_bits();
  if (ut.free_index() > size) return r.fail("untyped free index beyond its size", u);
  const Cte* x = cte_at(u->mdb.next());
  for (word_t steps = 0; x && is_mdb_parent_of(u, x); x = cte_at(x->mdb.next())) {
    if (++steps > kMaxWalk) return r.fail("MDB list too long or cyclic", u);
    if (!cap_is_physical(x->cap)) continue;
    const word_t end = cap_object_ptr(x->cap) + (word_t{1} << cap_size_bits(x->cap));
    // A full-size copy of the untyped itself is its own region, marked fully used.
    if (end > ut.ptr() + ut.free_index()) return r.fail("untyped child above the free index", x);
  }
  return true;
}

bool check_ipc(const Cte* s, const Reporter& r) {
  const char* bad = check_ipc_invariants_of(s->cap);
  return bad == nullptr || r.fail(bad, s);
}

bool check_slot(const Cte* s, const Reporter& r) {
  return check_links(s, r) && check_successor(s, r) && check_untyped(s, r) && check_ipc(s, r);
}

}  // namespace

bool check_invariants(const InvariantScope& scope, char* why, size_t why_len) {
  const Reporter r{why, why_len};
  if (why_len > 0) why[0] = '\0';
  static SpanSet set;  // fixed scratch, too big for a kernel stack; one checker at a time
  set.count = 0;
  set.overflow = false;
  for (size_t i = 0; i < scope.num_spans; ++i) set.add(scope.spans[i].first, scope.spans[i].count);
  for (size_t i = 0; i < set.count; ++i) {
    const SlotSpan span = set.spans[i];
    for (word_t j = 0; j < span.count; ++j) {
      const Cte* s = span.first + j;
      if (!check_slot(s, r)) return false;
      set.add_reachable(s->cap);
    }
  }
  if (set.overflow) return r.fail("too many CNodes/TCBs for the checker", scope.spans[0].first);
  return true;
}

}  // namespace keel
