// Turns what the loader passed and what the DTB says into the generic boot's BootParams.
// Pure code, so it also builds on the host.
#pragma once

#include "kernel/core/boot.h"
#include "platform/qemu-virt/fdt.h"

namespace keel::platform {

// The six registers of the seL4 AArch64 boot protocol.
struct EntryArgs {
  paddr_t ui_p_start;
  paddr_t ui_p_end;
  sword_t pv_offset;
  vaddr_t ui_v_entry;
  paddr_t dtb_paddr;
  word_t dtb_size;
};

// Returns nullptr on success, otherwise why the arguments or the DTB cannot be used.
const char* make_boot_params(const fdt::Info& dtb, const EntryArgs& args, MemRegion kernel_image,
                             BootParams* out);

}  // namespace keel::platform
