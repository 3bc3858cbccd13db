// A minimal test framework for root tasks: one PASS/FAIL line per case and a final "N passed, M failed".
#pragma once

#include <keel/runtime.h>
#include <sel4/sel4.h>

// Build switches (apps/systest/CMakeLists.txt sets them; these are the defaults).
#ifndef SYSTEST_ALLOW_SMC_CALLS
#define SYSTEST_ALLOW_SMC_CALLS 1  // the kernel gives the root task the master SMC cap
#endif
#ifndef SYSTEST_CNODE_TESTS
#define SYSTEST_CNODE_TESTS 1
#endif
#ifndef SYSTEST_ROOT_CNODE_SIZE_BITS
#define SYSTEST_ROOT_CNODE_SIZE_BITS 12
#endif
#ifndef SYSTEST_SMC_EXEC
#define SYSTEST_SMC_EXEC 0  // something answers real SMCs (QEMU virt with virtualization=on)
#endif

namespace systest {

// What every test case may look at.
struct Env {
  seL4_BootInfo* bi;
};

// The state of one running case: the first failed expectation is kept as the reason.
class Test {
 public:
  explicit Test(const Env& env) : env_(env) {}
  const Env& env() const { return env_; }
  seL4_BootInfo* bi() const { return env_.bi; }

  // Records a failure (the first one wins) when ok is false; returns ok.
  __attribute__((format(__printf__, 3, 4))) bool expect(bool ok, const char* fmt, ...);
  bool expect_eq(const char* what, seL4_Word actual, seL4_Word expected);

  bool failed() const { return failed_; }
  const char* why() const { return why_; }

 private:
  const Env& env_;
  bool failed_ = false;
  char why_[200] = {};
};

struct TestCase {
  const char* name;
  void (*run)(Test& t);
};

struct Suite {
  const TestCase* cases;
  unsigned count;
};

// Runs every case of every suite, prints one line per case and the summary; returns failures.
unsigned run_suites(const Env& env, const Suite* suites, unsigned num_suites);

// Ends the run through the SMC cap the way a component holding only SYSTEM_OFF authority would:
// mints a cap badged PSCI SYSTEM_OFF from the master and calls it (QEMU then exits with 0).
// Returns only when that cannot work (no master SMC cap, no SMC conduit) or the call came back;
// the caller then falls back to seL4_DebugHalt.
void power_off_through_smc_cap(const Env& env);

// The suites, one per source file.
Suite boot_suite();
Suite cnode_suite();
Suite cspace_suite();
Suite smc_suite();
Suite smc_sel4test_suite();
Suite psci_suite();
Suite vspace_suite();
Suite thread_suite();
Suite thread_state_suite();
Suite irqdev_suite();
Suite ipc_suite();
Suite ipc_cap_suite();
Suite ipc_ntfn_suite();
Suite ipc_fault_suite();
Suite process_suite();
Suite sgi_suite();
Suite smc_bypass_suite();
Suite debug_syscall_suite();

}  // namespace systest
