// The abstraction function of the refinement check: the host kernel's concrete state (slots,
// MDB list, objects, the current thread) read into the spec's vocabulary (spec::State).
//
// Decisions (docs/refinement.md explains them):
//  - Slots are found by walking from the root CNode and root TCB (and every CNode/TCB that was
//    alive at the previous step), then through every CNode and thread cap found. A container
//    lives while some cap in a live slot names it (greatest fixpoint), like the spec's objects.
//  - The MDB list becomes explicit parent links the way l4v's cdt relation reads it: a slot's
//    descendants are the maximal run after it in the list whose entries is_mdb_parent_of
//    accepts; the parent is the deepest slot whose run holds it.
//  - mdbFirstBadged is not abstract state (l4v's abstract spec has only the cdt and
//    is_original): the abstraction reports first_badged = revocable, which is what the spec
//    keeps for every slot; the kernel's own flag is still used to derive the parent links.
//  - The IRQ node (ks.irq_node) is a container of its own that no cap names; its slot i is the
//    spec's (irq_node, i). IRQ states come from ks.irq_state; masks and trigger modes, which
//    l4v keeps as machine state, from the host machine's interrupt controller.
#pragma once

#include <set>
#include <string>

#include "kernel/cap/cap.h"
#include "kernel/lib/types.h"
#include "state.h"

namespace keel::diff {

// The containers (CNodes and TCB objects) the walk starts from; the lockstep keeps this set
// from one step to the next so that a live but unreachable CNode cycle is still seen.
struct AbstractionRoots {
  paddr_t root_cnode = 0;
  unsigned root_radix = 0;
  paddr_t root_tcb = 0;                     // the TCB object (its first byte)
  std::set<std::pair<paddr_t, int>> known;  // (object, radix) for CNodes, radix -1 for TCBs
};

struct Abstraction {
  spec::State state;
  std::string error;  // non-empty: the kernel state has no abstraction (e.g. a broken MDB)
  bool ok() const { return error.empty(); }
};

// Reads the kernel state now. Updates roots.known with the containers alive now.
Abstraction abstract_state(AbstractionRoots& roots);

// One cap, field by field.
spec::Cap abstract_cap(const Cap& c);

}  // namespace keel::diff
