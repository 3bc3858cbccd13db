// PSCI00xx: PSCI calls through SMC caps, checked against what QEMU 7.2 answers (smc-peers.md section 4).
#include "framework.h"
#include "raw_call.h"

#include <keel/sel4.hpp>

namespace systest {
namespace {

constexpr keel::CNode kRoot{seL4_CapInitThreadCNode};
constexpr seL4_Word kPsciVersion = 0x84000000;
constexpr seL4_Word kMigrateInfoType = 0x84000006;
constexpr seL4_Word kSystemOff = 0x84000008;
constexpr seL4_Word kPsciFeatures = 0x8400000a;
constexpr seL4_Word kNotSupported = ~seL4_Word{0};  // SMCCC/PSCI -1, sign-extended

seL4_CPtr slot(const Test& t, unsigned i) { return t.bi()->empty.start + i; }

// Everything an SMC Call returns: the reply's label and length, and x0..x7.
struct SmcReply {
  seL4_Word label;
  seL4_Word length;
  seL4_Word x[8];
};

// One SMC Call with x0..x7 = args (MR4..7 through the IPC buffer), reply read back in full.
SmcReply smc_call(seL4_CPtr cap, const seL4_Word (&args)[8]) {
  for (int i = 4; i < 8; ++i) seL4_SetMR(i, args[i]);
  const RawReply r = raw_call(cap, ARMSMCCall, 8, args[0], args[1], args[2], args[3]);
  SmcReply out{r.label(), r.length(), {r.mr[0], r.mr[1], r.mr[2], r.mr[3]}};
  for (int i = 4; i < 8; ++i) out.x[i] = seL4_GetMR(i);
  return out;
}

SmcReply smc_call(seL4_CPtr cap, seL4_Word x0, seL4_Word x1 = 0) {
  const seL4_Word args[8] = {x0, x1, 0, 0, 0, 0, 0, 0};
  return smc_call(cap, args);
}

// A successful SMC reply: label 0, length 8, and the firmware's x0.
bool expect_result(Test& t, const char* what, const SmcReply& r, seL4_Word x0) {
  return t.expect(r.label == seL4_NoError && r.length == 8 && r.x[0] == x0,
                  "%s: reply label %lu length %lu x0 0x%lx, expected 0/8 x0 0x%lx", what, r.label, r.length,
                  r.x[0], x0);
}

// A refused SMC: the error label, no words, and (seL4) no SMC made.
bool expect_refused(Test& t, const char* what, const SmcReply& r, seL4_Error error) {
  return t.expect(r.label == seL4_Word(error) && r.length == 0,
                  "%s: reply label %lu length %lu, expected %d/0", what, r.label, r.length,
                  static_cast<int>(error));
}

// Mints a cap from the master allowing exactly `fid` into scratch slot i; 0 on failure.
seL4_CPtr mint_for(Test& t, unsigned i, seL4_Word fid) {
  const seL4_CPtr dest = slot(t, i);
  const seL4_Error e = kRoot.mint(dest, kRoot, seL4_CapSMC, seL4_AllRights, fid);
  return t.expect(e == seL4_NoError, "Mint badge 0x%lx returned %d", fid, static_cast<int>(e)) ? dest : 0;
}

void remove_slots(const Test& t, unsigned n) {
  for (unsigned i = 0; i < n; ++i) (void)kRoot.remove(slot(t, i));
}

// The reply carries all eight result registers; QEMU writes only x0, so x1..x7 come back as sent.
void psci0001_version(Test& t) {
  const seL4_CPtr cap = mint_for(t, 0, kPsciVersion);
  if (cap != 0) {
    const seL4_Word args[8] = {kPsciVersion, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    const SmcReply r = smc_call(cap, args);
    if (expect_result(t, "PSCI_VERSION", r, 0x10001)) {  // PSCI 1.1
      for (int i = 1; i < 8; ++i) t.expect(r.x[i] == args[i], "x%d = 0x%lx, sent 0x%lx", i, r.x[i], args[i]);
    }
  }
  remove_slots(t, 1);
}

void psci0002_features(Test& t) {
  struct Query {
    const char* name;
    seL4_Word fid;
    seL4_Word answer;
  };
  static constexpr Query kQueries[] = {
      {"PSCI_VERSION", kPsciVersion, 0},
      {"CPU_ON (SMC64)", 0xc4000003, 0},
      {"SYSTEM_OFF", kSystemOff, 0},
      {"SYSTEM_RESET", 0x84000009, 0},
      {"PSCI_FEATURES", kPsciFeatures, 0},
      {"SYSTEM_SUSPEND", 0x8400000e, kNotSupported},
      {"SYSTEM_RESET2", 0x84000012, kNotSupported},
      {"SMCCC_VERSION", 0x80000000, kNotSupported},
  };
  const seL4_CPtr cap = mint_for(t, 0, kPsciFeatures);
  if (cap != 0) {
    for (const Query& q : kQueries) expect_result(t, q.name, smc_call(cap, kPsciFeatures, q.fid), q.answer);
  }
  remove_slots(t, 1);
}

// Badge 0 allows any function ID; QEMU answers the ones it does not know with -1.
void psci0003_master_any_function(Test& t) {
  expect_result(t, "MIGRATE_INFO_TYPE", smc_call(seL4_CapSMC, kMigrateInfoType), 2);  // no Trusted OS
  static constexpr seL4_Word kUnknown[] = {0x82000000, 0xc2001234, 0xb2000000, 0x02000001, 0x8400001f};
  for (seL4_Word fid : kUnknown) {
    char what[40];
    snprintf(what, sizeof(what), "unknown function 0x%lx", fid);
    expect_result(t, what, smc_call(seL4_CapSMC, fid), kNotSupported);
  }
}

void psci0004_badge_mismatch(Test& t) {
  const seL4_CPtr version = mint_for(t, 0, kPsciVersion);
  const seL4_CPtr features = mint_for(t, 1, kPsciFeatures);
  if (version != 0 && features != 0) {
    expect_refused(t, "PSCI_VERSION cap, PSCI_FEATURES", smc_call(version, kPsciFeatures, kPsciVersion),
                   seL4_IllegalOperation);
    expect_refused(t, "PSCI_FEATURES cap, PSCI_VERSION", smc_call(features, kPsciVersion),
                   seL4_IllegalOperation);
    // Had the kernel made this SMC, QEMU would have stopped before the summary line.
    expect_refused(t, "PSCI_VERSION cap, SYSTEM_OFF", smc_call(version, kSystemOff), seL4_IllegalOperation);
  }
  remove_slots(t, 2);
}

// seL4 compares the badge with all 64 bits of x0: no masking of w0's upper half or the SVE hint
// (bit 16). QEMU compares all 64 bits too, so through the master cap these are unknown calls.
void psci0005_function_id_forms(Test& t) {
  static constexpr seL4_Word kForms[] = {0xffffffff84000000, 0x0000000184000000, 0x84010000};
  const seL4_CPtr version = mint_for(t, 0, kPsciVersion);
  for (seL4_Word x0 : kForms) {
    char what[48];
    snprintf(what, sizeof(what), "x0 = 0x%lx", x0);
    if (version != 0) expect_refused(t, what, smc_call(version, x0), seL4_IllegalOperation);
    expect_result(t, what, smc_call(seL4_CapSMC, x0), kNotSupported);
  }
  remove_slots(t, 1);
}

// x0..x5 after a Send: seL4 writes no reply, so the kernel must hand them all back unchanged.
struct SendRegs {
  seL4_Word x[6];
};

SendRegs send_observed(seL4_CPtr cap, seL4_Word info, seL4_Word mr0, seL4_Word mr1) {
  register seL4_Word x0 __asm__("x0") = cap;
  register seL4_Word x1 __asm__("x1") = info;
  register seL4_Word x2 __asm__("x2") = mr0;
  register seL4_Word x3 __asm__("x3") = mr1;
  register seL4_Word x4 __asm__("x4") = 0x4444;
  register seL4_Word x5 __asm__("x5") = 0x5555;
  register seL4_Word x7 __asm__("x7") = KEEL_SYSNO(seL4_SysSend);
  __asm__ __volatile__("svc #0"
                       : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                       : "r"(x7)
                       : "memory");
  return SendRegs{{x0, x1, x2, x3, x4, x5}};
}

void expect_send_silent(Test& t, const char* what, seL4_CPtr cap, seL4_Word fid) {
  const seL4_Word info = seL4_MessageInfo_new(ARMSMCCall, 0, 0, 8).words[0];
  for (int i = 4; i < 8; ++i) seL4_SetMR(i, 0xa0 + seL4_Word(i));
  const SendRegs r = send_observed(cap, info, fid, 0x3333);
  const seL4_Word sent[6] = {cap, info, fid, 0x3333, 0x4444, 0x5555};
  for (int i = 0; i < 6; ++i) t.expect(r.x[i] == sent[i], "%s: x%d = 0x%lx after Send", what, i, r.x[i]);
  for (int i = 4; i < 8; ++i) {
    t.expect(seL4_GetMR(i) == 0xa0 + seL4_Word(i), "%s: MR%d changed by Send", what, i);
  }
}

// seL4 makes the SMC on Send as on Call and drops the results. A PSCI_VERSION call has no visible
// effect, so only the absence of a reply is checked, for an allowed and for a refused call.
void psci0006_send(Test& t) {
  const seL4_CPtr version = mint_for(t, 0, kPsciVersion);
  expect_send_silent(t, "master, PSCI_VERSION", seL4_CapSMC, kPsciVersion);
  if (version != 0) expect_send_silent(t, "PSCI_VERSION cap, PSCI_FEATURES", version, kPsciFeatures);
  remove_slots(t, 1);
}

constexpr TestCase kCases[] = {
    {"PSCI0001 PSCI_VERSION through a cap badged for it", psci0001_version},
    {"PSCI0002 PSCI_FEATURES through a cap badged for it", psci0002_features},
    {"PSCI0003 the master cap allows any function ID", psci0003_master_any_function},
    {"PSCI0004 a badged cap refuses other functions", psci0004_badge_mismatch},
    {"PSCI0005 function IDs are compared in all 64 bits", psci0005_function_id_forms},
    {"PSCI0006 Send makes the call without a reply", psci0006_send},
};

}  // namespace

Suite psci_suite() {
  // Every case makes real SMCs: only where QEMU answers them, and only with the master cap.
  if constexpr (SYSTEST_ALLOW_SMC_CALLS == 0 || SYSTEST_CNODE_TESTS == 0 || SYSTEST_SMC_EXEC == 0) {
    return Suite{nullptr, 0};
  } else {
    return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])};
  }
}

}  // namespace systest
