// AArch64 translation geometry the core needs to lay out the root task (arch interface header:
// constants only). 4 KiB granule, 48-bit user addresses, four levels (0..3).
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

// A level-l table (l = 0..3) as a whole covers 2^kTableSpanShift[l] bytes of virtual space:
// the level-0 root 256 TiB, level 1 512 GiB, level 2 1 GiB, level 3 2 MiB.
inline constexpr unsigned kTableSpanShift[4] = {48, 39, 30, 21};
// The levels of page tables below the VSpace root (the root itself is level 0).
inline constexpr unsigned kFirstTableLevel = 1, kLastTableLevel = 3;
// Physical address bits of the CPU (Cortex-A53: 40); device untypeds stop below 2^kPaddrBits.
inline constexpr unsigned kPaddrBits = 40;

}  // namespace keel::arch
