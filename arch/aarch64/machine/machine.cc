// The machine seam on real AArch64 hardware: console, PSCI power-off, MMU/TLB/cache maintenance,
// SMC, fault registers, timer and a minimal GICv2 driver.
#include "kernel/machine/machine.h"

#include "arch/aarch64/machine/hw.h"
#include "arch/aarch64/machine/sysreg.h"
#include "kernel/config/config.h"

extern "C" void keel_arch_smc(const keel::machine::SmcRegs* in, keel::machine::SmcRegs* out);
extern "C" void keel_arch_hvc(const keel::machine::SmcRegs* in, keel::machine::SmcRegs* out);

namespace keel::arch {
namespace {

word_t g_uart = 0;
word_t g_gicd = 0;
word_t g_gicc = 0;
PsciConduit g_conduit = PsciConduit::Smc;
word_t g_esr = 0;
word_t g_far = 0;
bool g_powering_off = false;

// PL011 registers (word offsets) and flag bits.
constexpr unsigned kUartDr = 0x00 / 4;
constexpr unsigned kUartFr = 0x18 / 4;
constexpr uint32_t kUartFrTxFull = 1u << 5;

// GICv2 register offsets in bytes.
constexpr word_t kGicdCtlr = 0x000, kGicdTyper = 0x004, kGicdIsEnabler = 0x100, kGicdIcEnabler = 0x180;
constexpr word_t kGiccCtlr = 0x000, kGiccPmr = 0x004, kGiccIar = 0x00c, kGiccEoir = 0x010;

volatile uint32_t* reg32(word_t base, word_t offset) {
  return reinterpret_cast<volatile uint32_t*>(base + offset);
}

constexpr word_t kPsciSystemOff = 0x84000008;

word_t dcache_line() { return word_t{4} << ((read_ctr_el0() >> 16) & 0xf); }
word_t icache_line() { return word_t{4} << (read_ctr_el0() & 0xf); }

}  // namespace

void set_console_base(word_t kvaddr) { g_uart = kvaddr; }
void set_gic_bases(word_t dist, word_t cpu) {
  g_gicd = dist;
  g_gicc = cpu;
}
void set_psci_conduit(PsciConduit c) { g_conduit = c; }
void set_fault_info(word_t esr, word_t far) {
  g_esr = esr;
  g_far = far;
}

// Distributor and CPU interface on, every shared interrupt disabled until an IRQ cap asks.
void gic_init() {
  if (g_gicd == 0 || g_gicc == 0) return;
  unsigned lines = ((*reg32(g_gicd, kGicdTyper) & 0x1f) + 1) * 32;
  for (unsigned i = 32; i < lines; i += 32) *reg32(g_gicd, kGicdIcEnabler + i / 8) = 0xffffffff;
  *reg32(g_gicd, kGicdCtlr) = 1;
  *reg32(g_gicc, kGiccPmr) = 0xf0;
  *reg32(g_gicc, kGiccCtlr) = 1;
}

word_t gic_acknowledge() {
  if (g_gicc == 0) return 1023;
  return *reg32(g_gicc, kGiccIar) & 0x3ff;
}

}  // namespace keel::arch

namespace keel::machine {

using namespace keel::arch;

void debug_putchar(char c) {
  if (g_uart == 0) return;
  while (reg32(g_uart, 0)[kUartFr] & kUartFrTxFull) {
  }
  reg32(g_uart, 0)[kUartDr] = static_cast<uint8_t>(c);
}

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

word_t fault_status() { return g_esr; }
word_t fault_address() { return g_far; }

word_t read_time() {
  isb();
  return read_cntvct_el0();
}

void mask_interrupt(word_t irq, bool mask) {
  if (g_gicd == 0) return;
  word_t offset = (mask ? kGicdIcEnabler : kGicdIsEnabler) + (irq / 32) * 4;
  *reg32(g_gicd, offset) = uint32_t{1} << (irq % 32);
}

void ack_interrupt(word_t irq) {
  if (g_gicc == 0) return;
  *reg32(g_gicc, kGiccEoir) = static_cast<uint32_t>(irq);
}

// ISR_EL1.I reports a pending IRQ whether or not PSTATE masks it.
bool interrupt_pending() { return (read_isr_el1() & (word_t{1} << 7)) != 0; }

word_t get_active_irq() {
  constexpr word_t kSpurious = 1023;
  const word_t irq = gic_acknowledge();
  return irq >= kSpurious ? kIrqNone : irq;
}

}  // namespace keel::machine
