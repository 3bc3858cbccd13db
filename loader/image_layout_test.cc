// The loader's checks on bad root-task images: each one is refused with a message, never
// loaded over memory it does not own.
#include "loader/image_layout.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace loader {
namespace {

struct Segment {
  uint64_t offset, vaddr, paddr, filesz, memsz;
};

void put(std::vector<uint8_t>& b, size_t at, uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

// A minimal AArch64 ELF64 executable with the given PT_LOAD segments and `extra` file bytes.
std::vector<uint8_t> make_elf(const std::vector<Segment>& segs, size_t extra = 0x1000) {
  std::vector<uint8_t> b(64 + 56 * segs.size() + extra, 0);
  std::memcpy(b.data(),
              "\x7f"
              "ELF",
              4);
  b[4] = 2;
  b[5] = 1;
  put(b, 16, 2, 2);    // ET_EXEC
  put(b, 18, 183, 2);  // EM_AARCH64
  put(b, 24, segs.empty() ? 0 : segs[0].vaddr, 8);
  put(b, 32, 64, 8);  // e_phoff
  put(b, 54, 56, 2);
  put(b, 56, segs.size(), 2);
  for (size_t i = 0; i < segs.size(); ++i) {
    size_t ph = 64 + 56 * i;
    put(b, ph, 1, 4);
    put(b, ph + 8, segs[i].offset, 8);
    put(b, ph + 16, segs[i].vaddr, 8);
    put(b, ph + 24, segs[i].paddr, 8);
    put(b, ph + 32, segs[i].filesz, 8);
    put(b, ph + 40, segs[i].memsz, 8);
  }
  return b;
}

std::string inspect(const std::vector<uint8_t>& elf, ElfImage* img) {
  const char* err = elf_inspect(Span{elf.data(), elf.size()}, img);
  return err == nullptr ? "" : err;
}

constexpr Region kRam{0x40000000, 0x80000000};  // QEMU virt, 1 GiB
constexpr Region kLoader{0x43000000, 0x44000000};

ElfImage kernel_image() {
  return ElfImage{0xffffff8040000000, 0xffffff8040000000, 0xffffff8040200000, 0x40000000, 0x40200000};
}

std::string place(const ElfImage& user, uint64_t dtb_size, Placement* at) {
  const char* err = place_images(kernel_image(), dtb_size, user, kRam, kLoader, at);
  return err == nullptr ? "" : err;
}

TEST(LoaderElf, AcceptsAWellFormedExecutable) {
  ElfImage img{};
  auto elf = make_elf({{0x100, 0x400000, 0x400000, 0x100, 0x2000}});
  ASSERT_EQ(inspect(elf, &img), "");
  EXPECT_EQ(img.v_start, 0x400000u);
  EXPECT_EQ(img.v_end, 0x402000u);
}

TEST(LoaderElf, RefusesASegmentWhoseEndWrapsPast2To64) {
  ElfImage img{};
  auto elf = make_elf(
      {{0x100, 0x400000, 0x400000, 0x100, 0x2000}, {0x100, 0xfffffffffffff000, 0x500000, 0x100, 0x2000}});
  EXPECT_EQ(inspect(elf, &img), "a segment wraps past 2^64");
  // Ending within the last page also wraps once rounded up to a page.
  elf = make_elf({{0x100, 0xffffffffffffe000, 0x500000, 0x100, 0x1800}});
  EXPECT_EQ(inspect(elf, &img), "a segment wraps past 2^64");
}

TEST(LoaderElf, RefusesAFileTruncatedAfterItsProgramHeaders) {
  ElfImage img{};
  auto elf = make_elf({{0x100, 0x400000, 0x400000, 0x800, 0x1000}}, 0);
  EXPECT_EQ(inspect(elf, &img), "a segment lies outside the file");
  elf.resize(64 + 20);
  EXPECT_EQ(inspect(elf, &img), "program headers lie outside the file");
}

TEST(LoaderElf, RefusesWhatIsNotAnAArch64Executable) {
  ElfImage img{};
  std::vector<uint8_t> text(200, 'x');
  EXPECT_EQ(inspect(text, &img), "not an ELF file");
  auto elf = make_elf({{0x100, 0x400000, 0x400000, 0x100, 0x1000}});
  put(elf, 18, 62, 2);  // EM_X86_64
  EXPECT_EQ(inspect(elf, &img), "not an AArch64 ELF");
  EXPECT_EQ(inspect(make_elf({}), &img), "no loadable segment");
}

TEST(LoaderPlacement, PutsTheDtbAndRootTaskOnThePagesAfterTheKernel) {
  ElfImage user{0x400000, 0x400000, 0x410000, 0x400000, 0x410000};
  Placement at{};
  ASSERT_EQ(place(user, 0x1234, &at), "");
  EXPECT_EQ(at.dtb, 0x40200000u);
  EXPECT_EQ(at.user, 0x40202000u);
  EXPECT_EQ(at.user_end, 0x40212000u);
}

TEST(LoaderPlacement, RefusesARootTaskLargerThanRam) {
  ElfImage user{0x400000, 0x400000, 0x400000 + (uint64_t{2} << 30), 0, 0};
  Placement at{};
  EXPECT_EQ(place(user, 0x1000, &at), "the root task does not fit in RAM");
  // A span that would wrap the address space when added to its placement.
  user.v_start = 0;
  user.v_end = 0xfffffffffffff000;
  EXPECT_EQ(place(user, 0x1000, &at), "the root task does not fit in RAM");
}

TEST(LoaderPlacement, RefusesARootTaskThatReachesTheLoader) {
  ElfImage user{0x400000, 0x400000, 0x400000 + (uint64_t{64} << 20), 0, 0};
  Placement at{};
  EXPECT_EQ(place(user, 0x1000, &at), "the DTB or the root task would overwrite the loader");
}

TEST(LoaderPlacement, RefusesADtbThatDoesNotFit) {
  ElfImage user{0x400000, 0x400000, 0x401000, 0, 0};
  Placement at{};
  EXPECT_EQ(place(user, ~uint64_t{0} - 10, &at), "the DTB does not fit in RAM after the kernel");
}

TEST(LoaderPlacement, RefusesAKernelOutsideRamOrMisaligned) {
  ElfImage user{0x400000, 0x400000, 0x401000, 0, 0};
  ElfImage k = kernel_image();
  Placement at{};
  k.p_start += 0x1000;
  EXPECT_STREQ(place_images(k, 0, user, kRam, kLoader, &at),
               "kernel.elf must start 2 MiB aligned and fit one 1 GiB virtual region");
  k = kernel_image();
  k.p_start = 0x20000000;
  k.p_end = 0x20200000;
  EXPECT_STREQ(place_images(k, 0, user, kRam, kLoader, &at), "kernel.elf does not fit in RAM");
}

}  // namespace
}  // namespace loader
