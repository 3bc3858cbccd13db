// Capability invariants (the AInvs analogues for CSpace and MDB), checked in host debug builds.
//
// The checker starts from the slot spans it is given (e.g. the root CNode and root TCB), adds
// every CNode and TCB reachable through caps, and checks each slot it finds:
//  - empty slots have no MDB links and no flags;
//  - MDB links are symmetric (a.next == b iff b.prev == a) and never point at empty slots;
//  - a cap and each MDB child (is_mdb_parent_of) are in the same region and the same cap class;
//  - adjacent badged caps to the same object with different, non-zero badges: the later one is
//    first_badged (so badge revocation works);
//  - every physical descendant of an untyped lies inside the untyped below its free index;
//  - the IPC state of the object a cap names holds together (check_ipc_invariants_of).
// It uses fixed-size scratch only (no heap), so it may also run in a kernel debug build.
#pragma once

#include "kernel/cap/cte.h"

namespace keel {

struct SlotSpan {
  const Cte* first = nullptr;
  word_t count = 0;
};

struct InvariantScope {
  const SlotSpan* spans = nullptr;
  size_t num_spans = 0;
};

// How many distinct CNodes/TCBs one check can visit; more is reported as a failure.
inline constexpr size_t kInvariantMaxSpans = 1024;

// True when every invariant holds; otherwise false with a one-line reason in `why`.
[[nodiscard]] bool check_invariants(const InvariantScope& scope, char* why, size_t why_len);

}  // namespace keel
