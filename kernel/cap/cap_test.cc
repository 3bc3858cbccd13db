// Field tests of the cap layout: every typed view round-trips its fields at their extremes,
// the tag sits where seL4 keeps it, and setters change only their own field.
#include "kernel/cap/cap.h"

#include <gtest/gtest.h>

#include "kernel/cap/cte.h"

namespace keel {
namespace {

constexpr paddr_t kMaxPtr = (word_t{1} << 48) - 1;
constexpr word_t kAllOnes = ~word_t{0};

TEST(CapLayout, TagIsInBits63To59WithSeL4Numbers) {
  EXPECT_EQ(Cap::with_type(CapType::Smc).w0 >> 59, 25u);
  EXPECT_EQ(Cap::with_type(CapType::Frame).w0 >> 59, 1u);
  EXPECT_EQ(Cap::with_type(CapType::Domain).w0 >> 59, 20u);
  EXPECT_TRUE(Cap::null().is_null());
  EXPECT_TRUE(is_arch_cap_type(CapType::Smc));
  EXPECT_TRUE(is_arch_cap_type(CapType::VSpace));
  EXPECT_FALSE(is_arch_cap_type(CapType::CNode));
}

TEST(CapLayout, UntypedFields) {
  const UntypedCap u{UntypedCap::make(kMaxPtr & ~word_t{15}, 47, true, kAllOnes)};
  EXPECT_EQ(u.cap.type(), CapType::Untyped);
  EXPECT_EQ(u.ptr(), kMaxPtr & ~word_t{15});
  EXPECT_EQ(u.size_bits(), 47u);
  EXPECT_TRUE(u.is_device());
  EXPECT_EQ(u.free_index(), kAllOnes);
  const UntypedCap v{u.with_free_index(4096)};
  EXPECT_EQ(v.free_index(), 4096u);
  EXPECT_EQ(v.size_bits(), 47u);
  EXPECT_TRUE(v.is_device());
}

TEST(CapLayout, EndpointAndNotificationFields) {
  const EndpointCap e{EndpointCap::make(0x40001230, kAllOnes, CapRights{true, false, true, false})};
  EXPECT_EQ(e.cap.type(), CapType::Endpoint);
  EXPECT_EQ(e.ptr(), 0x40001230u);
  EXPECT_EQ(e.badge(), kAllOnes);
  EXPECT_EQ(e.rights(), (CapRights{true, false, true, false}));
  EXPECT_EQ(EndpointCap{e.with_badge(7)}.badge(), 7u);
  EXPECT_EQ(EndpointCap{e.with_badge(7)}.rights(), e.rights());
  EXPECT_EQ(EndpointCap{e.with_rights(CapRights::all())}.badge(), kAllOnes);
  const NotificationCap n{NotificationCap::make(kMaxPtr, 0, CapRights{false, true, false, false})};
  EXPECT_EQ(n.cap.type(), CapType::Notification);
  EXPECT_EQ(n.ptr(), kMaxPtr);
  EXPECT_EQ(n.rights().to_word(), 2u);
}

TEST(CapLayout, CNodeFieldsIncludingAFullWordGuard) {
  for (unsigned guard_size : {0u, 1u, 51u, 52u, 63u, 64u}) {
    const CNodeCap c{CNodeCap::make(0xffffffffffc0, 12, guard_size, kAllOnes)};
    EXPECT_EQ(c.cap.type(), CapType::CNode);
    EXPECT_EQ(c.ptr(), 0xffffffffffc0u);
    EXPECT_EQ(c.radix(), 12u);
    EXPECT_EQ(c.guard_size(), guard_size);
    EXPECT_EQ(c.guard(), kAllOnes);
  }
  const CNodeCap c{CNodeCap::make(0x40000000, 42, 0, 0)};
  EXPECT_EQ(c.radix(), 42u);
  const CNodeCap g{c.with_guard(5, 3)};
  EXPECT_EQ(g.guard(), 5u);
  EXPECT_EQ(g.guard_size(), 3u);
  EXPECT_EQ(g.radix(), 42u);
  EXPECT_EQ(g.ptr(), 0x40000000u);
}

TEST(CapLayout, ReplyThreadIrqZombieFields) {
  const ReplyCap r{ReplyCap::make(0x40002000, true, false)};
  EXPECT_EQ(r.tcb(), 0x40002000u);
  EXPECT_TRUE(r.is_master());
  EXPECT_FALSE(r.can_grant());
  EXPECT_EQ(ThreadCap{ThreadCap::make(kMaxPtr & ~word_t{0x7ff})}.ptr(), kMaxPtr & ~word_t{0x7ff});
  EXPECT_EQ(IrqHandlerCap{IrqHandlerCap::make(159)}.irq(), 159u);
  const ZombieCap z{ZombieCap::make(0x40004000, false, 42, kAllOnes)};
  EXPECT_FALSE(z.is_tcb());
  EXPECT_EQ(z.radix(), 42u);
  EXPECT_EQ(z.remaining(), kAllOnes);
  EXPECT_EQ(ZombieCap{z.with_remaining(3)}.remaining(), 3u);
  EXPECT_EQ(ZombieCap{z.with_remaining(3)}.ptr(), 0x40004000u);
}

TEST(CapLayout, FrameFieldsAndMapping) {
  const FrameCap f{FrameCap::make(0xfffffffff000, FrameSize::Huge, VmRights::ReadOnly, true)};
  EXPECT_EQ(f.ptr(), 0xfffffffff000u);
  EXPECT_EQ(f.size(), FrameSize::Huge);
  EXPECT_EQ(frame_size_bits(f.size()), 30u);
  EXPECT_EQ(f.rights(), VmRights::ReadOnly);
  EXPECT_TRUE(f.is_device());
  EXPECT_FALSE(f.is_mapped());
  const FrameCap m{f.with_mapping(0xffff, 0x7fffffffe000)};
  EXPECT_TRUE(m.is_mapped());
  EXPECT_EQ(m.mapped_asid(), 0xffffu);
  EXPECT_EQ(m.mapped_vaddr(), 0x7fffffffe000u);
  EXPECT_EQ(m.rights(), VmRights::ReadOnly);
  EXPECT_EQ(FrameCap{m.unmapped()}.cap, f.cap);
  EXPECT_EQ(FrameCap{f.with_rights(VmRights::ReadWrite)}.rights(), VmRights::ReadWrite);
}

TEST(CapLayout, TableAsidAndSmcFields) {
  const PageTableCap p{PageTableCap::make(0x40005000)};
  EXPECT_EQ(p.cap.type(), CapType::PageTable);
  const PageTableCap pm{p.with_mapping(1, 0x400000)};
  EXPECT_TRUE(pm.is_mapped());
  EXPECT_EQ(pm.mapped_asid(), 1u);
  EXPECT_EQ(pm.mapped_vaddr(), 0x400000u);
  EXPECT_EQ(PageTableCap{pm.unmapped()}.cap, p.cap);
  EXPECT_EQ(VSpaceCap{VSpaceCap::make(0x40006000)}.cap.type(), CapType::VSpace);
  const AsidPoolCap a{AsidPoolCap::make(0x40007000, 127u << 9)};
  EXPECT_EQ(a.ptr(), 0x40007000u);
  EXPECT_EQ(a.asid_base(), 127u << 9);
  const SmcCap s{SmcCap::make(kAllOnes)};
  EXPECT_EQ(s.cap.type(), CapType::Smc);
  EXPECT_EQ(s.badge(), kAllOnes);  // the whole second word, as in seL4
  EXPECT_EQ(SmcCap{s.with_badge(0x84000000)}.badge(), 0x84000000u);
  EXPECT_EQ(s.cap.w0, Cap::with_type(CapType::Smc).w0);  // nothing else in word 0
}

TEST(CapLayout, SgiSignalFields) {
  const SgiSignalCap g{SgiSignalCap::make(15, 7)};
  EXPECT_EQ(g.cap.type(), CapType::SgiSignal);
  EXPECT_EQ(g.cap.w0 >> 59, 27u);  // seL4's tag, as DebugCapIdentify returns it
  EXPECT_TRUE(is_arch_cap_type(CapType::SgiSignal));
  EXPECT_EQ(g.id(), 15u);
  EXPECT_EQ(g.target(), 7u);
  EXPECT_EQ(g.cap.w0, Cap::with_type(CapType::SgiSignal).w0 | word_t{15} << 55);  // id 58:55
  EXPECT_EQ(g.cap.w1, 7u);                                                        // target 31:0
  EXPECT_EQ(SgiSignalCap{SgiSignalCap::make(0, 0)}.cap, Cap::with_type(CapType::SgiSignal));
}

TEST(CapLayout, MdbNodeFields) {
  MdbNode n;
  n.set_prev(kMaxPtr);
  n.set_next(0x40000020);
  n.set_revocable(true);
  n.set_first_badged(true);
  EXPECT_EQ(n.prev(), kMaxPtr);
  EXPECT_EQ(n.next(), 0x40000020u);
  EXPECT_TRUE(n.revocable());
  EXPECT_TRUE(n.first_badged());
  n.set_revocable(false);
  EXPECT_FALSE(n.revocable());
  EXPECT_TRUE(n.first_badged());
  EXPECT_EQ(n.next(), 0x40000020u);
}

}  // namespace
}  // namespace keel
