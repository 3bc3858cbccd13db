// System-register accessors and barriers for the AArch64 target: the only inline assembly helpers.
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

// One read/write pair per register; an unused writer of a read-only register is never emitted.
#define KEEL_DEFINE_SYSREG(reg)                        \
  inline word_t read_##reg() {                         \
    word_t v;                                          \
    asm volatile("mrs %0, " #reg : "=r"(v)::"memory"); \
    return v;                                          \
  }                                                    \
  inline void write_##reg(word_t v) { asm volatile("msr " #reg ", %0" ::"r"(v) : "memory"); }

KEEL_DEFINE_SYSREG(sctlr_el1)
KEEL_DEFINE_SYSREG(tcr_el1)
KEEL_DEFINE_SYSREG(mair_el1)
KEEL_DEFINE_SYSREG(ttbr0_el1)
KEEL_DEFINE_SYSREG(ttbr1_el1)
KEEL_DEFINE_SYSREG(vbar_el1)
KEEL_DEFINE_SYSREG(cpacr_el1)
KEEL_DEFINE_SYSREG(cntvct_el0)
KEEL_DEFINE_SYSREG(cntfrq_el0)
KEEL_DEFINE_SYSREG(cntv_tval_el0)
KEEL_DEFINE_SYSREG(cntv_ctl_el0)
KEEL_DEFINE_SYSREG(isr_el1)
KEEL_DEFINE_SYSREG(id_aa64mmfr0_el1)
KEEL_DEFINE_SYSREG(ctr_el0)
KEEL_DEFINE_SYSREG(currentel)
KEEL_DEFINE_SYSREG(pmuserenr_el0)
KEEL_DEFINE_SYSREG(pmcr_el0)
KEEL_DEFINE_SYSREG(pmcntenset_el0)
#undef KEEL_DEFINE_SYSREG

inline void isb() { asm volatile("isb" ::: "memory"); }
inline void dsb_sy() { asm volatile("dsb sy" ::: "memory"); }
inline void dsb_ish() { asm volatile("dsb ish" ::: "memory"); }
inline void dsb_ishst() { asm volatile("dsb ishst" ::: "memory"); }
inline void wfi() { asm volatile("wfi" ::: "memory"); }

// MAIR_EL1 as seL4 sets it; user page tables use index 4 (Normal WB) and 0 (Device-nGnRnE).
inline constexpr word_t kMair = 0xaaff440c0400;
inline constexpr unsigned kAttrDevice = 0;
inline constexpr unsigned kAttrNormal = 4;

}  // namespace keel::arch
