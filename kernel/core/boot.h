// What the arch start-up code hands to the generic boot: memory, the user image, the DTB.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

struct MemRegion {
  paddr_t start;
  paddr_t end;  // exclusive
};

struct BootParams {
  static constexpr unsigned kMaxRegions = 16;
  MemRegion ram[kMaxRegions];  // RAM as the DTB's /memory nodes describe it
  unsigned num_ram = 0;
  MemRegion reserved[kMaxRegions];        // RAM the kernel must not hand out: kernel image, DTB,
  unsigned num_reserved = 0;              // loader, /reserved-memory, /memreserve/
  MemRegion kernel_devices[kMaxRegions];  // device ranges the kernel keeps (UART, GIC)
  unsigned num_kernel_devices = 0;
  paddr_t ui_p_start = 0;  // the root task image in physical memory
  paddr_t ui_p_end = 0;
  sword_t pv_offset = 0;  // physical - virtual for the root task image
  vaddr_t ui_v_entry = 0;
  paddr_t dtb_paddr = 0;  // 0 = none
  word_t dtb_size = 0;
};

// Creates the root task and every initial object (seL4's init_kernel after the arch part):
// root CNode, TCB, VSpace, IPC buffer, bootinfo, untypeds. Leaves the root task current.
// Returns false and prints why when the memory is not enough.
[[nodiscard]] bool init_kernel(const BootParams& params);

}  // namespace keel
