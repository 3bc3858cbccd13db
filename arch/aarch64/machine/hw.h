// Target-only hooks of the AArch64 machine layer: what start-up code tells it about the board,
// and the panic used before and outside the generic core.
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

enum class PsciConduit { Smc, Hvc };

// Where the devices are, as kernel virtual addresses (start-up code fills these from the DTB).
void set_console_base(word_t kvaddr);
void set_gic_bases(word_t dist_kvaddr, word_t cpu_kvaddr);  // 0 = no GICv2 driver
void set_psci_conduit(PsciConduit c);
void gic_init();
// GICC_IAR: the pending interrupt's ID (1023 = spurious); the core's seam lacks this today.
word_t gic_acknowledge();

// ESR/FAR of the exception being handled, recorded by the entry code.
void set_fault_info(word_t esr, word_t far);

// Prints "KERNEL PANIC: " and the formatted line (kprintf's formats), then powers off.
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// CPU set-up once the kernel runs on its own page tables: FP/SIMD for EL0, PMU in benchmarks.
void cpu_init();

}  // namespace keel::arch
