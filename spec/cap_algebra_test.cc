// The cap algebra as pure functions.
#include "cap_algebra.h"

#include <gtest/gtest.h>

namespace keel::spec {
namespace {

const Cap kEp = Cap::endpoint(0x1000, 0, CapRights::all());

TEST(CapAlgebra, UpdateCapDataBadgesOnlyOnMintOfAnUnbadgedCap) {
  EXPECT_EQ(update_cap_data(false, 5, kEp).badge, 5u);
  EXPECT_TRUE(update_cap_data(true, 5, kEp).is_null());
  EXPECT_TRUE(update_cap_data(false, 5, update_cap_data(false, 4, kEp)).is_null());
  EXPECT_EQ(update_cap_data(false, 9, Cap::smc(0)), Cap::smc(9));
  EXPECT_TRUE(update_cap_data(false, 9, Cap::smc(9)).is_null());
  EXPECT_TRUE(update_cap_data(true, 0, Cap::smc(0)).is_null());
  EXPECT_EQ(update_cap_data(true, 3, Cap::domain()), Cap::domain());  // data ignored
}

TEST(CapAlgebra, UpdateCapDataOnACNodeSetsAMaskedGuard) {
  Cap cn = Cap::cnode(0x2000, 8, 0, 0);
  Cap g = update_cap_data(true, word_t{0x1ff} << 6 | 4, cn);
  EXPECT_EQ(g.guard_size, 4u);
  EXPECT_EQ(g.guard, 0xfu);
  EXPECT_FALSE(update_cap_data(false, 56, cn).is_null());
  EXPECT_TRUE(update_cap_data(false, 57, cn).is_null());  // 57 + 8 > 64
}

TEST(CapAlgebra, MaskRights) {
  Cap ro = mask_cap_rights(CapRights::from_word(0x2), kEp);
  EXPECT_EQ(ro.rights, (CapRights{false, true, false, false}));
  EXPECT_EQ(mask_vm_rights(VmRights::ReadWrite, CapRights::from_word(0x3)), VmRights::ReadWrite);
  EXPECT_EQ(mask_vm_rights(VmRights::ReadWrite, CapRights::from_word(0x2)), VmRights::ReadOnly);
  EXPECT_EQ(mask_vm_rights(VmRights::ReadWrite, CapRights::from_word(0x1)), VmRights::KernelOnly);
  EXPECT_EQ(mask_vm_rights(VmRights::ReadOnly, CapRights::from_word(0xf)), VmRights::ReadOnly);
  EXPECT_EQ(mask_vm_rights(VmRights::ReadOnly, CapRights::from_word(0x1)), VmRights::KernelOnly);
  EXPECT_EQ(mask_cap_rights(CapRights{}, Cap::smc(3)), Cap::smc(3));
}

TEST(CapAlgebra, RegionsAndObjects) {
  Cap ut = Cap::untyped(0x10000, 16, false, 0);
  EXPECT_TRUE(same_region_as(ut, kEp) == false);  // 0x1000 is below the untyped
  EXPECT_TRUE(same_region_as(ut, Cap::endpoint(0x1fff0, 0, {})));
  EXPECT_FALSE(same_region_as(ut, Cap::endpoint(0x20000, 0, {})));
  EXPECT_FALSE(same_object_as(ut, Cap::untyped(0x10000, 16, false, 0)));  // untypeds: never
  Cap big = Cap::frame(0x200000, 21, VmRights::ReadWrite, false);
  Cap small = Cap::frame(0x201000, 12, VmRights::ReadWrite, false);
  EXPECT_TRUE(same_region_as(big, small));
  EXPECT_FALSE(same_object_as(big, small));
  EXPECT_TRUE(same_object_as(small, Cap::frame(0x201000, 12, VmRights::ReadOnly, false, Mapping{1, 0})));
  EXPECT_TRUE(same_region_as(Cap::irq_control(), Cap::irq_handler(3)));
  EXPECT_FALSE(same_object_as(Cap::irq_control(), Cap::irq_handler(3)));
  EXPECT_TRUE(same_region_as(Cap::smc(1), Cap::smc(2)));
  EXPECT_FALSE(same_region_as(Cap::cnode(0x2000, 4, 0, 0), Cap::cnode(0x2000, 5, 0, 0)));
}

TEST(CapAlgebra, RevocableAndParentRulesForBadges) {
  EXPECT_TRUE(is_cap_revocable(Cap::smc(1), Cap::smc(0)));
  EXPECT_FALSE(is_cap_revocable(Cap::smc(1), Cap::smc(1)));
  EXPECT_TRUE(is_cap_revocable(Cap::untyped(0, 12, false, 0), Cap::untyped(0, 12, false, 0)));
  EXPECT_TRUE(is_cap_revocable(Cap::irq_handler(1), Cap::irq_control()));
  EXPECT_FALSE(is_cap_revocable(Cap::thread(0x800), Cap::thread(0x800)));
  Slot master{Cap::smc(0), true, true, {}};
  Slot badged{Cap::smc(1), true, true, {}};
  Slot copy{Cap::smc(1), false, false, {}};
  EXPECT_TRUE(is_mdb_parent_of(master, badged));
  EXPECT_TRUE(is_mdb_parent_of(badged, copy));
  EXPECT_FALSE(is_mdb_parent_of(badged, badged));  // another original with the same badge
  EXPECT_FALSE(is_mdb_parent_of(copy, copy));      // not revocable
  EXPECT_FALSE(is_mdb_parent_of(badged, Slot{Cap::smc(2), false, false, {}}));
}

TEST(CapAlgebra, BadgesClassesAndCancelRights) {
  EXPECT_EQ(cap_badge(Cap::smc(7)), 7u);
  EXPECT_EQ(cap_badge(kEp), 0u);
  EXPECT_FALSE(cap_badge(Cap::thread(0x800)).has_value());
  EXPECT_EQ(cap_class(Cap::smc(0)), CapClass::Other);
  EXPECT_EQ(cap_class(Cap::reply(0x800, false, true)), CapClass::Reply);
  EXPECT_EQ(cap_class(Cap::page_table(0x3000)), CapClass::Physical);
  EXPECT_EQ(cap_class(Cap::asid_control()), CapClass::Other);
  EXPECT_TRUE(has_cancel_send_rights(kEp));
  EXPECT_FALSE(has_cancel_send_rights(mask_cap_rights(CapRights::from_word(0x7), kEp)));
}

}  // namespace
}  // namespace keel::spec
