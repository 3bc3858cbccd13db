// The kernel's own TTBR1 tables: the kernel window (virtual = physical + window offset).
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

enum class MapKind { Normal, Device };

// Maps [paddr, paddr + size) (widened to pages) into the kernel window, with the largest blocks
// alignment allows. Returns false if the table pool runs out or a different mapping is there.
[[nodiscard]] bool kernel_map(paddr_t paddr, word_t size, MapKind kind);

// Loads MAIR, TCR and SCTLR, points TTBR1 at the kernel tables and TTBR0 at an empty table
// (no user mappings until the core installs a VSpace), and flushes the TLB.
void kernel_map_activate();

// An all-invalid level-0 table: TTBR0 for threads without a usable VSpace.
paddr_t empty_user_root();

// Makes mappings added after activation visible (they only ever fill invalid entries).
void kernel_map_sync();

}  // namespace keel::arch
