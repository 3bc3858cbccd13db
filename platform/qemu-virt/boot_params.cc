// BootParams from the DTB and entry registers: RAM, what RAM must stay untouched, kernel devices.
#include "platform/qemu-virt/boot_params.h"

#include "platform/qemu-virt/platform.h"

namespace keel::platform {
namespace {

const char* push(MemRegion* arr, unsigned* n, MemRegion r, const char* full) {
  if (r.start >= r.end) return nullptr;
  if (*n == BootParams::kMaxRegions) return full;
  arr[(*n)++] = r;
  return nullptr;
}

// Reserved and device ranges grow to whole pages; RAM shrinks to them.
MemRegion outward(paddr_t base, word_t size) {
  return MemRegion{round_down(base, kPageBits), round_up(base + size, kPageBits)};
}

bool inside_ram(const BootParams& p, MemRegion r) {
  for (unsigned i = 0; i < p.num_ram; ++i) {
    if (r.start >= p.ram[i].start && r.end <= p.ram[i].end) return true;
  }
  return false;
}

// As seL4 on qemu-arm-virt: the UART stays available to user level (the kernel only prints
// through it), and the kernel keeps the first page of each GIC region, where the registers it
// uses live.
const char* add_devices(const fdt::Info& dtb, BootParams* out) {
  const char* full = "boot: too many kernel device ranges";
  if (!dtb.has_uart) return "DTB: no PL011 UART";
  if (dtb.gic_version == 0) return nullptr;
  const char* err = push(out->kernel_devices, &out->num_kernel_devices, outward(dtb.gic_dist.base, 1), full);
  if (err == nullptr) {
    err = push(out->kernel_devices, &out->num_kernel_devices, outward(dtb.gic_cpu.base, 1), full);
  }
  return err;
}

}  // namespace

const char* make_boot_params(const fdt::Info& dtb, const EntryArgs& args, MemRegion kernel_image,
                             BootParams* out) {
  *out = BootParams{};
  const char* full = "boot: too many reserved ranges";
  for (unsigned i = 0; i < dtb.num_memory; ++i) {
    MemRegion r{round_up(dtb.memory[i].base, kPageBits),
                round_down(dtb.memory[i].base + dtb.memory[i].size, kPageBits)};
    if (const char* err = push(out->ram, &out->num_ram, r, "boot: too many RAM ranges")) return err;
  }
  MemRegion kernel = outward(kernel_image.start, kernel_image.end - kernel_image.start);
  if (!inside_ram(*out, kernel)) return "boot: the kernel image is not inside RAM";
  const char* err = push(out->reserved, &out->num_reserved, kernel, full);
  if (err == nullptr && args.dtb_paddr != 0) {
    err = push(out->reserved, &out->num_reserved, outward(args.dtb_paddr, args.dtb_size), full);
  }
  for (unsigned i = 0; err == nullptr && i < dtb.num_reserved; ++i) {
    err = push(out->reserved, &out->num_reserved, outward(dtb.reserved[i].base, dtb.reserved[i].size), full);
  }
  if (err == nullptr) err = add_devices(dtb, out);
  if (err != nullptr) return err;
  MemRegion ui{args.ui_p_start, args.ui_p_end};
  if (ui.start >= ui.end || !is_aligned(ui.start, kPageBits) || !inside_ram(*out, ui))
    return "boot: the root task image is empty, unaligned or outside RAM";
  out->ui_p_start = args.ui_p_start;
  out->ui_p_end = args.ui_p_end;
  out->pv_offset = args.pv_offset;
  out->ui_v_entry = args.ui_v_entry;
  out->dtb_paddr = args.dtb_paddr;
  out->dtb_size = args.dtb_size;
  return nullptr;
}

}  // namespace keel::platform
