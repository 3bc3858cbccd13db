// keel demo root task: tells the story of the SMC capability on the console, then powers off through it.
#include <keel/runtime.h>
#include <sel4/sel4.h>
#include <keel/sel4.hpp>

namespace {

constexpr keel::CNode kRoot = keel::kRootCNode;
constexpr seL4_Word kPsciVersion = 0x84000000;
constexpr seL4_Word kSystemOff = 0x84000008;
constexpr seL4_Word kPsciFeatures = 0x8400000a;
constexpr seL4_Word kSystemSuspend = 0x8400000e;

// The slots the demo uses, all taken from the start of the free range.
struct Slots {
  seL4_CPtr version, features, off, copy;
};

const char* error_name(seL4_Error e) {
  static constexpr const char* kNames[] = {
      "seL4_NoError",    "seL4_InvalidArgument", "seL4_InvalidCapability", "seL4_IllegalOperation",
      "seL4_RangeError", "seL4_AlignmentError",  "seL4_FailedLookup",      "seL4_TruncatedMessage"};
  const unsigned i = static_cast<unsigned>(e);
  return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "another seL4 error";
}

// One SMC through a cap: x0 = function ID, x1 = its argument. On success *x0_out = the answer.
seL4_Error smc(seL4_CPtr cap, seL4_Word fid, seL4_Word arg, seL4_Word* x0_out) {
  seL4_ARM_SMCContext args = {}, out = {};
  args.x0 = fid;
  args.x1 = arg;
  const seL4_Error e = keel::Smc{cap}.call(args, out);
  *x0_out = out.x0;
  return e;
}

void print_start(const seL4_BootInfo* bi) {
  seL4_Word ram = 0;
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    if (!bi->untypedList[i].isDevice) ram += seL4_Word{1} << bi->untypedList[i].sizeBits;
  }
  printf("\nkeel demo: the root task is running at EL0 on QEMU virt.\n");
  printf("  It starts with %lu CNode slots (%lu in use) and %lu untyped caps (%lu MiB of RAM to hand out).\n",
         seL4_Word{1} << bi->initThreadCNodeSizeBits, bi->empty.start, bi->untyped.end - bi->untyped.start,
         ram >> 20);
}

bool step1_master() {
  printf("\n1. The master SMC capability\n");
  printf("  A Secure Monitor Call (smc #0) asks the firmware for a service, e.g. PSCI power control.\n");
  printf("  In keel a program can only make one by invoking an SMC capability (the seL4 ABI).\n");
  const seL4_Uint32 tag = keel::kMasterSmc.identify();
  if (tag != seL4_CapTag_SMC) {
    printf("  Slot %u holds cap type %u, not an SMC cap: this kernel was built without SMC calls.\n",
           unsigned{seL4_CapSMC}, tag);
    return false;
  }
  printf("  Slot %u (seL4_CapSMC) holds cap type %u, the SMC cap, with badge 0: any function ID.\n",
         unsigned{seL4_CapSMC}, tag);
  return true;
}

bool mint(seL4_CPtr slot, seL4_Word fid, const char* name) {
  const seL4_Error e = kRoot.mint(slot, kRoot, seL4_CapSMC, seL4_AllRights, fid);
  const bool ok = e == seL4_NoError;
  printf("  slot %lu: badge 0x%lx  %s%s%s\n", slot, fid, name, ok ? "" : " -> ", ok ? "" : error_name(e));
  return ok;
}

bool step2_mint(const Slots& s) {
  printf("\n2. Handing out narrow authority: one cap per PSCI function, minted from the master\n");
  printf("  The badge is the one function ID the cap allows (x0 must equal it), and it can never change.\n");
  printf("  Each new cap is a revocable original: revoking it later deletes every copy made from it.\n");
  return mint(s.version, kPsciVersion, "PSCI_VERSION") && mint(s.features, kPsciFeatures, "PSCI_FEATURES") &&
         mint(s.off, kSystemOff, "SYSTEM_OFF");
}

void print_feature(seL4_CPtr cap, seL4_Word fid, const char* name) {
  seL4_Word x0 = 0;
  const seL4_Error e = smc(cap, kPsciFeatures, fid, &x0);
  if (e != seL4_NoError) {
    printf("  PSCI_FEATURES(%s) failed: %s\n", name, error_name(e));
  } else if (x0 == 0) {
    printf("  PSCI_FEATURES(%s) -> 0: the firmware implements it\n", name);
  } else {
    printf("  PSCI_FEATURES(%s) -> %ld: NOT_SUPPORTED by this firmware\n", name, static_cast<long>(x0));
  }
}

void step3_calls(const Slots& s) {
  printf("\n3. Calls the caps allow (the firmware here is QEMU's built-in PSCI; on a board, TF-A)\n");
  seL4_Word x0 = 0;
  const seL4_Error e = smc(s.version, kPsciVersion, 0, &x0);
  if (e == seL4_NoError) {
    printf("  PSCI_VERSION -> 0x%lx: the firmware speaks PSCI %lu.%lu\n", x0, x0 >> 16, x0 & 0xffff);
  } else {
    printf("  PSCI_VERSION failed: %s\n", error_name(e));
  }
  print_feature(s.features, kSystemOff, "SYSTEM_OFF");
  print_feature(s.features, kSystemSuspend, "SYSTEM_SUSPEND");
}

void step4_denied(const Slots& s) {
  printf("\n4. A call the cap does not allow\n");
  seL4_Word x0 = 0;
  const seL4_Error e = smc(s.version, kPsciFeatures, kSystemOff, &x0);
  printf("  The PSCI_VERSION cap asked for PSCI_FEATURES -> %s (%d).\n", error_name(e), static_cast<int>(e));
  printf("  The kernel compared the badge with x0 and refused; the firmware never saw the call.\n");
}

void step5_revoke(const Slots& s) {
  printf("\n5. Revocation takes authority back\n");
  seL4_Word x0 = 0;
  (void)kRoot.copy(s.copy, kRoot, s.version, seL4_AllRights);
  const seL4_Error before = smc(s.copy, kPsciVersion, 0, &x0);
  printf("  Copied the PSCI_VERSION cap to slot %lu, as if handing it to another program.\n", s.copy);
  printf("  The copy works: PSCI_VERSION -> %s, x0 = 0x%lx.\n", error_name(before), x0);
  const seL4_Error r = kRoot.revoke(s.version);
  printf("  Revoke slot %lu (the minted original) -> %s: every copy made from it is deleted.\n", s.version,
         error_name(r));
  printf("  Slot %lu now holds cap type %u (null); calling it -> %s.\n", s.copy,
         seL4_DebugCapIdentify(s.copy), error_name(smc(s.copy, kPsciVersion, 0, &x0)));
  printf("  Slot %lu (SYSTEM_OFF, minted separately) is untouched: cap type %u.\n", s.off,
         seL4_DebugCapIdentify(s.off));
}

void step6_power_off(const Slots& s) {
  printf("\n6. Powering the machine off through the SMC cap\n");
  printf("  Calling the SYSTEM_OFF cap (slot %lu) with x0 = 0x%lx; QEMU stops with exit status 0.\n", s.off,
         kSystemOff);
  seL4_Word x0 = 0;
  const seL4_Error e = smc(s.off, kSystemOff, 0, &x0);
  printf("  SYSTEM_OFF came back (%s, x0 = 0x%lx); halting with seL4_DebugHalt instead.\n", error_name(e),
         x0);
}

}  // namespace

int main(seL4_BootInfo* bi) {
  print_start(bi);
  const seL4_CPtr first = bi->empty.start;
  const Slots s{first, first + 1, first + 2, first + 3};
  if (!step1_master() || !step2_mint(s)) {
    printf("keel demo: cannot continue without SMC caps, halting\n");
    return 0;  // the runtime halts with seL4_DebugHalt
  }
  step3_calls(s);
  step4_denied(s);
  step5_revoke(s);
  step6_power_off(s);
  return 0;
}
