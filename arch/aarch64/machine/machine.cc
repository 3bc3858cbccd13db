// The machine seam's ISA-level half on AArch64: PSCI power-off, MMU/TLB/cache maintenance, SMC,
// fault registers, timer and the pending-IRQ flag. The board's drivers (platform/) implement the
// console and interrupt-controller functions.
#include "kernel/machine/machine.h"

#include "arch/aarch64/machine/hw.h"
#include "arch/aarch64/machine/sysreg.h"
#include "kernel/config/config.h"

extern "C" void keel_fpu_save(keel::FpuState* state);
extern "C" void keel_fpu_load(const keel::FpuState* state);
extern "C" void keel_arch_smc(const keel::machine::SmcRegs* in, keel::machine::SmcRegs* out);
extern "C" void keel_arch_hvc(const keel::machine::SmcRegs* in, keel::machine::SmcRegs* out);

namespace keel::arch {
namespace {

PsciConduit g_conduit = PsciConduit::Smc;
bool g_powering_off = false;

constexpr word_t kPsciSystemOff = 0x84000008;

word_t dcache_line() { return word_t{4} << ((read_ctr_el0() >> 16) & 0xf); }
word_t icache_line() { return word_t{4} << (read_ctr_el0() & 0xf); }

}  // namespace

void set_psci_conduit(PsciConduit c) { g_conduit = c; }

}  // namespace keel::arch

namespace keel::machine {

using namespace keel::arch;

// PSCI SYSTEM_OFF through the DTB's conduit; QEMU ends with status 0. If the monitor returns
// (or faults us back here), there is nothing left to do but wait.
void system_off() {
  if (!g_powering_off) {
    g_powering_off = true;
    SmcRegs in{};
    SmcRegs out{};
    in.x[0] = kPsciSystemOff;
    if (g_conduit == PsciConduit::Hvc) {
      keel_arch_hvc(&in, &out);
    } else {
      keel_arch_smc(&in, &out);
    }
  }
  for (;;) wfi();
}

void set_vspace_root(paddr_t root, word_t asid) {
  write_ttbr0_el1(root | (asid << 48));
  isb();
}

void invalidate_tlb() {
  dsb_ishst();
  asm volatile("tlbi vmalle1is" ::: "memory");
  dsb_ish();
  isb();
}

void invalidate_tlb_by_asid(word_t asid) {
  dsb_ishst();
  asm volatile("tlbi aside1is, %0" ::"r"(asid << 48) : "memory");
  dsb_ish();
  isb();
}

void invalidate_tlb_by_va(word_t asid, vaddr_t va) {
  dsb_ishst();
  asm volatile("tlbi vae1is, %0" ::"r"((asid << 48) | ((va >> 12) & mask_bits(44))) : "memory");
  dsb_ish();
  isb();
}

void clean_invalidate_dcache_range(word_t kvaddr, word_t size) {
  word_t line = dcache_line();
  for (word_t a = kvaddr & ~(line - 1); a < kvaddr + size; a += line) {
    asm volatile("dc civac, %0" ::"r"(a) : "memory");
  }
  dsb_ish();
}

void sync_icache_range(word_t kvaddr, word_t size) {
  word_t dline = dcache_line();
  for (word_t a = kvaddr & ~(dline - 1); a < kvaddr + size; a += dline) {
    asm volatile("dc cvau, %0" ::"r"(a) : "memory");
  }
  dsb_ish();
  word_t iline = icache_line();
  for (word_t a = kvaddr & ~(iline - 1); a < kvaddr + size; a += iline) {
    asm volatile("ic ivau, %0" ::"r"(a) : "memory");
  }
  dsb_ish();
  isb();
}

void barrier() {
  dsb_sy();
  isb();
}

SmcRegs do_smc(const SmcRegs& in) {
  SmcRegs out{};
  keel_arch_smc(&in, &out);
  return out;
}

// CPACR_EL1.FPEN: 0b11 lets EL0 and EL1 use FP/SIMD, 0b01 traps EL0 only (the kernel still
// saves and loads through it). Every switch asks for one or the other, so an unchanged setting
// costs neither the write nor its ISB.
void set_fpen(word_t fpen) {
  const word_t cpacr = read_cpacr_el1();
  const word_t want = (cpacr & ~(word_t{3} << 20)) | (fpen << 20);
  if (cpacr == want) return;
  write_cpacr_el1(want);
  isb();
}
void enable_fpu() { set_fpen(3); }
void disable_fpu() { set_fpen(1); }
void save_fpu(FpuState& state) { keel_fpu_save(&state); }
void load_fpu(const FpuState& state) { keel_fpu_load(&state); }

word_t read_time() {
  isb();
  return read_cntvct_el0();
}

// The EL1 virtual timer's PPI (SBSA fixes it at 27; QEMU virt's DTB agrees), seL4's
// KERNEL_TIMER_IRQ without hypervisor support.
word_t kernel_timer_irq() { return 27; }

// The counter's frequency is read, not assumed (62.5 MHz on QEMU virt, other on boards).
void reset_timer() {
  write_cntv_tval_el0(read_cntfrq_el0() / 1000 * config::kTimerTickMs);
  write_cntv_ctl_el0(1);  // enabled, interrupt not masked
  isb();
}

// ISR_EL1.I reports a pending IRQ whether or not PSTATE masks it.
bool interrupt_pending() { return (read_isr_el1() & (word_t{1} << 7)) != 0; }

}  // namespace keel::machine
