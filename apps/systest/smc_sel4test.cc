// SMC0001..SMC0008: keel's own versions of sel4test's SMC cases (reference sel4-smc.md section 4).
#include "framework.h"

#include <keel/sel4.hpp>

namespace systest {
namespace {

constexpr keel::CNode kRoot{seL4_CapInitThreadCNode};
constexpr seL4_Word kArmStdSvcVersion = 0x8400ff03;  // Arm Standard Service: call count/version query
constexpr seL4_Word kUnassignedSmc = 0x82000000;     // a SiP fast call nobody implements
constexpr unsigned kSlotsUsed = 4;                   // env_smc plus up to three destinations

seL4_CPtr slot(const Test& t, unsigned i) { return t.bi()->empty.start + i; }

bool expect_error(Test& t, const char* what, seL4_Error got, seL4_Error want) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

bool expect_tag(Test& t, const char* what, seL4_CPtr cptr, seL4_Word tag) {
  return t.expect_eq(what, seL4_DebugCapIdentify(cptr), tag);
}

// sel4test's driver hands each test a CNode_Copy of seL4_CapSMC: badge 0, but not revocable.
// Every case works from that copy (slot 0 of the scratch range) and clears its slots at the end.
class EnvSmc {
 public:
  explicit EnvSmc(Test& t) : t_(t) {
    ok_ = expect_error(t, "Copy of the master SMC cap",
                       kRoot.copy(cptr(), kRoot, seL4_CapSMC, seL4_AllRights), seL4_NoError);
  }
  ~EnvSmc() {
    for (unsigned i = 0; i < kSlotsUsed; ++i) (void)kRoot.remove(slot(t_, i));
  }
  EnvSmc(const EnvSmc&) = delete;
  EnvSmc& operator=(const EnvSmc&) = delete;

  bool ok() const { return ok_; }
  seL4_CPtr cptr() const { return slot(t_, 0); }
  seL4_CPtr dest(unsigned i) const { return slot(t_, i); }  // i = 1..3

 private:
  Test& t_;
  bool ok_;
};

seL4_Error mint(seL4_CPtr dest, seL4_CPtr src, seL4_Word badge) {
  return kRoot.mint(dest, kRoot, src, seL4_AllRights, badge);
}

seL4_Error copy(seL4_CPtr dest, seL4_CPtr src) { return kRoot.copy(dest, kRoot, src, seL4_AllRights); }

void smc0001_calls(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  const seL4_CPtr badged = env.dest(1);
  if (!expect_error(t, "Mint badge ARM_STD_SVC_VERSION", mint(badged, env.cptr(), kArmStdSvcVersion),
                    seL4_NoError)) {
    return;
  }
  seL4_ARM_SMCContext args = {}, out = {};
  args.x0 = kArmStdSvcVersion;
  if (expect_error(t, "SMC ARM_STD_SVC_VERSION", keel::Smc{badged}.call(args, out), seL4_NoError)) {
    // sel4test expects a version from TF-A (x0 != the function ID, x0 + x1 >= 1). QEMU 7.2's PSCI
    // emulation has no Arm Standard Service version call and answers NOT_SUPPORTED (-1) instead.
    t.expect_eq("ARM_STD_SVC_VERSION x0 on QEMU", out.x0, ~seL4_Word{0});
  }
  args.x0 = kUnassignedSmc;
  expect_error(t, "badged cap asked for another function", keel::Smc{badged}.call(args, out),
               seL4_IllegalOperation);
  expect_error(t, "Mint from a badged SMC cap", mint(env.dest(2), badged, kUnassignedSmc),
               seL4_IllegalOperation);
}

void smc0002_copy(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "Copy", copy(env.dest(1), env.cptr()), seL4_NoError);
  expect_tag(t, "tag of the copy", env.dest(1), seL4_CapTag_SMC);
}

void smc0003_copy_not_revocable(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "Copy", copy(env.dest(1), env.cptr()), seL4_NoError);
  // env_smc is itself a copy, so it has no revocable authority over the second copy.
  expect_error(t, "Revoke env_smc", kRoot.revoke(env.cptr()), seL4_NoError);
  expect_tag(t, "copy after revoking env_smc", env.dest(1), seL4_CapTag_SMC);
}

void smc0004_unbadged_can_be_badged(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "Mint badge 1", mint(env.dest(1), env.cptr(), 1), seL4_NoError);
  expect_tag(t, "tag of the badged cap", env.dest(1), seL4_CapTag_SMC);
}

void smc0005_badge_is_fixed(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "Mint badge 1", mint(env.dest(1), env.cptr(), 1), seL4_NoError);
  expect_error(t, "Mint badge 2 from badge 1", mint(env.dest(2), env.dest(1), 2), seL4_IllegalOperation);
  expect_tag(t, "destination of the refused Mint", env.dest(2), seL4_CapTag_Null);
}

void smc0006_badged_can_be_copied(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "Mint badge 1", mint(env.dest(1), env.cptr(), 1), seL4_NoError);
  expect_error(t, "Copy of the badged cap", copy(env.dest(2), env.dest(1)), seL4_NoError);
  expect_tag(t, "tag of the copy", env.dest(2), seL4_CapTag_SMC);
}

void smc0007_badged_original_revokes_copies(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "Mint badge 1", mint(env.dest(1), env.cptr(), 1), seL4_NoError);
  expect_error(t, "Copy of the badged cap", copy(env.dest(2), env.dest(1)), seL4_NoError);
  expect_error(t, "Revoke the badged original", kRoot.revoke(env.dest(1)), seL4_NoError);
  expect_tag(t, "copy after the revoke", env.dest(2), seL4_CapTag_Null);
  expect_tag(t, "the badged original itself", env.dest(1), seL4_CapTag_SMC);
}

void smc0008_badged_originals_independent(Test& t) {
  EnvSmc env(t);
  if (!env.ok()) return;
  expect_error(t, "first Mint badge 1", mint(env.dest(1), env.cptr(), 1), seL4_NoError);
  expect_error(t, "second Mint badge 1", mint(env.dest(2), env.cptr(), 1), seL4_NoError);
  expect_error(t, "Copy of the second", copy(env.dest(3), env.dest(2)), seL4_NoError);
  expect_error(t, "Revoke the second", kRoot.revoke(env.dest(2)), seL4_NoError);
  expect_tag(t, "copy of the second", env.dest(3), seL4_CapTag_Null);
  // Same badge, minted separately: a first-badged original of its own, not a child.
  expect_tag(t, "the first badged original", env.dest(1), seL4_CapTag_SMC);
}

// SMC0001 makes a real SMC; the rest only need the cap and CNode operations.
constexpr TestCase kCases[] = {
    {"SMC0001 SMC calls through a badged cap", smc0001_calls},
    {"SMC0002 SMC caps can be copied", smc0002_copy},
    {"SMC0003 copied SMC caps lose revocable authority", smc0003_copy_not_revocable},
    {"SMC0004 unbadged SMC caps can be badged", smc0004_unbadged_can_be_badged},
    {"SMC0005 badged SMC caps cannot change badge", smc0005_badge_is_fixed},
    {"SMC0006 badged SMC caps can be copied", smc0006_badged_can_be_copied},
    {"SMC0007 original badged SMC caps revoke copies", smc0007_badged_original_revokes_copies},
    {"SMC0008 badged originals do not revoke each other", smc0008_badged_originals_independent},
};

}  // namespace

Suite smc_sel4test_suite() {
  constexpr unsigned kAll = sizeof(kCases) / sizeof(kCases[0]);
  if constexpr (SYSTEST_ALLOW_SMC_CALLS == 0 || SYSTEST_CNODE_TESTS == 0) {
    return Suite{nullptr, 0};
  } else if constexpr (SYSTEST_SMC_EXEC == 0) {
    return Suite{kCases + 1, kAll - 1};
  } else {
    return Suite{kCases, kAll};
  }
}

}  // namespace systest
