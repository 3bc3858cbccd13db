// keel system test suite: the root task runs every case, prints the summary and powers off.
#include "framework.h"

int main(seL4_BootInfo* bi) {
  printf("keel systest: root task at EL0, bootinfo %p\n", static_cast<void*>(bi));
  const systest::Env env{bi};
  const systest::Suite suites[] = {
      systest::boot_suite(),     systest::cnode_suite(),         systest::cspace_suite(),
      systest::smc_suite(),      systest::smc_sel4test_suite(),  systest::vspace_suite(),
      systest::thread_suite(),   systest::thread_state_suite(),  systest::psci_suite(),
      systest::irqdev_suite(),   systest::ipc_suite(),           systest::ipc_cap_suite(),
      systest::ipc_ntfn_suite(), systest::ipc_fault_suite(),     systest::process_suite(),
      systest::sgi_suite(),      systest::debug_syscall_suite(), systest::smc_bypass_suite(),
  };
  // A release kernel (keel_debug_kernel() == 0) has no debug syscalls: only the suites that
  // check their results without seL4_DebugCapIdentify run there.
  const systest::Suite release_suites[] = {
      systest::vspace_suite(),        systest::thread_suite(),   systest::thread_state_suite(),
      systest::psci_suite(),          systest::ipc_ntfn_suite(), systest::process_suite(),
      systest::debug_syscall_suite(),
  };
  if (keel_debug_kernel() != 0) {
    systest::run_suites(env, suites, sizeof(suites) / sizeof(suites[0]));
  } else {
    systest::run_suites(env, release_suites, sizeof(release_suites) / sizeof(release_suites[0]));
  }
  systest::power_off_through_smc_cap(env);
  return 0;  // fallback: the runtime halts with seL4_DebugHalt after main
}
