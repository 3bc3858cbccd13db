// Host tests of the generic boot: the root task's CSpace, bootinfo and untypeds, as seL4 lays
// them out.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "host/test_driver.h"
#include "kernel/cap/cap.h"
#include "kernel/core/arch_hooks.h"

namespace keel {
namespace {

using host::HostConfig;
using host::HostKernel;

Cte* root_slot(HostKernel& k, word_t i) {
  return ptr_from_paddr<Cte>(CNodeCap{k.root()->slot(kTcbCTable)->cap}.ptr()) + i;
}

TEST(Boot, RootTaskRunsAtItsEntryWithBootinfoInX0) {
  HostKernel k;
  ASSERT_TRUE(k.booted());
  Tcb* t = k.root();
  EXPECT_EQ(t->state, ThreadState::Running);
  EXPECT_EQ(t->context.regs[NextIP], 0x400000u);
  EXPECT_EQ(t->context.regs[SPSR_EL1], kPstateUser);
  EXPECT_EQ(t->priority, 255u);
  EXPECT_STREQ(t->name, "rootserver");
  const vaddr_t image_end = 0x400000 + 4 * 4096;
  EXPECT_EQ(t->ipc_buffer, image_end);
  EXPECT_EQ(t->context.regs[X0], image_end + 4096);
  EXPECT_EQ(k.bootinfo()->ipc_buffer, image_end);
}

TEST(Boot, InitialSlotsHoldSeL4sCaps) {
  HostKernel k;
  const CapType expected[kNumInitialCaps] = {
      CapType::Null,       CapType::Thread,
      CapType::CNode,      CapType::VSpace,
      CapType::IrqControl, CapType::AsidControl,
      CapType::AsidPool,   CapType::Null,
      CapType::Null,       CapType::Frame,
      CapType::Frame,      CapType::Domain,
      CapType::Null,       CapType::Null,
      CapType::Null,       config::kAllowSmcCalls ? CapType::Smc : CapType::Null};
  for (word_t i = 0; i < kNumInitialCaps; ++i) {
    EXPECT_EQ(root_slot(k, i)->cap.type(), expected[i]) << "slot " << i;
  }
  const CNodeCap cnode{root_slot(k, kCapInitThreadCNode)->cap};
  EXPECT_EQ(cnode.radix(), config::kRootCNodeSizeBits);
  EXPECT_EQ(cnode.guard_size(), 64 - config::kRootCNodeSizeBits);
  EXPECT_EQ(cnode.guard(), 0u);
  if (config::kAllowSmcCalls) {
    EXPECT_EQ(SmcCap{root_slot(k, kCapSMC)->cap}.badge(), 0u);
  }
  // Boot caps are originals: revocable and first-badged (seL4 write_slot).
  EXPECT_TRUE(root_slot(k, kCapSMC)->mdb.revocable());
  EXPECT_TRUE(root_slot(k, kCapSMC)->mdb.first_badged());
}

TEST(Boot, SlotRegionsFollowSeL4sOrder) {
  HostKernel k;
  const BootInfo* bi = k.bootinfo();
  EXPECT_EQ(bi->user_image_paging.start, kNumInitialCaps);
  EXPECT_EQ(bi->user_image_paging.end - bi->user_image_paging.start, 3u);  // one table per level
  EXPECT_EQ(bi->extra_bi_pages.start, bi->user_image_paging.end);
  EXPECT_EQ(bi->extra_bi_pages.end - bi->extra_bi_pages.start, 1u);
  EXPECT_EQ(bi->user_image_frames.start, bi->extra_bi_pages.end);
  EXPECT_EQ(bi->user_image_frames.end - bi->user_image_frames.start, 4u);
  EXPECT_EQ(bi->untyped.start, bi->user_image_frames.end);
  EXPECT_EQ(bi->empty.start, bi->untyped.end);
  EXPECT_EQ(bi->empty.end, word_t{1} << config::kRootCNodeSizeBits);
  EXPECT_EQ(bi->node_id, 0u);
  EXPECT_EQ(bi->num_nodes, 1u);
  EXPECT_EQ(bi->init_thread_cnode_size_bits, config::kRootCNodeSizeBits);
  for (word_t s = bi->user_image_paging.start; s < bi->user_image_paging.end; ++s)
    EXPECT_EQ(root_slot(k, s)->cap.type(), CapType::PageTable);
  for (word_t s = bi->user_image_frames.start; s < bi->user_image_frames.end; ++s)
    EXPECT_EQ(root_slot(k, s)->cap.type(), CapType::Frame);
  for (word_t s = bi->untyped.start; s < bi->untyped.end; ++s)
    EXPECT_EQ(root_slot(k, s)->cap.type(), CapType::Untyped);
  EXPECT_TRUE(root_slot(k, bi->empty.start)->cap.is_null());
}

TEST(Boot, ExtraBootinfoCarriesTheDtb) {
  HostKernel k;
  const BootInfo* bi = k.bootinfo();
  EXPECT_EQ(bi->extra_len, 16u + k.params().dtb_size);
  // The extra bootinfo follows the bootinfo frame in the root task's address space.
  const vaddr_t bi_v = k.bootinfo()->ipc_buffer + 4096;
  const auto* header = reinterpret_cast<const BootInfoHeader*>(k.user_page(bi_v + 4096));
  ASSERT_NE(header, nullptr);
  EXPECT_EQ(header->id, kBootInfoHeaderFdt);
  EXPECT_EQ(header->len, bi->extra_len);
  const auto* fdt = reinterpret_cast<const uint8_t*>(header + 1);
  EXPECT_EQ(fdt[0], 0xd0);
  EXPECT_EQ(fdt[3], 0xed);
}

TEST(Boot, UserImageIsMappedAtItsLinkedAddress) {
  HostKernel k;
  const paddr_t root = VSpaceCap{k.root()->slot(kTcbVTable)->cap}.ptr();
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(arch::lookup_frame(root, 0x400000 + i * 4096), k.params().ui_p_start + i * 4096);
  }
  EXPECT_EQ(arch::lookup_frame(root, 0x400000 + 4 * 4096), paddr_of(k.ipc_buffer()));
}

// Every free RAM byte is in exactly one untyped; none overlaps the kernel, DTB, image or
// anything the root task was given.
TEST(Boot, UntypedsCoverFreeRamExactly) {
  HostKernel k;
  const BootInfo* bi = k.bootinfo();
  struct Range {
    paddr_t start, end;
  };
  std::vector<Range> ram, device;
  for (word_t i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const UntypedDesc& d = bi->untyped_list[i];
    EXPECT_GE(d.size_bits, kMinUntypedBits);
    EXPECT_LE(d.size_bits, kMaxUntypedBits);
    EXPECT_TRUE(is_aligned(d.paddr, d.size_bits));
    const UntypedCap cap{root_slot(k, bi->untyped.start + i)->cap};
    EXPECT_EQ(cap.ptr(), d.paddr);
    EXPECT_EQ(cap.size_bits(), d.size_bits);
    EXPECT_EQ(cap.is_device(), d.is_device != 0);
    (d.is_device ? device : ram).push_back({d.paddr, d.paddr + (word_t{1} << d.size_bits)});
  }
  std::sort(ram.begin(), ram.end(), [](Range a, Range b) { return a.start < b.start; });
  word_t covered = 0;
  for (size_t i = 0; i < ram.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(ram[i - 1].end, ram[i].start);
    }
    covered += ram[i].end - ram[i].start;
  }
  const MemRegion& image = {k.params().ui_p_start, k.params().ui_p_end};
  for (const Range& r : ram) {
    EXPECT_GE(r.start, k.params().reserved[0].end) << "kernel image";
    EXPECT_TRUE(r.end <= image.start || r.start >= image.end) << "user image";
  }
  // Free RAM = RAM - kernel - DTB page - image - the root task's objects - the IRQ node.
  const word_t root_objects =
      (word_t{1} << (config::kRootCNodeSizeBits + 5)) + 4096 * (1 + 1 + 3 + 1 + 1 + 1) + 2048 + 8192;
  const word_t free = k.params().ram[0].end - k.params().reserved[0].end - 4096 - 4 * 4096;
  EXPECT_GE(covered + root_objects, free - 4096);  // alignment slack of the TCB is at most a page
  EXPECT_LE(covered + root_objects, free);
  EXPECT_FALSE(device.empty());
}

TEST(Boot, FailsCleanlyWhenRamIsTooSmall) {
  HostKernel k(HostConfig{.ram_size = (2u << 20) + 64 * 1024});
  EXPECT_FALSE(k.booted());
  EXPECT_NE(k.machine().console.find("out of memory"), std::string::npos);
}

}  // namespace
}  // namespace keel
