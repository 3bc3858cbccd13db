// Tests of the cap algebra over every cap type (seL4 objecttype.c semantics).
#include "kernel/cap/cap_algebra.h"

#include "arch/aarch64/object/arch_cap_algebra.h"
#include "kernel/object/irq.h"
#include "tests/unit/cap_env.h"

namespace keel {
namespace {

using test::CapEnv;

constexpr paddr_t kP = 0x40100000;

// One representative cap of every type.
std::vector<Cap> all_caps() {
  return {Cap::null(),
          FrameCap::make(kP, FrameSize::Small, VmRights::ReadWrite, false),
          UntypedCap::make(kP, 20, false, 0),
          PageTableCap::make(kP),
          EndpointCap::make(kP, 0, CapRights::all()),
          NotificationCap::make(kP, 0, CapRights{true, true, false, false}),
          ReplyCap::make(kP, false, true),
          VSpaceCap::make(kP),
          CNodeCap::make(kP, 4, 0, 0),
          Cap::with_type(CapType::AsidControl),
          ThreadCap::make(kP),
          AsidPoolCap::make(kP, 512),
          Cap::with_type(CapType::IrqControl),
          IrqHandlerCap::make(33),
          ZombieCap::make(kP, false, 4, 16),
          Cap::with_type(CapType::Domain),
          SmcCap::make(0),
          SgiSignalCap::make(3, 0)};
}

TEST(CapAlgebra, DeriveEveryType) {
  CapEnv env;
  for (const Cap c : all_caps()) {
    env.put(20, c);
    const Result<Cap> d = derive_cap(env.slot(20), c);
    switch (c.type()) {
      case CapType::Zombie:
      case CapType::IrqControl:
      case CapType::Reply:
        EXPECT_TRUE(d.ok());
        EXPECT_TRUE(d.value.is_null()) << int(c.type());
        break;
      case CapType::VSpace:
      case CapType::PageTable:
        EXPECT_EQ(d.error.type, Error::IllegalOperation) << "unmapped table cap";
        break;
      case CapType::Null:
      case CapType::Frame:
      case CapType::Untyped:
      case CapType::Endpoint:
      case CapType::Notification:
      case CapType::CNode:
      case CapType::AsidControl:
      case CapType::Thread:
      case CapType::AsidPool:
      case CapType::IrqHandler:
      case CapType::Domain:
      case CapType::Smc:
      case CapType::SgiSignal:
        EXPECT_TRUE(d.ok());
        EXPECT_EQ(d.value, c) << int(c.type());
        break;
    }
  }
}

TEST(CapAlgebra, DeriveMappedCaps) {
  const Cap frame =
      FrameCap{FrameCap::make(kP, FrameSize::Large, VmRights::ReadOnly, true)}.with_mapping(5, 0x200000);
  const Result<Cap> f = arch_derive_cap(frame);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(FrameCap{f.value}.is_mapped());
  EXPECT_EQ(FrameCap{f.value}.rights(), VmRights::ReadOnly);
  EXPECT_EQ(FrameCap{f.value}.size(), FrameSize::Large);
  EXPECT_TRUE(FrameCap{f.value}.is_device());
  const Cap vs = VSpaceCap{VSpaceCap::make(kP)}.with_mapping(1, 0);
  EXPECT_EQ(arch_derive_cap(vs).value, vs);
  const Cap pt = PageTableCap{PageTableCap::make(kP)}.with_mapping(1, 0x40000000);
  EXPECT_EQ(arch_derive_cap(pt).value, pt);
}

TEST(CapAlgebra, DeriveUntypedWithChildrenIsRevokeFirst) {
  CapEnv env;
  env.untyped(20, 16);
  const Cap ep = EndpointCap::make(UntypedCap{env.cap(20)}.ptr(), 0, CapRights::all());
  insert_new_cap(env.slot(20), env.slot(21), ep);
  EXPECT_EQ(derive_cap(env.slot(20), env.cap(20)).error.type, Error::RevokeFirst);
  // The endpoint itself derives fine.
  EXPECT_TRUE(derive_cap(env.slot(21), ep).ok());
}

TEST(CapAlgebra, UpdateCapDataBadges) {
  for (const Cap c : {EndpointCap::make(kP, 0, CapRights::all()),
                      NotificationCap::make(kP, 0, CapRights::all()), SmcCap::make(0)}) {
    const Cap minted = update_cap_data(false, 0x8400ff03, c);
    ASSERT_FALSE(minted.is_null());
    EXPECT_EQ(cap_badge(minted), (CapBadge{true, 0x8400ff03}));
    EXPECT_EQ(update_cap_data(false, 0, c), c) << "badge 0 from unbadged is a copy";
    EXPECT_TRUE(update_cap_data(false, 7, minted).is_null()) << "re-badging";
    EXPECT_TRUE(update_cap_data(false, 0x8400ff03, minted).is_null()) << "even the same badge";
    EXPECT_TRUE(update_cap_data(true, 7, c).is_null()) << "Mutate never badges";
    EXPECT_TRUE(update_cap_data(true, 0, c).is_null()) << "Mutate of a badgeable cap fails";
  }
}

TEST(CapAlgebra, UpdateCapDataCNodeGuard) {
  const Cap cn = CNodeCap::make(kP, 10, 0, 0);
  // guard 0x2b in 8 bits: data = guard << 6 | size
  const Cap g = update_cap_data(true, (word_t{0x12b} << 6) | 8, cn);
  ASSERT_EQ(g.type(), CapType::CNode);
  EXPECT_EQ(CNodeCap{g}.guard_size(), 8u);
  EXPECT_EQ(CNodeCap{g}.guard(), 0x2bu) << "guard masked to its size";
  EXPECT_EQ(CNodeCap{g}.radix(), 10u);
  EXPECT_EQ(CNodeCap{g}.ptr(), kP);
  EXPECT_EQ(update_cap_data(false, 54, cn).type(), CapType::CNode) << "10 + 54 = 64 fits";
  EXPECT_TRUE(update_cap_data(false, 55, cn).is_null()) << "10 + 55 > 64";
  EXPECT_EQ(CNodeCap{update_cap_data(false, 0, g)}.guard_size(), 0u);
}

TEST(CapAlgebra, UpdateCapDataIgnoredByOtherTypes) {
  for (const Cap c : all_caps()) {
    const CapType t = c.type();
    if (t == CapType::Endpoint || t == CapType::Notification || t == CapType::Smc || t == CapType::CNode) {
      continue;
    }
    EXPECT_EQ(update_cap_data(false, 0x1234, c), c) << int(t);
    EXPECT_EQ(update_cap_data(true, 0x1234, c), c) << int(t);
  }
}

TEST(CapAlgebra, MaskRights) {
  const Cap ep = EndpointCap::make(kP, 3, CapRights::all());
  EXPECT_EQ(EndpointCap{mask_cap_rights(CapRights::from_word(0x5), ep)}.rights(), CapRights::from_word(0x5));
  EXPECT_EQ(EndpointCap{mask_cap_rights(CapRights::from_word(0), ep)}.badge(), 3u);
  const Cap nt = NotificationCap::make(kP, 0, CapRights{true, true, false, false});
  EXPECT_EQ(NotificationCap{mask_cap_rights(CapRights::from_word(0x2), nt)}.rights(),
            CapRights::from_word(0x2));
  const Cap reply = ReplyCap::make(kP, false, true);
  EXPECT_FALSE(ReplyCap{mask_cap_rights(CapRights::from_word(0xb), reply)}.can_grant());
  EXPECT_TRUE(ReplyCap{mask_cap_rights(CapRights::from_word(0x4), reply)}.can_grant());
  for (const Cap c : all_caps()) {
    const CapType t = c.type();
    if (t == CapType::Endpoint || t == CapType::Notification || t == CapType::Reply || t == CapType::Frame) {
      continue;
    }
    EXPECT_EQ(mask_cap_rights(CapRights{}, c), c) << int(t);
  }
}

TEST(CapAlgebra, MaskVmRightsTable) {
  struct Case {
    VmRights in;
    word_t mask;
    VmRights out;
  };
  const Case cases[] = {
      {VmRights::ReadWrite, 0x3, VmRights::ReadWrite},  {VmRights::ReadWrite, 0x2, VmRights::ReadOnly},
      {VmRights::ReadWrite, 0x1, VmRights::KernelOnly}, {VmRights::ReadWrite, 0x0, VmRights::KernelOnly},
      {VmRights::ReadOnly, 0x3, VmRights::ReadOnly},    {VmRights::ReadOnly, 0x2, VmRights::ReadOnly},
      {VmRights::ReadOnly, 0x1, VmRights::KernelOnly},  {VmRights::KernelOnly, 0xf, VmRights::KernelOnly},
  };
  for (const Case& c : cases) {
    const Cap f = FrameCap::make(kP, FrameSize::Small, c.in, false);
    EXPECT_EQ(FrameCap{mask_cap_rights(CapRights::from_word(c.mask), f)}.rights(), c.out);
  }
}

TEST(CapAlgebra, SameRegionAs) {
  const Cap ut = UntypedCap::make(kP, 16, false, 0);
  EXPECT_TRUE(same_region_as(ut, EndpointCap::make(kP + 0xfff0, 0, CapRights::all())));
  EXPECT_FALSE(same_region_as(ut, EndpointCap::make(kP + 0x10000, 0, CapRights::all())));
  EXPECT_FALSE(same_region_as(ut, FrameCap::make(kP - 0x1000, FrameSize::Small, VmRights::ReadWrite, false)));
  EXPECT_TRUE(same_region_as(ut, UntypedCap::make(kP, 16, false, 0)));
  EXPECT_FALSE(same_region_as(ut, UntypedCap::make(kP, 17, false, 0)));
  EXPECT_FALSE(same_region_as(ut, SmcCap::make(0))) << "not physical";
  EXPECT_FALSE(same_region_as(ut, ReplyCap::make(kP, true, true))) << "reply caps are not physical";
  EXPECT_TRUE(same_region_as(ut, ZombieCap::make(kP, true, 0, 5)));
  EXPECT_TRUE(same_region_as(CNodeCap::make(kP, 4, 0, 0), CNodeCap::make(kP, 4, 60, 0)));
  EXPECT_FALSE(same_region_as(CNodeCap::make(kP, 4, 0, 0), CNodeCap::make(kP, 5, 0, 0)));
  EXPECT_TRUE(same_region_as(SmcCap::make(1), SmcCap::make(2)));
  EXPECT_TRUE(same_region_as(Cap::with_type(CapType::IrqControl), IrqHandlerCap::make(9)));
  EXPECT_FALSE(same_region_as(IrqHandlerCap::make(9), IrqHandlerCap::make(10)));
  EXPECT_TRUE(same_region_as(Cap::with_type(CapType::Domain), Cap::with_type(CapType::Domain)));
  const Cap large = FrameCap::make(0x40200000, FrameSize::Large, VmRights::ReadWrite, false);
  EXPECT_TRUE(same_region_as(large, FrameCap::make(0x40201000, FrameSize::Small, VmRights::ReadOnly, false)));
  EXPECT_FALSE(
      same_region_as(FrameCap::make(0x40201000, FrameSize::Small, VmRights::ReadOnly, false), large));
  EXPECT_FALSE(same_region_as(Cap::null(), Cap::null()));
  EXPECT_FALSE(same_region_as(SmcCap::make(0), Cap::with_type(CapType::AsidControl)));
}

// seL4 sameRegionAs / Arch_sameRegionAs / Arch_sameObjectAs for SGI-signal caps.
TEST(CapAlgebra, SgiSignalRegionsAndObjects) {
  const Cap control = Cap::with_type(CapType::IrqControl);
  const Cap sgi = SgiSignalCap::make(5, 0);
  EXPECT_TRUE(same_region_as(control, sgi)) << "IRQControl's region holds the SGI caps it issues";
  EXPECT_FALSE(same_region_as(sgi, control));
  EXPECT_TRUE(same_region_as(sgi, SgiSignalCap::make(5, 0)));
  EXPECT_FALSE(same_region_as(sgi, SgiSignalCap::make(6, 0))) << "another id";
  EXPECT_FALSE(same_region_as(sgi, SgiSignalCap::make(5, 1))) << "another target";
  EXPECT_FALSE(same_region_as(sgi, SmcCap::make(0)));
  EXPECT_FALSE(same_region_as(sgi, IrqHandlerCap::make(5)));
  EXPECT_FALSE(same_object_as(sgi, sgi)) << "never the same object: every copy is final";
  EXPECT_FALSE(same_object_as(control, sgi));
  EXPECT_FALSE(same_object_as(sgi, IrqHandlerCap::make(5)));
  EXPECT_EQ(update_cap_data(false, 7, sgi), sgi) << "Mint's badge does not apply";
  EXPECT_EQ(update_cap_data(true, 7, sgi), sgi);
  EXPECT_EQ(mask_cap_rights(CapRights{}, sgi), sgi);
  EXPECT_FALSE(cap_badge(sgi).present);
  EXPECT_EQ(cap_class(sgi), CapClass::Other);
  EXPECT_TRUE(is_cap_revocable(sgi, control)) << "issued by IRQControl: an original";
  EXPECT_FALSE(is_cap_revocable(sgi, sgi)) << "a copy";
  Cte a{}, b{};
  a.cap = sgi, b.cap = sgi;
  a.mdb.set_revocable(true);
  EXPECT_TRUE(is_mdb_parent_of(&a, &b)) << "an original is the parent of its copies";
  b.mdb.set_first_badged(true);
  EXPECT_FALSE(is_mdb_parent_of(&a, &b)) << "but not of another original for the same SGI";
  a.cap = control;
  EXPECT_TRUE(is_mdb_parent_of(&a, &b)) << "IRQControl is the parent of the caps it issues";
}

TEST(CapAlgebra, SameObjectAs) {
  EXPECT_FALSE(same_object_as(UntypedCap::make(kP, 16, false, 0), UntypedCap::make(kP, 16, false, 0)));
  EXPECT_FALSE(same_object_as(Cap::with_type(CapType::IrqControl), Cap::with_type(CapType::IrqControl)));
  const Cap f = FrameCap::make(kP, FrameSize::Small, VmRights::ReadWrite, false);
  EXPECT_TRUE(same_object_as(f, FrameCap::make(kP, FrameSize::Small, VmRights::ReadOnly, false)));
  EXPECT_FALSE(same_object_as(f, FrameCap::make(kP, FrameSize::Small, VmRights::ReadWrite, true)));
  EXPECT_FALSE(same_object_as(FrameCap::make(kP, FrameSize::Large, VmRights::ReadWrite, false), f));
  EXPECT_TRUE(same_object_as(EndpointCap::make(kP, 1, {}), EndpointCap::make(kP, 2, CapRights::all())));
  EXPECT_TRUE(same_object_as(SmcCap::make(1), SmcCap::make(0)));
}

TEST(CapAlgebra, BadgesAndClasses) {
  for (const Cap c : all_caps()) {
    const CapType t = c.type();
    const bool badged = t == CapType::Endpoint || t == CapType::Notification || t == CapType::Smc;
    EXPECT_EQ(cap_badge(c).present, badged) << int(t);
    const CapClass expected =
        t == CapType::Reply ? CapClass::Reply
        : (t == CapType::Untyped || t == CapType::Endpoint || t == CapType::Notification ||
           t == CapType::CNode || t == CapType::Thread || t == CapType::Zombie || t == CapType::Frame ||
           t == CapType::PageTable || t == CapType::VSpace || t == CapType::AsidPool)
            ? CapClass::Physical
            : CapClass::Other;
    EXPECT_EQ(cap_class(c), expected) << int(t);
  }
  EXPECT_EQ(cap_badge(SmcCap::make(0x8400ff03)).value, 0x8400ff03u);
}

TEST(CapAlgebra, IsCapRevocable) {
  const Cap ep0 = EndpointCap::make(kP, 0, CapRights::all());
  EXPECT_TRUE(is_cap_revocable(EndpointCap{ep0}.with_badge(5), ep0));
  EXPECT_FALSE(is_cap_revocable(ep0, ep0));
  EXPECT_TRUE(is_cap_revocable(SmcCap::make(5), SmcCap::make(0)));
  EXPECT_FALSE(is_cap_revocable(SmcCap::make(5), SmcCap::make(5)));
  EXPECT_TRUE(is_cap_revocable(IrqHandlerCap::make(3), Cap::with_type(CapType::IrqControl)));
  EXPECT_FALSE(is_cap_revocable(IrqHandlerCap::make(3), IrqHandlerCap::make(3)));
  EXPECT_TRUE(is_cap_revocable(UntypedCap::make(kP, 12, false, 0), UntypedCap::make(kP, 12, false, 0)));
  for (const Cap c : all_caps()) {
    const CapType t = c.type();
    if (t == CapType::Untyped) continue;
    EXPECT_FALSE(is_cap_revocable(c, c)) << int(t);
  }
}

TEST(CapAlgebra, MdbParentBadgeRules) {
  Cte a{}, b{};
  a.mdb.set_revocable(true);
  for (const Cap base : {EndpointCap::make(kP, 0, CapRights::all()), SmcCap::make(0)}) {
    auto with_badge = [&](word_t badge) { return update_cap_data(false, badge, base); };
    a.cap = base;
    b.cap = with_badge(7);
    EXPECT_TRUE(is_mdb_parent_of(&a, &b)) << "badge 0 is the parent of every badge";
    a.cap = with_badge(7);
    b.mdb.set_first_badged(false);
    EXPECT_TRUE(is_mdb_parent_of(&a, &b)) << "a copy of a badged cap";
    b.mdb.set_first_badged(true);
    EXPECT_FALSE(is_mdb_parent_of(&a, &b)) << "an independently minted same badge";
    b.cap = with_badge(8);
    b.mdb.set_first_badged(false);
    EXPECT_FALSE(is_mdb_parent_of(&a, &b)) << "different badge";
    a.mdb.set_revocable(false);
    a.cap = base;
    EXPECT_FALSE(is_mdb_parent_of(&a, &b)) << "non-revocable caps have no children";
    a.mdb.set_revocable(true);
  }
  a.cap = EndpointCap::make(kP, 0, CapRights::all());
  b.cap = SmcCap::make(0);
  EXPECT_FALSE(is_mdb_parent_of(&a, &b)) << "different region";
}

TEST(CapAlgebra, FinaliseCap) {
  CapEnv env;
  const Cap cn = CNodeCap::make(kP, 6, 58, 0);
  const FinaliseResult f = finalise_cap(cn, true, false);
  ASSERT_EQ(f.remainder.type(), CapType::Zombie);
  EXPECT_EQ(ZombieCap{f.remainder}.remaining(), 64u);
  EXPECT_EQ(ZombieCap{f.remainder}.ptr(), kP);
  EXPECT_FALSE(ZombieCap{f.remainder}.is_tcb());
  EXPECT_TRUE(finalise_cap(cn, false, false).remainder.is_null());
  const paddr_t tcb = env.alloc(kTcbBits);
  tcb_from_object(tcb)->state = ThreadState::Running;
  const FinaliseResult t = finalise_cap(ThreadCap::make(tcb), true, false);
  ASSERT_EQ(t.remainder.type(), CapType::Zombie);
  EXPECT_TRUE(ZombieCap{t.remainder}.is_tcb());
  EXPECT_EQ(ZombieCap{t.remainder}.remaining(), word_t{kTcbNumSlots});
  EXPECT_EQ(tcb_from_object(tcb)->state, ThreadState::Inactive);
  init_irqs(env.alloc(kIrqNodeSlotBits + kSlotBits));  // the final handler cap empties its IRQ's slot
  const Cap irq = IrqHandlerCap::make(40);
  EXPECT_EQ(finalise_cap(irq, true, false).cleanup_info, irq);
  EXPECT_TRUE(finalise_cap(irq, false, false).cleanup_info.is_null());
  const Cap z = ZombieCap::make(kP, false, 3, 2);
  EXPECT_EQ(finalise_cap(z, true, false).remainder, z);
  for (const Cap c : all_caps()) {
    const CapType ty = c.type();
    if (ty == CapType::CNode || ty == CapType::Thread || ty == CapType::Zombie) continue;
    EXPECT_TRUE(finalise_cap(c, true, false).remainder.is_null()) << int(ty);
  }
}

TEST(CapAlgebra, SizesAndPointers) {
  EXPECT_EQ(cap_size_bits(CNodeCap::make(kP, 6, 0, 0)), 11u);
  EXPECT_EQ(cap_size_bits(ThreadCap::make(kP)), kTcbBits);
  EXPECT_EQ(cap_size_bits(ZombieCap::make(kP, true, 0, 5)), kTcbBits);
  EXPECT_EQ(cap_size_bits(ZombieCap::make(kP, false, 6, 64)), 11u);
  EXPECT_EQ(cap_size_bits(FrameCap::make(kP, FrameSize::Huge, VmRights::ReadWrite, false)), 30u);
  EXPECT_EQ(cap_size_bits(EndpointCap::make(kP, 0, {})), kEndpointBits);
  EXPECT_EQ(cap_object_ptr(SmcCap::make(3)), 0u);
  EXPECT_EQ(cap_object_ptr(VSpaceCap::make(kP)), kP);
  EXPECT_TRUE(has_cancel_send_rights(EndpointCap::make(kP, 0, CapRights::all())));
  EXPECT_FALSE(has_cancel_send_rights(EndpointCap::make(kP, 0, CapRights::from_word(7))));
  EXPECT_FALSE(has_cancel_send_rights(NotificationCap::make(kP, 0, CapRights::all())));
}

}  // namespace
}  // namespace keel
