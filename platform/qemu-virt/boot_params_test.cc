// Host tests of make_boot_params: RAM, reserved and kernel-device ranges from a QEMU virt DTB
// and the loader's entry registers, and the refusals.
#include "platform/qemu-virt/boot_params.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "platform/qemu-virt/testdata/fdt_builder.h"

namespace keel {
// In keel itself so that gtest finds them by argument-dependent lookup.
static bool operator==(MemRegion a, MemRegion b) { return a.start == b.start && a.end == b.end; }
static std::ostream& operator<<(std::ostream& os, MemRegion r) {
  return os << std::hex << "[0x" << r.start << ", 0x" << r.end << ")" << std::dec;
}
}  // namespace keel

namespace keel::platform {
namespace {

using fdt::test::Blob;

fdt::Info qemu_info() {
  std::ifstream f(std::string(KEEL_QEMU_VIRT_TESTDATA) + "/qemu-virt.dtb", std::ios::binary);
  const Blob b(std::istreambuf_iterator<char>(f), {});
  fdt::Info info;
  const char* err = fdt::parse(b.data(), b.size(), &info);
  EXPECT_EQ(err, nullptr) << err;
  return info;
}

// What keel's loader passes on QEMU virt with -m 1G: kernel at the bottom of RAM, then the DTB,
// then the root task (the numbers are representative, not the loader's exact choice).
constexpr MemRegion kKernel{0x40000000, 0x40123456};
EntryArgs qemu_args() {
  return EntryArgs{.ui_p_start = 0x40400000,
                   .ui_p_end = 0x40452000,
                   .pv_offset = 0x40000000,
                   .ui_v_entry = 0x400000,
                   .dtb_paddr = 0x40200010,
                   .dtb_size = 0x1d90};
}

TEST(BootParams, FromTheQemuVirtDtb) {
  BootParams p;
  const char* err = make_boot_params(qemu_info(), qemu_args(), kKernel, &p);
  ASSERT_EQ(err, nullptr) << err;
  ASSERT_EQ(p.num_ram, 1u);
  EXPECT_EQ(p.ram[0], (MemRegion{0x40000000, 0x80000000}));
  ASSERT_EQ(p.num_reserved, 2u);
  EXPECT_EQ(p.reserved[0], (MemRegion{0x40000000, 0x40124000}));  // kernel, out to pages
  EXPECT_EQ(p.reserved[1], (MemRegion{0x40200000, 0x40202000}));  // the DTB, out to pages
  // As seL4: the UART stays with user level; the kernel keeps the first page of each GIC region.
  ASSERT_EQ(p.num_kernel_devices, 2u);
  EXPECT_EQ(p.kernel_devices[0], (MemRegion{0x08000000, 0x08001000}));  // GIC distributor
  EXPECT_EQ(p.kernel_devices[1], (MemRegion{0x08010000, 0x08011000}));  // GIC CPU interface
  EXPECT_EQ(p.ui_p_start, 0x40400000u);
  EXPECT_EQ(p.ui_p_end, 0x40452000u);
  EXPECT_EQ(p.pv_offset, 0x40000000);
  EXPECT_EQ(p.ui_v_entry, 0x400000u);
  EXPECT_EQ(p.dtb_paddr, 0x40200010u);
  EXPECT_EQ(p.dtb_size, 0x1d90u);
}

TEST(BootParams, RamShrinksToPagesAndReservationsGrow) {
  fdt::Info info = qemu_info();
  info.num_memory = 2;
  info.memory[0] = fdt::Range{0x40000800, 0x3ffff000};  // ragged at both ends
  info.memory[1] = fdt::Range{0x100000000, 0x800};      // less than a page: no RAM at all
  info.num_reserved = 2;
  info.reserved[0] = fdt::Range{0x50000010, 0x10};
  info.reserved[1] = fdt::Range{0x60000000, 0x2000};
  BootParams p;
  EntryArgs args = qemu_args();
  const char* err = make_boot_params(info, args, MemRegion{0x40001000, 0x40100000}, &p);
  ASSERT_EQ(err, nullptr) << err;
  ASSERT_EQ(p.num_ram, 1u);
  EXPECT_EQ(p.ram[0], (MemRegion{0x40001000, 0x7ffff000}));
  ASSERT_EQ(p.num_reserved, 4u);
  EXPECT_EQ(p.reserved[2], (MemRegion{0x50000000, 0x50001000}));
  EXPECT_EQ(p.reserved[3], (MemRegion{0x60000000, 0x60002000}));
}

TEST(BootParams, NoDtbMeansNoDtbReservation) {
  EntryArgs args = qemu_args();
  args.dtb_paddr = 0;
  args.dtb_size = 0;
  BootParams p;
  ASSERT_EQ(make_boot_params(qemu_info(), args, kKernel, &p), nullptr);
  EXPECT_EQ(p.num_reserved, 1u);
}

TEST(BootParams, NoGicMeansNoKernelDevices) {
  fdt::Info info = qemu_info();
  info.gic_version = 0;
  BootParams p;
  ASSERT_EQ(make_boot_params(info, qemu_args(), kKernel, &p), nullptr);
  EXPECT_EQ(p.num_kernel_devices, 0u);
}

TEST(BootParams, Refusals) {
  BootParams p;
  fdt::Info info = qemu_info();
  EXPECT_STREQ(make_boot_params(info, qemu_args(), MemRegion{0x80000000, 0x80100000}, &p),
               "boot: the kernel image is not inside RAM");
  const char* kBadImage = "boot: the root task image is empty, unaligned or outside RAM";
  EntryArgs args = qemu_args();
  args.ui_p_start += 8;
  EXPECT_STREQ(make_boot_params(info, args, kKernel, &p), kBadImage);
  args = qemu_args();
  args.ui_p_end = args.ui_p_start;
  EXPECT_STREQ(make_boot_params(info, args, kKernel, &p), kBadImage);
  args = qemu_args();
  args.ui_p_start = 0x7ffff000;
  args.ui_p_end = 0x80001000;
  EXPECT_STREQ(make_boot_params(info, args, kKernel, &p), kBadImage);
  info.has_uart = false;
  EXPECT_STREQ(make_boot_params(info, qemu_args(), kKernel, &p), "DTB: no PL011 UART");
}

TEST(BootParams, TooManyReservedRanges) {
  fdt::Info info = qemu_info();
  info.num_reserved = fdt::Info::kMaxRanges;
  for (unsigned i = 0; i < info.num_reserved; ++i)
    info.reserved[i] = fdt::Range{0x50000000 + i * 0x10000, 0x1000};
  BootParams p;
  EXPECT_STREQ(make_boot_params(info, qemu_args(), kKernel, &p), "boot: too many reserved ranges");
}

}  // namespace
}  // namespace keel::platform
