// QEMU virt facts the kernel image is built around (everything else comes from the DTB).
#pragma once

#include "kernel/lib/types.h"

namespace keel::platform {

// Kernel window: virtual = physical + kWindowOffset (the linker script uses the same numbers).
inline constexpr word_t kWindowOffset = 0xffffff8000000000;
inline constexpr paddr_t kKernelPhysBase = 0x40000000;
inline constexpr vaddr_t kKernelVirtBase = kKernelPhysBase + kWindowOffset;

// Only for messages before the DTB is read: QEMU virt's PL011 works without set-up.
inline constexpr paddr_t kEarlyUart = 0x09000000;

inline constexpr unsigned kPageBits = 12;

}  // namespace keel::platform
