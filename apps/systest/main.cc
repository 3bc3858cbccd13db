// keel system test suite: the root task runs every case, prints the summary and powers off.
#include "framework.h"

int main(seL4_BootInfo* bi) {
  printf("keel systest: root task at EL0, bootinfo %p\n", static_cast<void*>(bi));
  const systest::Env env{bi};
  const systest::Suite suites[] = {systest::boot_suite(), systest::cnode_suite(), systest::smc_suite()};
  systest::run_suites(env, suites, sizeof(suites) / sizeof(suites[0]));
  return 0;  // the runtime halts (PSCI SYSTEM_OFF on QEMU) after main
}
