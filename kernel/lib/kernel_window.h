// Translation between physical addresses (what caps and MDB links hold) and kernel pointers.
//
// On AArch64 the kernel window maps all physical memory at a fixed offset; on the host the
// offset places the simulated physical memory inside an arena. Either way the core only ever
// stores physical addresses, so kernel state compares bit for bit between the two builds.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

// Kernel virtual address of physical address 0; set once by arch or host start-up code.
extern word_t g_kernel_window_offset;

template <typename T>
inline T* ptr_from_paddr(paddr_t p) {
  return reinterpret_cast<T*>(p + g_kernel_window_offset);
}
inline paddr_t paddr_of(const void* p) { return reinterpret_cast<word_t>(p) - g_kernel_window_offset; }

}  // namespace keel
