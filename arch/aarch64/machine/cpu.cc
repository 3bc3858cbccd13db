// Per-CPU set-up after the kernel owns the MMU: FP/SIMD for EL0 and EL1, PMU access in benchmarks.
#include "arch/aarch64/machine/hw.h"
#include "arch/aarch64/machine/sysreg.h"
#include "kernel/config/config.h"
#include "kernel/machine/machine.h"

namespace keel::arch {

void cpu_init() {
  // FP/SIMD stays trapped for EL0 until the first thread is switched to (kernel/core/fpu.h).
  machine::disable_fpu();
  if constexpr (config::kBenchmark) {
    write_pmcr_el0(read_pmcr_el0() | 1 | 4);  // E: enable, C: reset the cycle counter
    write_pmcntenset_el0(word_t{1} << 31);    // the cycle counter
    write_pmuserenr_el0(1);                   // EN: EL0 may read it
    isb();
  }
}

}  // namespace keel::arch
