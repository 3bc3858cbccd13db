// Per-CPU set-up after the kernel owns the MMU: FP/SIMD for EL0 and EL1, PMU access in benchmarks.
#include "arch/aarch64/machine/hw.h"
#include "arch/aarch64/machine/sysreg.h"
#include "kernel/config/config.h"

namespace keel::arch {

void cpu_init() {
  // CPACR_EL1.FPEN = 0b11: no FP/SIMD traps (the entry code saves the registers eagerly).
  write_cpacr_el1(read_cpacr_el1() | (word_t{3} << 20));
  isb();
  if constexpr (config::kBenchmark) {
    write_pmcr_el0(read_pmcr_el0() | 1 | 4);  // E: enable, C: reset the cycle counter
    write_pmcntenset_el0(word_t{1} << 31);    // the cycle counter
    write_pmuserenr_el0(1);                   // EN: EL0 may read it
    isb();
  }
}

}  // namespace keel::arch
