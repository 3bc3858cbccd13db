// The test runner: output format is the contract with the QEMU runner (tools/), keep it exact.
#include "framework.h"

#include <stdarg.h>

#include <keel/sel4.hpp>

namespace systest {

bool Test::expect(bool ok, const char* fmt, ...) {
  if (!ok && !failed_) {
    failed_ = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why_, sizeof(why_), fmt, ap);
    va_end(ap);
  }
  return ok;
}

bool Test::expect_eq(const char* what, seL4_Word actual, seL4_Word expected) {
  return expect(actual == expected, "%s = %lu (0x%lx), expected %lu (0x%lx)", what, actual, actual, expected,
                expected);
}

unsigned run_suites(const Env& env, const Suite* suites, unsigned num_suites) {
  unsigned passed = 0;
  unsigned failed = 0;
  for (unsigned s = 0; s < num_suites; ++s) {
    for (unsigned i = 0; i < suites[s].count; ++i) {
      const TestCase& tc = suites[s].cases[i];
      Test t(env);
      tc.run(t);
      if (t.failed()) {
        printf("FAIL %s: %s\n", tc.name, t.why());
        ++failed;
      } else {
        printf("PASS %s\n", tc.name);
        ++passed;
      }
    }
  }
  printf("%u passed, %u failed\n", passed, failed);
  return failed;
}

void power_off_through_smc_cap(const Env& env) {
  constexpr seL4_Word kSystemOff = 0x84000008;  // PSCI SYSTEM_OFF, SMC32 fast call
  // Without an SMC conduit (plain virt) an SMC is undefined at EL1: do not try.
  if constexpr (SYSTEST_ALLOW_SMC_CALLS == 0 || SYSTEST_SMC_EXEC == 0) return;
  // A release kernel has no DebugCapIdentify: there a failed Mint says the cap is missing.
  if (keel_debug_kernel() != 0 && keel::kMasterSmc.identify() != seL4_CapTag_SMC) return;
  // The last free slot: every case has cleaned up its own scratch slots by now.
  const seL4_CPtr slot = env.bi->empty.end - 1;
  const keel::CNode root = keel::kRootCNode;
  if (root.mint(slot, root, seL4_CapSMC, seL4_AllRights, kSystemOff) != seL4_NoError) {
    printf("systest: could not mint a SYSTEM_OFF cap\n");
    return;
  }
  printf("systest: powering off through an SMC cap badged 0x%lx (PSCI SYSTEM_OFF)\n", kSystemOff);
  seL4_ARM_SMCContext args = {}, out = {};
  args.x0 = kSystemOff;
  const seL4_Error e = keel::Smc{slot}.call(args, out);
  printf("systest: SYSTEM_OFF returned (error %d, x0 0x%lx)\n", static_cast<int>(e), out.x0);
}

}  // namespace systest
