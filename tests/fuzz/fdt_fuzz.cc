// Fuzz harness: the DTB reader and make_boot_params on arbitrary blobs. Besides never reading
// out of bounds (ASan), what they accept must be self-consistent.
#include <cstring>

#include "platform/qemu-virt/boot_params.h"
#include "platform/qemu-virt/fdt.h"
#include "tests/fuzz/harness.h"

namespace keel::fuzz {
namespace {

constexpr word_t kPage = 4096;

void check_ranges(const fdt::Range* r, unsigned n, const char* what) {
  if (n > fdt::Info::kMaxRanges) finding("fdt: %u %s ranges, more than the table holds", n, what);
  for (unsigned i = 0; i < n; ++i) {
    if (r[i].size == 0) finding("fdt: empty %s range %u recorded", what, i);
    if (r[i].base + r[i].size < r[i].base) finding("fdt: %s range %u wraps around", what, i);
  }
}

void check_info(const fdt::Info& info, const uint8_t* data, size_t size) {
  if (info.total_size > size || fdt::total_size(data, size) != info.total_size)
    finding("fdt: parse and total_size disagree (%zu vs %zu, avail %zu)", size_t(info.total_size),
            size_t(fdt::total_size(data, size)), size);
  if (info.num_memory == 0) finding("fdt: accepted without memory");
  check_ranges(info.memory, info.num_memory, "memory");
  check_ranges(info.reserved, info.num_reserved, "reserved");
  if (info.gic_version != 0 && info.gic_version != 2 && info.gic_version != 3)
    finding("fdt: GIC version %u", info.gic_version);
}

bool inside(const MemRegion& r, const BootParams& p) {
  for (unsigned i = 0; i < p.num_ram; ++i)
    if (r.start >= p.ram[i].start && r.end <= p.ram[i].end) return true;
  return false;
}

void check_params(const BootParams& p) {
  auto aligned = [](const MemRegion& r) {
    return r.start % kPage == 0 && r.end % kPage == 0 && r.start < r.end;
  };
  for (unsigned i = 0; i < p.num_ram; ++i)
    if (!aligned(p.ram[i])) finding("boot_params: RAM range %u not whole pages", i);
  for (unsigned i = 0; i < p.num_reserved; ++i)
    if (!aligned(p.reserved[i])) finding("boot_params: reserved range %u not whole pages", i);
  for (unsigned i = 0; i < p.num_kernel_devices; ++i)
    if (!aligned(p.kernel_devices[i])) finding("boot_params: device range %u not whole pages", i);
  if (p.num_reserved == 0 || !inside(p.reserved[0], p))
    finding("boot_params: kernel image not reserved inside RAM");
  if (!inside(MemRegion{p.ui_p_start, p.ui_p_end}, p)) finding("boot_params: root task image outside RAM");
}

// A loader-like layout inside the first memory range: kernel, DTB, root task, one page each.
void try_boot_params(const fdt::Info& info, size_t dtb_size) {
  const paddr_t base = round_up(info.memory[0].base, 12);
  const platform::EntryArgs args{.ui_p_start = base + 2 * kPage,
                                 .ui_p_end = base + 3 * kPage,
                                 .pv_offset = sword_t(base),
                                 .ui_v_entry = 0x400000,
                                 .dtb_paddr = base + kPage,
                                 .dtb_size = dtb_size};
  BootParams p;
  if (platform::make_boot_params(info, args, MemRegion{base, base + 0x800}, &p) == nullptr) check_params(p);
}

}  // namespace

void run_fdt_input(const uint8_t* data, size_t size) {
  fdt::Info info;
  const char* err = fdt::parse(data, size, &info);
  if (err != nullptr) {
    if (std::strncmp(err, "DTB: ", 5) != 0) finding("fdt: error without the DTB prefix: %s", err);
    return;
  }
  check_info(info, data, size);
  try_boot_params(info, size);
}

}  // namespace keel::fuzz

#ifdef KEEL_LIBFUZZER_ENTRY
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  keel::fuzz::run_fdt_input(data, size);
  return 0;
}
#endif
