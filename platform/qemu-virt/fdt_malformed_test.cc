// Host tests of the DTB reader on malformed blobs: each is rejected with a message naming the
// fault, and no corruption or truncation of a real DTB makes it read outside the blob.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>

#include "platform/qemu-virt/fdt.h"
#include "platform/qemu-virt/testdata/fdt_builder.h"

namespace keel::fdt {
namespace {

using test::Blob;
using test::FdtBuilder;
using test::get_be32;
using test::put_be32;

// Parses from a heap copy of exactly avail bytes, so ASan sees any read past the end.
std::string parse_error(const Blob& b, size_t avail) {
  std::unique_ptr<uint8_t[]> copy(new uint8_t[avail == 0 ? 1 : avail]);
  std::copy_n(b.begin(), std::min(avail, b.size()), copy.get());
  Info info;
  const char* err = parse(avail == 0 ? nullptr : copy.get(), avail, &info);
  return err == nullptr ? "" : err;
}
std::string parse_error(const Blob& b) { return parse_error(b, b.size()); }

Blob good() { return test::qemu_like_tree().finish(); }

// The offset of the structure block's first token after the header and reservation map.
uint32_t struct_off(const Blob& b) { return get_be32(b, test::kOffStructOff); }

TEST(FdtMalformed, WellFormedBaselineParses) { EXPECT_EQ(parse_error(good()), ""); }

TEST(FdtMalformed, HeaderProblems) {
  EXPECT_EQ(parse_error(good(), 0), "DTB: smaller than its header");
  EXPECT_EQ(parse_error(good(), 39), "DTB: smaller than its header");
  Blob b = good();
  put_be32(b, test::kMagicOff, 0xfeedd00d);
  EXPECT_EQ(parse_error(b), "DTB: bad magic (not a flattened device tree)");
  EXPECT_EQ(total_size(b.data(), b.size()), 0u);
  b = good();
  EXPECT_EQ(parse_error(b, b.size() - 1), "DTB: totalsize larger than the blob");
  put_be32(b, test::kTotalSizeOff, 0xffffffff);
  EXPECT_EQ(parse_error(b), "DTB: totalsize larger than the blob");
  put_be32(b, test::kTotalSizeOff, 8);
  EXPECT_EQ(parse_error(b), "DTB: totalsize larger than the blob");
  b = good();
  put_be32(b, test::kVersionOff, 16);
  EXPECT_EQ(parse_error(b), "DTB: unsupported version (need v17)");
  b = good();
  put_be32(b, test::kLastCompOff, 18);
  EXPECT_EQ(parse_error(b), "DTB: unsupported version (need v17)");
}

TEST(FdtMalformed, BlockOffsetsOutOfRange) {
  const char* kStruct = "DTB: structure block outside the blob";
  Blob b = good();
  put_be32(b, test::kOffStructOff, 0xfffffff0);
  EXPECT_EQ(parse_error(b), kStruct);
  b = good();
  put_be32(b, test::kSizeStructOff, 0xffffffff);  // offset + size would wrap in 32 bits
  EXPECT_EQ(parse_error(b), kStruct);
  b = good();
  put_be32(b, test::kOffStructOff, struct_off(b) + 2);  // misaligned
  EXPECT_EQ(parse_error(b), kStruct);
  b = good();
  put_be32(b, test::kOffStringsOff, static_cast<uint32_t>(b.size() + 4));
  EXPECT_EQ(parse_error(b), "DTB: strings block outside the blob");
  b = good();
  put_be32(b, test::kSizeStringsOff, 0xfffffffc);
  EXPECT_EQ(parse_error(b), "DTB: strings block outside the blob");
  const char* kRsv = "DTB: memory reservation block outside the blob";
  for (uint32_t off : {0u, 8u, 44u, static_cast<uint32_t>(b.size() - 8), 0xfffffff8u}) {
    b = good();
    put_be32(b, test::kOffRsvmapOff, off);
    EXPECT_EQ(parse_error(b), kRsv) << off;
  }
}

TEST(FdtMalformed, UnterminatedMemoryReservationBlock) {
  Blob b = good();
  // Point the map at the last 16 bytes, which are not a zero pair (the strings block).
  put_be32(b, test::kOffRsvmapOff, static_cast<uint32_t>((b.size() - 16) & ~size_t{7}));
  for (size_t i = b.size() - 24; i < b.size(); ++i) b[i] = 0x01;  // no zero pair, no wrap
  EXPECT_EQ(parse_error(b), "DTB: memory reservation block not terminated");
}

TEST(FdtMalformed, MemreserveRangeThatWraps) {
  FdtBuilder t = test::qemu_like_tree();
  t.memreserve(0xfffffffffffff000, 0x2000);
  EXPECT_EQ(parse_error(t.finish()), "DTB: address range wraps around");
}

TEST(FdtMalformed, TooManyMemreserveEntries) {
  FdtBuilder t = test::qemu_like_tree();
  for (unsigned i = 0; i <= Info::kMaxRanges; ++i) t.memreserve(0x1000 * (i + 1), 0x1000);
  EXPECT_EQ(parse_error(t.finish()), "DTB: too many reserved ranges");
}

TEST(FdtMalformed, StructureTokens) {
  FdtBuilder b;
  b.begin("").u32("#address-cells", 1).u32("#size-cells", 1).begin("memory").cells("reg", {0, 0x1000}).end();
  EXPECT_EQ(parse_error(FdtBuilder(b).finish()), "DTB: FDT_END inside a node");
  EXPECT_EQ(parse_error(FdtBuilder(b).end().no_end().finish()), "DTB: structure block ends without FDT_END");
  EXPECT_EQ(parse_error(FdtBuilder(b).word(77).finish()), "DTB: unknown structure token");
  EXPECT_EQ(parse_error(FdtBuilder(b).end().finish()), "");  // fine once balanced
  EXPECT_EQ(parse_error(FdtBuilder(b).end().end().finish()), "DTB: unbalanced FDT_END_NODE");
  EXPECT_EQ(parse_error(FdtBuilder(b).end().begin("").end().finish()), "DTB: more than one root node");
  EXPECT_EQ(parse_error(FdtBuilder().finish()), "DTB: no root node");
  EXPECT_EQ(parse_error(FdtBuilder().u32("x", 1).finish()), "DTB: property outside any node");
  EXPECT_EQ(parse_error(FdtBuilder().begin("root").end().finish()), "DTB: root node has a name");
}

TEST(FdtMalformed, UnterminatedNodeName) {
  FdtBuilder b;
  b.word(FdtBuilder::kBeginNode).word(0x41414141).no_end();  // "AAAA" to the block's end
  EXPECT_EQ(parse_error(b.finish()), "DTB: unterminated node name");
}

TEST(FdtMalformed, PropertyProblems) {
  FdtBuilder base;
  base.begin("");
  // A property header cut short by the block's end.
  EXPECT_EQ(parse_error(FdtBuilder(base).word(FdtBuilder::kProp).word(4).no_end().finish()),
            "DTB: truncated property header");
  // A value longer than what is left of the structure block.
  uint32_t name = FdtBuilder(base).string_offset("reg");
  FdtBuilder big = base;
  big.string_offset("reg");
  big.word(FdtBuilder::kProp).word(0xfffffff0).word(name).end();
  EXPECT_EQ(parse_error(big.finish()), "DTB: property value overruns the structure block");
  // A name offset past the strings block.
  FdtBuilder far = base;
  far.string_offset("reg");
  far.word(FdtBuilder::kProp).word(0).word(0x10000).end();
  EXPECT_EQ(parse_error(far.finish()), "DTB: property name offset outside the strings block");
  // A name that runs to the end of the strings block without a NUL.
  FdtBuilder open = base;
  open.string_offset("reg");
  open.raw_strings("compat");
  open.word(FdtBuilder::kProp).word(0).word(4).end();
  Blob blob = open.finish();
  put_be32(blob, test::kSizeStringsOff, 4 + 6);  // exactly "reg\0compat", no padding
  EXPECT_EQ(parse_error(blob), "DTB: unterminated property name");
}

TEST(FdtMalformed, CellCountProblems) {
  auto with = [](uint32_t ac, uint32_t sc, std::initializer_list<uint32_t> reg) {
    FdtBuilder b;
    b.begin("")
        .u32("#address-cells", ac)
        .u32("#size-cells", sc)
        .begin("memory")
        .cells("reg", reg)
        .end()
        .end();
    return parse_error(b.finish());
  };
  EXPECT_EQ(with(3, 1, {0, 0, 0, 0x1000}), "DTB: unsupported #address-cells/#size-cells");
  EXPECT_EQ(with(0, 1, {0x1000}), "DTB: unsupported #address-cells/#size-cells");
  EXPECT_EQ(with(1, 3, {0, 0, 0, 0x1000}), "DTB: unsupported #address-cells/#size-cells");
  EXPECT_EQ(with(2, 2, {0, 0x40000000, 0x1000}), "DTB: reg length does not match #address-cells/#size-cells");
  EXPECT_EQ(with(2, 2, {0xffffffff, 0xfffff000, 0, 0x2000}), "DTB: address range wraps around");
  EXPECT_EQ(with(1, 0, {0x40000000}), "DTB: no /memory node with a reg");  // size 0: no range
  FdtBuilder b;
  b.begin("").cells("#address-cells", {0, 2}).end();
  EXPECT_EQ(parse_error(b.finish()), "DTB: #address-cells/#size-cells is not one cell");
}

TEST(FdtMalformed, NestingTooDeep) {
  FdtBuilder b;
  b.begin("");
  for (int i = 0; i < 20; ++i) b.begin("n" + std::to_string(i));
  for (int i = 0; i < 21; ++i) b.end();
  EXPECT_EQ(parse_error(b.finish()), "DTB: nodes nested too deeply");
}

Blob qemu_dtb() {
  std::ifstream f(std::string(KEEL_QEMU_VIRT_TESTDATA) + "/qemu-virt.dtb", std::ios::binary);
  return Blob(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Every prefix of a real DTB: rejected (the header's totalsize exceeds it) and never overread.
TEST(FdtMalformed, EveryTruncationOfTheQemuDtbIsRejected) {
  const Blob b = qemu_dtb();
  ASSERT_GT(b.size(), 40u);
  for (size_t n = 0; n < b.size(); ++n) EXPECT_NE(parse_error(b, n), "") << n;
  EXPECT_EQ(parse_error(b), "");
}

// The header's totalsize and block sizes shrunk to every value: the reader must notice from
// the structure alone, not from the buffer's end.
TEST(FdtMalformed, EveryShrunkenStructureBlockIsRejected) {
  const Blob orig = qemu_dtb();
  ASSERT_GT(orig.size(), 40u);
  const uint32_t size_struct = get_be32(orig, test::kSizeStructOff);
  for (uint32_t s = 0; s < size_struct; s += 4) {
    Blob b = orig;
    put_be32(b, test::kSizeStructOff, s);
    EXPECT_NE(parse_error(b), "") << s;
  }
}

// Every byte of a small tree replaced by a few values: any result but a crash is fine.
TEST(FdtMalformed, SingleByteCorruptionsNeverCrash) {
  const Blob orig = good();
  size_t rejected = 0;
  for (size_t i = 0; i < orig.size(); ++i) {
    for (uint8_t v : std::initializer_list<uint8_t>{0x00, 0x01, 0x03, 0x7f, 0x80, 0xff}) {
      Blob b = orig;
      b[i] = v;
      if (!parse_error(b).empty()) ++rejected;
    }
  }
  EXPECT_GT(rejected, 0u);
}

}  // namespace
}  // namespace keel::fdt
