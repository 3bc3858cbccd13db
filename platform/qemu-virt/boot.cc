// The kernel's own start-up on QEMU virt: own page tables, DTB, devices, then the generic boot
// and the first return to user mode.
#include "kernel/core/boot.h"
#include "arch/aarch64/entry/entry.h"
#include "arch/aarch64/machine/hw.h"
#include "arch/aarch64/machine/kernel_map.h"
#include "arch/aarch64/machine/sysreg.h"
#include "kernel/lib/kernel_window.h"
#include "kernel/lib/print.h"
#include "platform/qemu-virt/boot_params.h"
#include "platform/qemu-virt/gicv2.h"
#include "platform/qemu-virt/pl011.h"
#include "platform/qemu-virt/platform.h"

extern "C" {
// The linker script's symbols (linker.ld) bounding the kernel image.
// NOLINTBEGIN(readability-identifier-naming)
extern char __kernel_start[];
extern char __kernel_end[];
// NOLINTEND(readability-identifier-naming)
[[noreturn]] void keel_platform_boot(keel::word_t ui_p_start, keel::word_t ui_p_end, keel::sword_t pv_offset,
                                     keel::word_t ui_v_entry, keel::word_t dtb_paddr, keel::word_t dtb_size);
}

namespace keel::platform {
namespace {

using arch::MapKind;

MemRegion kernel_image() {
  return MemRegion{reinterpret_cast<word_t>(__kernel_start) - kWindowOffset,
                   reinterpret_cast<word_t>(__kernel_end) - kWindowOffset};
}

void map_or_panic(paddr_t base, word_t size, MapKind kind, const char* what) {
  if (!arch::kernel_map(base, size, kind)) arch::panic("%s 0x%lx", what, base);
}

// Phase 1: just enough to run on our own tables and read the DTB (the loader's identity map,
// which the early console still uses, goes away here).
void map_boot_window(const EntryArgs& args) {
  MemRegion k = kernel_image();
  map_or_panic(k.start, k.end - k.start, MapKind::Normal, "boot: cannot map the kernel image at");
  if (args.dtb_paddr != 0) {
    map_or_panic(args.dtb_paddr, args.dtb_size, MapKind::Normal, "boot: cannot map the DTB at");
  }
  map_or_panic(kEarlyUart, 4096, MapKind::Device, "boot: cannot map the early UART at");
  arch::kernel_map_activate();
  pl011::set_base(kEarlyUart + kWindowOffset);
}

// Phase 2: all RAM and the devices the kernel drives, as the DTB describes them.
void map_described(const fdt::Info& dtb) {
  for (unsigned i = 0; i < dtb.num_memory; ++i) {
    map_or_panic(dtb.memory[i].base, dtb.memory[i].size, MapKind::Normal, "boot: cannot map RAM at");
  }
  map_or_panic(dtb.uart.base, dtb.uart.size, MapKind::Device, "boot: cannot map the UART at");
  if (dtb.gic_version != 0) {
    map_or_panic(dtb.gic_dist.base, dtb.gic_dist.size, MapKind::Device, "boot: cannot map the GIC at");
    map_or_panic(dtb.gic_cpu.base, dtb.gic_cpu.size, MapKind::Device, "boot: cannot map the GIC at");
  }
  arch::kernel_map_sync();
  pl011::set_base(dtb.uart.base + kWindowOffset);
  if (dtb.gic_version == 2) {
    gicv2::set_bases(dtb.gic_dist.base + kWindowOffset, dtb.gic_cpu.base + kWindowOffset);
  } else {
    kprintf("keel: boot: no GICv2 in the DTB (GIC version %u): no interrupts, no kernel tick\n",
            dtb.gic_version);
  }
  if (dtb.psci == fdt::PsciMethod::Hvc) arch::set_psci_conduit(arch::PsciConduit::Hvc);
}

void print_banner(const BootParams& p) {
  kprintf("keel: AArch64 kernel at EL%lu, kernel window 0x%lx\nkeel: RAM", (arch::read_currentel() >> 2) & 3,
          kWindowOffset);
  for (unsigned i = 0; i < p.num_ram; ++i) kprintf(" [0x%lx, 0x%lx)", p.ram[i].start, p.ram[i].end);
  kprintf(", root task [0x%lx, 0x%lx) entry 0x%lx, DTB 0x%lx\n", p.ui_p_start, p.ui_p_end, p.ui_v_entry,
          p.dtb_paddr);
}

}  // namespace
}  // namespace keel::platform

using namespace keel;

void keel_platform_boot(word_t ui_p_start, word_t ui_p_end, sword_t pv_offset, word_t ui_v_entry,
                        word_t dtb_paddr, word_t dtb_size) {
  g_kernel_window_offset = platform::kWindowOffset;
  // The console stays off until our own tables map the UART: keel's loader leaves an identity
  // map of the low 512 GiB, but seL4's elfloader maps only its own image, so touching the UART
  // through the loader's tables could fault.
  platform::pl011::set_base(0);
  arch::install_vectors();
  platform::EntryArgs args{ui_p_start, ui_p_end, pv_offset, ui_v_entry, dtb_paddr, dtb_size & 0xffffffff};
  if (args.dtb_paddr == 0 || args.dtb_size == 0) arch::panic("boot: the loader passed no DTB");
  platform::map_boot_window(args);

  fdt::Info dtb;
  const char* err = fdt::parse(ptr_from_paddr<const uint8_t>(args.dtb_paddr), args.dtb_size, &dtb);
  if (err != nullptr) arch::panic("%s", err);
  platform::map_described(dtb);

  BootParams params;
  err = platform::make_boot_params(dtb, args, platform::kernel_image(), &params);
  if (err != nullptr) arch::panic("%s", err);
  platform::print_banner(params);
  arch::cpu_init();
  platform::gicv2::init();

  if (!init_kernel(params)) arch::panic("boot: init_kernel failed");
  arch::enter_user();
}
