// SMCD00xx: SMC cap decode and badge rules that never reach the secure monitor (reference sel4-smc.md).
#include "framework.h"
#include "raw_call.h"

#include <keel/sel4.hpp>

namespace systest {
namespace {

constexpr keel::CNode kRoot{seL4_CapInitThreadCNode};
constexpr seL4_Word kPsciVersion = 0x84000000;  // SMCCC fast call, PSCI_VERSION
constexpr seL4_Word kPsciFeatures = 0x8400000a;

seL4_CPtr free_slot(const Test& t, unsigned i) { return t.bi()->empty.start + i; }

bool expect_reply(Test& t, const char* what, const RawReply& r, seL4_Word label, seL4_Word length) {
  return t.expect(r.label() == label && r.length() == length,
                  "%s replied label %lu length %lu, expected %lu/%lu", what, r.label(), r.length(), label,
                  length);
}

// seL4 decode order: label, then length >= 8, then badge; none of these execute an SMC.
void smcd0001_decode_errors(Test& t) {
  expect_reply(t, "label 0", raw_call(seL4_CapSMC, 0, 8, kPsciVersion, 0, 0, 0), seL4_IllegalOperation, 0);
  expect_reply(t, "CNode label", raw_call(seL4_CapSMC, CNodeCopy, 8, kPsciVersion, 0, 0, 0),
               seL4_IllegalOperation, 0);
  expect_reply(t, "length 7", raw_call(seL4_CapSMC, ARMSMCCall, 7, kPsciVersion, 0, 0, 0),
               seL4_TruncatedMessage, 0);
  expect_reply(t, "length 0", raw_call(seL4_CapSMC, ARMSMCCall, 0, 0, 0, 0, 0), seL4_TruncatedMessage, 0);
}

void smcd0002_badges(Test& t) {
  const seL4_CPtr e0 = free_slot(t, 0), e1 = free_slot(t, 1);
  // Mint from the unbadged master: badge = the one allowed function ID.
  t.expect(kRoot.mint(e0, kRoot, seL4_CapSMC, seL4_AllRights, kPsciVersion) == seL4_NoError,
           "Mint badged SMC");
  t.expect_eq("tag of badged SMC cap", seL4_DebugCapIdentify(e0), seL4_CapTag_SMC);
  // A badge that differs from MR0 is refused before any SMC happens.
  for (unsigned i = 4; i < 8; ++i) seL4_SetMR(static_cast<int>(i), 0);
  expect_reply(t, "badged cap, other function", raw_call(e0, ARMSMCCall, 8, kPsciFeatures, 0, 0, 0),
               seL4_IllegalOperation, 0);
  // seL4: Mint from a badged cap and Mutate of any SMC cap fail with IllegalOperation.
  t.expect(kRoot.mint(e1, kRoot, e0, seL4_AllRights, kPsciFeatures) == seL4_IllegalOperation,
           "Mint from a badged SMC cap did not fail with IllegalOperation");
  t.expect(kRoot.mutate(e1, kRoot, e0, kPsciFeatures) == seL4_IllegalOperation,
           "Mutate of an SMC cap did not fail with IllegalOperation");
  t.expect_eq("badged cap still in place", seL4_DebugCapIdentify(e0), seL4_CapTag_SMC);
  // Copy keeps the badge: the copy refuses the other function too.
  t.expect(kRoot.copy(e1, kRoot, e0, seL4_AllRights) == seL4_NoError, "Copy badged SMC");
  expect_reply(t, "copy of badged cap, other function", raw_call(e1, ARMSMCCall, 8, kPsciFeatures, 0, 0, 0),
               seL4_IllegalOperation, 0);
  (void)kRoot.remove(e1);
  (void)kRoot.remove(e0);
}

// QEMU virt with virtualization=on answers SMCs from EL1 as PSCI 1.1 (DESIGN.md section 8).
void smcx0001_psci(Test& t) {
  seL4_ARM_SMCContext args = {}, out = {};
  args.x0 = kPsciVersion;
  if (t.expect(keel::kMasterSmc.call(args, out) == seL4_NoError,
               "PSCI_VERSION through the master cap failed")) {
    t.expect_eq("PSCI_VERSION x0", out.x0, 0x10001);
  }
  // An unknown function answers NOT_SUPPORTED (-1 in w0).
  args.x0 = 0x8400ff00;
  out = {};
  if (t.expect(keel::kMasterSmc.call(args, out) == seL4_NoError,
               "unknown PSCI function through the master cap")) {
    t.expect_eq("unknown function w0", out.x0 & 0xffffffffu, 0xffffffffu);
  }
  // A cap badged with PSCI_VERSION may make exactly that call.
  const seL4_CPtr e0 = free_slot(t, 0);
  if (t.expect(kRoot.mint(e0, kRoot, seL4_CapSMC, seL4_AllRights, kPsciVersion) == seL4_NoError, "Mint")) {
    args.x0 = kPsciVersion;
    out = {};
    t.expect(keel::Smc{e0}.call(args, out) == seL4_NoError && out.x0 == 0x10001,
             "badged PSCI_VERSION gave x0 = 0x%lx", out.x0);
  }
  (void)kRoot.remove(e0);
}

constexpr TestCase kCases[] = {
    {"SMCD0001 SMC decode errors", smcd0001_decode_errors},
    {"SMCD0002 SMC badges", smcd0002_badges},
    {"SMCX0001 PSCI calls through SMC caps", smcx0001_psci},
};

}  // namespace

Suite smc_suite() {
  constexpr unsigned kAll = sizeof(kCases) / sizeof(kCases[0]);
  constexpr bool kHaveSmcCap = SYSTEST_ALLOW_SMC_CALLS != 0;
  constexpr bool kMintWorks = SYSTEST_CNODE_TESTS != 0;  // the badge tests mint and copy
  constexpr bool kSmcAnswered = SYSTEST_SMC_EXEC != 0;
  if constexpr (!kHaveSmcCap || !kMintWorks) {
    return Suite{nullptr, 0};
  } else if constexpr (!kSmcAnswered) {
    return Suite{kCases, kAll - 1};  // the last case executes real SMCs
  } else {
    return Suite{kCases, kAll};
  }
}

}  // namespace systest
