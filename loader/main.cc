// keel's loader: unpacks the boot archive (kernel.elf, kernel.dtb, root task), places them as
// seL4's elfloader does, turns the MMU on with the boot protocol's tables and calls the kernel.
#include "loader/loader_util.h"
#include "platform/qemu-virt/fdt.h"

extern "C" {
extern const uint8_t _archive_start[];
extern const uint8_t _archive_end[];
extern char __loader_start[];
extern char __loader_end[];
void loader_main(uint64_t x0, uint64_t entry_el);
}

namespace loader {

struct alignas(16) KernelEntry {
  uint64_t ttbr0, ttbr1, mair, tcr, sctlr, entry;
  uint64_t args[6];
};

}  // namespace loader

extern "C" [[noreturn]] void loader_enter_kernel(const loader::KernelEntry* e);

namespace loader {
namespace {

constexpr uint64_t kBlock2M = uint64_t{1} << 21;
constexpr uint64_t kQemuRamBase = 0x40000000;
constexpr uint64_t kMaxDtb = uint64_t{1} << 20;

alignas(4096) uint64_t g_l0_low[512];
alignas(4096) uint64_t g_l1_low[512];
alignas(4096) uint64_t g_l0_high[512];
alignas(4096) uint64_t g_l1_high[512];
alignas(4096) uint64_t g_l2_high[512];
alignas(8) uint8_t g_dtb_copy[kMaxDtb];
KernelEntry g_entry;

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// A DTB's size if p holds one, else 0.
uint64_t dtb_size_at(const uint8_t* p, uint64_t avail) {
  if (avail < 40 || be32(p) != 0xd00dfeed) return 0;
  uint64_t size = be32(p + 4);
  return size >= 40 && size <= avail ? size : 0;
}

keel::fdt::Info g_dtb_info;

// The RAM the images must fit in: the DTB's first memory range.
Region ram_from_dtb(Span dtb) {
  if (const char* err = keel::fdt::parse(dtb.data, dtb.size, &g_dtb_info)) fail(err);
  if (g_dtb_info.num_memory == 0) fail("the DTB describes no memory");
  const keel::fdt::Range& m = g_dtb_info.memory[0];
  if (m.size > ~uint64_t{0} - m.base) fail("the DTB's memory range wraps past 2^64");
  return Region{m.base, m.base + m.size};
}

// The archive's DTB if it has one; else the one QEMU placed for us (copied before the kernel
// is loaded over it).
Span find_dtb(Span in_archive, uint64_t x0) {
  if (in_archive.size != 0) {
    if (dtb_size_at(in_archive.data, in_archive.size) == 0) fail("archive: kernel.dtb is not a DTB");
    return in_archive;
  }
  const uint8_t* candidates[] = {reinterpret_cast<const uint8_t*>(x0),
                                 reinterpret_cast<const uint8_t*>(kQemuRamBase)};
  for (const uint8_t* c : candidates) {
    if (c == nullptr || reinterpret_cast<uint64_t>(c) % 8 != 0) continue;
    uint64_t size = dtb_size_at(c, kMaxDtb);
    if (size == 0) continue;
    copy(reinterpret_cast<uint64_t>(g_dtb_copy), c, size);
    put_str("keel-loader: using the DTB QEMU passed\n");
    return Span{g_dtb_copy, size};
  }
  fail("no DTB in the archive and none from QEMU");
}

// The packed DTB wins over one the boot firmware passes in x0 (U-Boot's booti passes QEMU's,
// with its own /chosen edits): the packed one is the DTB mkimage.py checked the placement
// against, so every boot path gives the kernel the same bytes. Says so when x0 holds a DTB.
void note_passed_dtb(uint64_t x0, Region ram) {
  if (x0 % 8 != 0 || x0 < ram.start || x0 >= ram.end || ram.end - x0 < 40) return;
  if (dtb_size_at(reinterpret_cast<const uint8_t*>(x0), ram.end - x0) == 0) return;
  put_str("keel-loader: x0 holds a DTB at ");
  put_hex(x0);
  put_str("; booting with the packed DTB\n");
}

uint64_t read_mmfr0() {
  uint64_t v;
  asm volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(v));
  return v;
}

// TTBR0: identity map of the low 512 GiB, 1 GiB Device-nGnRnE blocks. TTBR1: the kernel window
// from the kernel's first virtual address in 2 MiB Normal blocks, far enough to cover `span`.
void build_tables(const ElfImage& kernel, uint64_t span) {
  constexpr uint64_t kBlock = 1, kTable = 3, kAf = uint64_t{1} << 10, kShInner = uint64_t{3} << 8;
  g_l0_low[0] = reinterpret_cast<uint64_t>(g_l1_low) | kTable;
  for (uint64_t i = 0; i < 512; ++i) g_l1_low[i] = (i << 30) | kAf | kBlock;  // AttrIndx 0
  uint64_t kv = kernel.v_start;
  g_l0_high[(kv >> 39) & 511] = reinterpret_cast<uint64_t>(g_l1_high) | kTable;
  g_l1_high[(kv >> 30) & 511] = reinterpret_cast<uint64_t>(g_l2_high) | kTable;
  uint64_t first = (kv >> 21) & 511;
  for (uint64_t i = first, pa = kernel.p_start; i < 512 && pa < kernel.p_start + span; ++i, pa += kBlock2M) {
    g_l2_high[i] = pa | kAf | kShInner | (4 << 2) | kBlock;  // AttrIndx 4: Normal WB
  }
}

void prepare_entry(const ElfImage& kernel, const uint64_t (&args)[6]) {
  uint64_t mmfr0 = read_mmfr0();
  uint64_t ips = mmfr0 & 0xf;
  if (ips > 5) ips = 5;
  // T0SZ = T1SZ = 16, walks WBWA, 4 KiB granules, 16-bit ASIDs when the CPU has them.
  uint64_t tcr = 16 | (1 << 8) | (1 << 10) | (uint64_t{16} << 16) | (uint64_t{1} << 24) |
                 (uint64_t{1} << 26) | (uint64_t{2} << 30) | (ips << 32);
  if (((mmfr0 >> 4) & 0xf) == 2) tcr |= uint64_t{1} << 36;
  g_entry = KernelEntry{reinterpret_cast<uint64_t>(g_l0_low),
                        reinterpret_cast<uint64_t>(g_l0_high),
                        0xaaff440c0400,
                        tcr,
                        0x30d5183d,
                        kernel.entry,
                        {}};
  for (unsigned i = 0; i < 6; ++i) g_entry.args[i] = args[i];
}

struct ArchiveFiles {
  Span kernel, dtb, user;  // dtb.size == 0: the archive has none
};

// Entries in seL4's order: kernel.elf, optionally kernel.dtb, then exactly one root task.
ArchiveFiles read_archive() {
  Span archive{_archive_start, static_cast<uint64_t>(_archive_end - _archive_start)};
  ArchiveFiles files{};
  const char* name = nullptr;
  if (!cpio_entry(archive, 0, &name, &files.kernel) || !name_matches(name, "kernel.elf"))
    fail("archive: the first entry must be kernel.elf");
  unsigned next = 1;
  Span entry{};
  if (cpio_entry(archive, 1, &name, &entry) && name_matches(name, "kernel.dtb")) {
    files.dtb = entry;
    next = 2;
  }
  if (!cpio_entry(archive, next, &name, &files.user)) fail("archive: no root task after the kernel");
  if (cpio_entry(archive, next + 1, &name, &entry)) fail("archive: more than one root task");
  return files;
}

void print_range(const char* what, uint64_t start, uint64_t end) {
  put_str(what);
  put_str(" [");
  put_hex(start);
  put_str(", ");
  put_hex(end);
  put_str(")\n");
}

}  // namespace
}  // namespace loader

using namespace loader;

void loader_main(uint64_t x0, uint64_t entry_el) {
  if (entry_el == 2) {
    put_str("keel-loader: entered at EL2, now at EL1 (HCR_EL2 = RW, SMCs not trapped)\n");
  } else if (entry_el == 1) {
    put_str("keel-loader: entered at EL1\n");
  } else {
    fail("entered at EL3 or EL0: only EL2 and EL1 entry are supported");
  }
  ArchiveFiles files = read_archive();
  Span dtb = find_dtb(files.dtb, x0);  // before the kernel lands on QEMU's copy
  Region ram = ram_from_dtb(dtb);
  if (files.dtb.size != 0) note_passed_dtb(x0, ram);

  ElfImage kernel{}, user{};
  if (const char* err = elf_inspect(files.kernel, &kernel)) fail("archive: kernel.elf", err);
  if (const char* err = elf_inspect(files.user, &user)) fail("archive: the root task", err);
  Region loader{reinterpret_cast<uint64_t>(__loader_start), reinterpret_cast<uint64_t>(__loader_end)};
  Placement at{};
  if (const char* err = place_images(kernel, dtb.size, user, ram, loader, &at)) fail(err);
  elf_load(files.kernel, kernel, true, 0);
  // seL4's placement: the DTB on the first page after the kernel, the root task after that.
  uint64_t dtb_p = at.dtb, ui_p = at.user, ui_end = at.user_end;
  copy(dtb_p, dtb.data, dtb.size);
  zero(ui_p, ui_end - ui_p);
  elf_load(files.user, user, false, ui_p);

  print_range("keel-loader: kernel", kernel.p_start, kernel.p_end);
  print_range("keel-loader: DTB", dtb_p, dtb_p + dtb.size);
  print_range("keel-loader: root task", ui_p, ui_end);
  put_str("keel-loader: entering the kernel at ");
  put_hex(kernel.entry);
  put_str("\n");

  build_tables(kernel, align_up(ui_end - kernel.p_start, kBlock2M));
  const uint64_t args[6] = {ui_p, ui_end, ui_p - user.v_start, user.entry, dtb_p, dtb.size};
  prepare_entry(kernel, args);
  loader_enter_kernel(&g_entry);
}
