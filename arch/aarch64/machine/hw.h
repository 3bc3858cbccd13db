// Target-only hooks of the AArch64 machine layer: what start-up code tells it about the board,
// and the panic used before and outside the generic core.
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

enum class PsciConduit { Smc, Hvc };

// How to reach the PSCI firmware (start-up code takes this from the DTB).
void set_psci_conduit(PsciConduit c);

// ESR/FAR of the exception being handled, recorded by the entry code.

// Prints "KERNEL PANIC: " and the formatted line (kprintf's formats), then powers off.
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// CPU set-up once the kernel runs on its own page tables: FP/SIMD for EL0, PMU in benchmarks.
void cpu_init();

}  // namespace keel::arch
