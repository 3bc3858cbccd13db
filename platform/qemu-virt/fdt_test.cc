// Host tests of the DTB reader: what it finds in well-formed trees, and that malformed blobs
// are rejected with a message instead of being read out of bounds.
#include "platform/qemu-virt/fdt.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "platform/qemu-virt/testdata/fdt_builder.h"

namespace keel::fdt {
namespace {

using test::Blob;
using test::FdtBuilder;

Blob load_qemu_dtb() {
  std::ifstream f(std::string(KEEL_QEMU_VIRT_TESTDATA) + "/qemu-virt.dtb", std::ios::binary);
  return Blob(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Parses and returns the error (nullptr on success). A fresh Info each time.
const char* parse_blob(const Blob& b, Info* info) { return parse(b.data(), b.size(), info); }

std::string parse_error(const Blob& b) {
  Info info;
  const char* err = parse_blob(b, &info);
  return err == nullptr ? "" : err;
}

// A root with the given cell counts and one memory node, for tests that add to it.
FdtBuilder root(uint32_t ac, uint32_t sc) {
  FdtBuilder b;
  b.begin("").u32("#address-cells", ac).u32("#size-cells", sc);
  return b;
}

TEST(Fdt, QemuLikeTree) {
  Info info;
  const Blob blob = test::qemu_like_tree().finish();
  ASSERT_EQ(parse_blob(blob, &info), nullptr);
  EXPECT_EQ(info.total_size, blob.size());
  ASSERT_EQ(info.num_memory, 1u);
  EXPECT_EQ(info.memory[0].base, 0x40000000u);
  EXPECT_EQ(info.memory[0].size, 0x40000000u);
  EXPECT_EQ(info.num_reserved, 0u);
  ASSERT_TRUE(info.has_uart);
  EXPECT_EQ(info.uart.base, 0x09000000u);
  EXPECT_EQ(info.uart.size, 0x1000u);
  EXPECT_EQ(info.gic_version, 2u);
  EXPECT_EQ(info.gic_dist.base, 0x08000000u);
  EXPECT_EQ(info.gic_dist.size, 0x10000u);
  EXPECT_EQ(info.gic_cpu.base, 0x08010000u);
  EXPECT_EQ(info.psci, PsciMethod::Smc);
}

TEST(Fdt, QemuDumpedDtb) {
  const Blob blob = load_qemu_dtb();
  ASSERT_GT(blob.size(), 40u) << "missing " KEEL_QEMU_VIRT_TESTDATA "/qemu-virt.dtb";
  EXPECT_EQ(total_size(blob.data(), blob.size()), blob.size());
  Info info;
  ASSERT_EQ(parse_blob(blob, &info), nullptr);
  ASSERT_EQ(info.num_memory, 1u);
  EXPECT_EQ(info.memory[0].base, 0x40000000u);
  EXPECT_EQ(info.memory[0].size, 0x40000000u);  // -m 1G
  EXPECT_EQ(info.uart.base, 0x09000000u);
  EXPECT_EQ(info.uart.size, 0x1000u);
  EXPECT_EQ(info.gic_version, 2u);
  EXPECT_EQ(info.gic_dist.base, 0x08000000u);
  EXPECT_EQ(info.gic_cpu.base, 0x08010000u);
  EXPECT_EQ(info.gic_cpu.size, 0x10000u);
  EXPECT_EQ(info.psci, PsciMethod::Smc);
}

TEST(Fdt, MemoryWithOneCellAddressesAndSizes) {
  FdtBuilder b = root(1, 1);
  b.begin("memory@80000000").str("device_type", "memory").cells("reg", {0x80000000, 0x10000000}).end();
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  ASSERT_EQ(info.num_memory, 1u);
  EXPECT_EQ(info.memory[0].base, 0x80000000u);
  EXPECT_EQ(info.memory[0].size, 0x10000000u);
  EXPECT_FALSE(info.has_uart);
  EXPECT_EQ(info.gic_version, 0u);
  EXPECT_EQ(info.psci, PsciMethod::None);
}

TEST(Fdt, MemoryWithTwoCellAddressesAndOneCellSizes) {
  FdtBuilder b = root(2, 1);
  b.begin("memory@880000000").str("device_type", "memory").cells("reg", {0x8, 0x80000000, 0x40000000}).end();
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  ASSERT_EQ(info.num_memory, 1u);
  EXPECT_EQ(info.memory[0].base, 0x880000000u);
  EXPECT_EQ(info.memory[0].size, 0x40000000u);
}

TEST(Fdt, SeveralMemoryNodesAndRegEntriesInTreeOrder) {
  FdtBuilder b = root(2, 2);
  b.begin("memory@40000000")
      .str("device_type", "memory")
      .cells("reg", {0, 0x40000000, 0, 0x1000000, 0, 0x60000000, 0, 0x2000000})
      .end();
  b.begin("ram").str("device_type", "memory").cells("reg", {1, 0, 0, 0x100000}).end();
  b.begin("memory").cells("reg", {0, 0x90000000, 0, 0x3000}).end();                   // name alone is enough
  b.begin("memory@0").str("device_type", "memory").cells("reg", {0, 0, 0, 0}).end();  // empty: skipped
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  ASSERT_EQ(info.num_memory, 4u);
  EXPECT_EQ(info.memory[0].base, 0x40000000u);
  EXPECT_EQ(info.memory[1].base, 0x60000000u);
  EXPECT_EQ(info.memory[1].size, 0x2000000u);
  EXPECT_EQ(info.memory[2].base, 0x100000000u);
  EXPECT_EQ(info.memory[3].base, 0x90000000u);
  EXPECT_EQ(info.memory[3].size, 0x3000u);
}

TEST(Fdt, MemoryBelowABusIsNotRam) {
  FdtBuilder b = root(1, 1);
  b.begin("memory@1000").cells("reg", {0x1000, 0x1000}).end();
  b.begin("soc").u32("#address-cells", 1).u32("#size-cells", 1);
  b.begin("memory@2000").str("device_type", "memory").cells("reg", {0x2000, 0x1000}).end();
  b.end().end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  ASSERT_EQ(info.num_memory, 1u);
  EXPECT_EQ(info.memory[0].base, 0x1000u);
}

TEST(Fdt, TooManyMemoryRangesIsAnError) {
  FdtBuilder b = root(1, 1);
  for (uint32_t i = 0; i <= Info::kMaxRanges; ++i)
    b.begin("memory@" + std::to_string(i)).cells("reg", {i << 20, 0x1000}).end();
  b.end();
  EXPECT_EQ(parse_error(b.finish()), "DTB: too many memory ranges");
}

TEST(Fdt, NoMemoryIsAnError) {
  FdtBuilder b = root(2, 2);
  b.begin("chosen").end();
  b.end();
  EXPECT_EQ(parse_error(b.finish()), "DTB: no /memory node with a reg");
}

TEST(Fdt, MemreserveThenReservedMemoryChildren) {
  FdtBuilder b = root(2, 2);
  b.memreserve(0x48000000, 0x1000).memreserve(0x123400000, 0x20000);
  b.begin("memory@40000000").str("device_type", "memory").cells("reg", {0, 0x40000000, 0, 0x40000000}).end();
  b.begin("reserved-memory").u32("#address-cells", 1).u32("#size-cells", 1).prop("ranges", {});
  b.begin("secmon@5e000000").cells("reg", {0x5e000000, 0x200000}).prop("no-map", {}).end();
  b.begin("dma@60000000").cells("reg", {0x60000000, 0x100000, 0x61000000, 0x1000}).end();
  b.begin("off@62000000").cells("reg", {0x62000000, 0x1000}).str("status", "disabled").end();
  b.end();
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  ASSERT_EQ(info.num_reserved, 5u);
  EXPECT_EQ(info.reserved[0].base, 0x48000000u);
  EXPECT_EQ(info.reserved[0].size, 0x1000u);
  EXPECT_EQ(info.reserved[1].base, 0x123400000u);
  EXPECT_EQ(info.reserved[2].base, 0x5e000000u);
  EXPECT_EQ(info.reserved[2].size, 0x200000u);
  EXPECT_EQ(info.reserved[3].base, 0x60000000u);
  EXPECT_EQ(info.reserved[4].base, 0x61000000u);
}

TEST(Fdt, ReservedMemoryChildWithoutRegIsIgnored) {
  FdtBuilder b = root(2, 2);
  b.begin("memory@40000000").cells("reg", {0, 0x40000000, 0, 0x1000000}).end();
  b.begin("reserved-memory").u32("#address-cells", 2).u32("#size-cells", 2);
  b.begin("pool").u32("size", 0x100000).prop("reusable", {}).end();  // dynamic: nothing fixed
  b.end().end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  EXPECT_EQ(info.num_reserved, 0u);
}

// Two PL011s; `chosen` names the second in various ways.
Blob two_uarts(const std::string& stdout_path, bool with_alias) {
  FdtBuilder b = root(2, 2);
  b.begin("memory@40000000").cells("reg", {0, 0x40000000, 0, 0x1000000}).end();
  if (with_alias)
    b.begin("aliases").str("serial0", "/pl011@9000000").str("serial1", "/soc/pl011@9040000").end();
  b.begin("pl011@9000000")
      .str("compatible", {"arm,pl011", "arm,primecell"})
      .cells("reg", {0, 0x09000000, 0, 0x1000})
      .end();
  b.begin("soc").u32("#address-cells", 1).u32("#size-cells", 1);
  b.begin("pl011@9040000").str("compatible", "arm,pl011").cells("reg", {0x09040000, 0x1000}).end();
  b.end();
  if (!stdout_path.empty()) b.begin("chosen").str("stdout-path", stdout_path).end();
  b.end();
  return b.finish();
}

uint64_t uart_of(const Blob& blob) {
  Info info;
  const char* err = parse_blob(blob, &info);
  EXPECT_EQ(err, nullptr) << err;
  EXPECT_TRUE(info.has_uart);
  return info.uart.base;
}

TEST(Fdt, UartWithoutStdoutPathIsTheFirstPl011) { EXPECT_EQ(uart_of(two_uarts("", false)), 0x09000000u); }

TEST(Fdt, StdoutPathByFullPath) {
  EXPECT_EQ(uart_of(two_uarts("/soc/pl011@9040000", false)), 0x09040000u);
  EXPECT_EQ(uart_of(two_uarts("/pl011@9000000", false)), 0x09000000u);
}

TEST(Fdt, StdoutPathWithOptions) {
  EXPECT_EQ(uart_of(two_uarts("/soc/pl011@9040000:115200n8", false)), 0x09040000u);
}

TEST(Fdt, StdoutPathThroughAnAlias) {
  EXPECT_EQ(uart_of(two_uarts("serial1", true)), 0x09040000u);
  EXPECT_EQ(uart_of(two_uarts("serial1:115200n8", true)), 0x09040000u);
  EXPECT_EQ(uart_of(two_uarts("serial0", true)), 0x09000000u);
}

TEST(Fdt, UnresolvableStdoutPathFallsBackToTheFirstPl011) {
  EXPECT_EQ(uart_of(two_uarts("serial7", true)), 0x09000000u);
  EXPECT_EQ(uart_of(two_uarts("/nowhere", false)), 0x09000000u);
  EXPECT_EQ(uart_of(two_uarts("serial1", false)), 0x09000000u);  // alias without /aliases
}

TEST(Fdt, LinuxStdoutPathIsAccepted) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin("uart@1000").str("compatible", "arm,pl011").cells("reg", {0x1000, 0x1000}).end();
  b.begin("uart@2000").str("compatible", "arm,pl011").cells("reg", {0x2000, 0x1000}).end();
  b.begin("chosen").str("linux,stdout-path", "/uart@2000").end();
  b.end();
  EXPECT_EQ(uart_of(b.finish()), 0x2000u);
}

TEST(Fdt, Pl011WithAChildNodeStillMatchesItsPath) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin("uart@1000").str("compatible", "arm,pl011").cells("reg", {0x1000, 0x1000}).end();
  b.begin("uart@2000").str("compatible", "arm,pl011").cells("reg", {0x2000, 0x1000});
  b.begin("bluetooth").str("compatible", "some,bt").end();
  b.end();
  b.begin("chosen").str("stdout-path", "/uart@2000").end();
  b.end();
  EXPECT_EQ(uart_of(b.finish()), 0x2000u);
}

TEST(Fdt, StdoutPathMatchesAfterAnOverlongPath) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin(std::string(200, 'x')).end();  // longer than the reader's path buffer
  b.begin("uart@1000").str("compatible", "arm,pl011").cells("reg", {0x1000, 0x1000}).end();
  b.begin("uart@2000").str("compatible", "arm,pl011").cells("reg", {0x2000, 0x1000}).end();
  b.begin("chosen").str("stdout-path", "/uart@2000").end();
  b.end();
  EXPECT_EQ(uart_of(b.finish()), 0x2000u);
}

TEST(Fdt, Pl011WithoutRegIsAnError) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin("uart").str("compatible", "arm,pl011").end();
  b.end();
  EXPECT_EQ(parse_error(b.finish()), "DTB: PL011 without reg");
}

TEST(Fdt, GicV2AndV3) {
  for (const char* compat : {"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic", "arm,cortex-a7-gic"}) {
    FdtBuilder b = root(1, 1);
    b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
    b.begin("intc")
        .str("compatible", {"vendor,thing", compat})
        .cells("reg", {0x8000000, 0x1000, 0x8010000, 0x2000})
        .end();
    b.end();
    Info info;
    ASSERT_EQ(parse_blob(b.finish(), &info), nullptr) << compat;
    EXPECT_EQ(info.gic_version, 2u) << compat;
    EXPECT_EQ(info.gic_dist.base, 0x8000000u);
    EXPECT_EQ(info.gic_dist.size, 0x1000u);
    EXPECT_EQ(info.gic_cpu.base, 0x8010000u);
    EXPECT_EQ(info.gic_cpu.size, 0x2000u);
  }
  FdtBuilder b = root(2, 2);
  b.begin("memory").cells("reg", {0, 0x40000000, 0, 0x1000000}).end();
  b.begin("intc@8000000")
      .str("compatible", "arm,gic-v3")
      .cells("reg", {0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000})
      .end();
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  EXPECT_EQ(info.gic_version, 3u);
  EXPECT_EQ(info.gic_cpu.base, 0x80a0000u);
}

TEST(Fdt, FirstGicWinsAndV2mFrameIsNotAGic) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin("intc@8000000")
      .str("compatible", "arm,cortex-a15-gic")
      .cells("reg", {0x8000000, 0x1000, 0x8010000, 0x1000});
  b.begin("v2m@8020000").str("compatible", "arm,gic-v2m-frame").cells("reg", {0x8020000, 0x1000}).end();
  b.end();
  b.begin("intc@9000000")
      .str("compatible", "arm,gic-400")
      .cells("reg", {0x9000000, 0x1000, 0x9010000, 0x1000})
      .end();
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  EXPECT_EQ(info.gic_dist.base, 0x8000000u);
}

TEST(Fdt, GicWithOneRegEntryIsAnError) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin("intc").str("compatible", "arm,gic-400").cells("reg", {0x8000000, 0x1000}).end();
  b.end();
  EXPECT_EQ(parse_error(b.finish()), "DTB: GIC without CPU interface reg");
}

PsciMethod psci_of(const std::string& node, std::initializer_list<std::string> compat,
                   const std::string& method) {
  FdtBuilder b = root(1, 1);
  b.begin("memory").cells("reg", {0x40000000, 0x1000000}).end();
  b.begin(node);
  if (compat.size() != 0) b.str("compatible", compat);
  if (!method.empty()) b.str("method", method);
  b.end().end();
  Info info;
  EXPECT_EQ(parse_blob(b.finish(), &info), nullptr);
  return info.psci;
}

TEST(Fdt, PsciMethod) {
  EXPECT_EQ(psci_of("psci", {"arm,psci-1.0", "arm,psci"}, "smc"), PsciMethod::Smc);
  EXPECT_EQ(psci_of("psci", {"arm,psci-0.2"}, "hvc"), PsciMethod::Hvc);
  EXPECT_EQ(psci_of("psci", {}, "hvc"), PsciMethod::Hvc);                    // by name
  EXPECT_EQ(psci_of("firmware", {"arm,psci-1.0"}, "smc"), PsciMethod::Smc);  // by compatible
  EXPECT_EQ(psci_of("psci", {"arm,psci"}, ""), PsciMethod::None);
  EXPECT_EQ(psci_of("psci", {"arm,psci"}, "svc"), PsciMethod::None);
  EXPECT_EQ(psci_of("firmware", {"vendor,other"}, "smc"), PsciMethod::None);
}

TEST(Fdt, DisabledNodesAreIgnored) {
  FdtBuilder b = root(1, 1);
  b.begin("memory@0").cells("reg", {0x0, 0x1000000}).str("status", "disabled").end();
  b.begin("memory@40000000").cells("reg", {0x40000000, 0x1000000}).str("status", "okay").end();
  b.begin("uart@1000")
      .str("compatible", "arm,pl011")
      .cells("reg", {0x1000, 0x1000})
      .str("status", "disabled")
      .end();
  b.begin("uart@2000")
      .str("compatible", "arm,pl011")
      .cells("reg", {0x2000, 0x1000})
      .str("status", "ok")
      .end();
  b.begin("intc@3000").str("compatible", "arm,gic-400").str("status", "fail").end();  // no reg: not an error
  b.begin("psci").str("method", "hvc").str("status", "disabled").end();
  b.begin("chosen").str("stdout-path", "/uart@1000").end();
  b.end();
  Info info;
  ASSERT_EQ(parse_blob(b.finish(), &info), nullptr);
  ASSERT_EQ(info.num_memory, 1u);
  EXPECT_EQ(info.memory[0].base, 0x40000000u);
  EXPECT_EQ(info.uart.base, 0x2000u);
  EXPECT_EQ(info.gic_version, 0u);
  EXPECT_EQ(info.psci, PsciMethod::None);
}

TEST(Fdt, NopTokensAreSkipped) {
  FdtBuilder b;
  b.word(FdtBuilder::kNop).begin("").word(FdtBuilder::kNop).u32("#address-cells", 1).u32("#size-cells", 1);
  b.begin("memory")
      .word(FdtBuilder::kNop)
      .cells("reg", {0x40000000, 0x1000})
      .end()
      .word(FdtBuilder::kNop)
      .end();
  Info info;
  EXPECT_EQ(parse_blob(b.finish(), &info), nullptr);
  EXPECT_EQ(info.num_memory, 1u);
}

}  // namespace
}  // namespace keel::fdt
