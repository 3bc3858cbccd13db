// The only way the generic core touches hardware. Implemented twice: on the target by
// arch/aarch64/machine plus the board's drivers in platform/ (console, interrupt controller), and
// by host/ (a deterministic, observing model); the linker picks one, no virtual calls.
#pragma once

#include <keel/arch/user_context.h>

#include "kernel/config/config.h"
#include "kernel/lib/types.h"

namespace keel::machine {

// --- debug console ---
void debug_putchar(char c);

// --- power ---
// Stops the whole machine (PSCI SYSTEM_OFF on QEMU). The core never calls it: entry points
// return, and a halted kernel (ks.halted) is powered off by the arch exit path.
[[noreturn]] void system_off();

// --- checks (host builds only; never called where config::kCheckDecodeReadOnly is false) ---
// Kernel memory is read-only between the two: a write stops the run with a report.
void begin_read_only();
void end_read_only();

// --- object memory ---
// The core reports where RAM starts and stops holding a live kernel object or user frame: live
// when Untyped_Retype creates one (and for the boot's own objects), free when the last cap to it
// goes, when an untyped is reset, and at boot for all RAM handed out as untyped. The host model
// poisons free RAM for AddressSanitizer, so a kernel access outside every live object is
// reported; hardware keeps no such record, and there the calls cost nothing.
#if KEEL_HOST_CHECKS
void mark_memory_live(paddr_t base, word_t size);
void mark_memory_free(paddr_t base, word_t size);
#else
inline void mark_memory_live(paddr_t, word_t) {}
inline void mark_memory_free(paddr_t, word_t) {}
#endif

// --- address spaces, TLB, caches ---
void set_vspace_root(paddr_t root, word_t asid);
void invalidate_tlb();
void invalidate_tlb_by_asid(word_t asid);
void invalidate_tlb_by_va(word_t asid, vaddr_t va);
// Make [vbase, vbase + size) of a kernel-window mapping of paddr coherent for instruction fetch
// and for user mappings with other attributes.
void clean_invalidate_dcache_range(word_t kvaddr, word_t size);
void sync_icache_range(word_t kvaddr, word_t size);
void barrier();  // dsb + isb: page-table writes visible to the walker

// --- secure monitor ---
// SMCCC 1.2 carries x0..x17; seL4's SMC cap uses x0..x7 (the rest are treated as clobbered).
struct SmcRegs {
  word_t x[18];
};
inline constexpr unsigned kSmcArgsSeL4 = 8;
// Executes `smc #0` with x0..x17 = in.x and returns x0..x17 as the monitor left them.
SmcRegs do_smc(const SmcRegs& in);

// --- FPU ---
// Whether user code may use the FP/SIMD registers (off: its next FP instruction traps as a user
// exception). The kernel itself never touches them.
void enable_fpu();
void disable_fpu();
// Copy the FP/SIMD registers, FPSR and FPCR out of and into the hardware (the FPU is enabled).
void save_fpu(FpuState& state);
void load_fpu(const FpuState& state);

// --- kernel timer ---
word_t read_time();
// The interrupt the kernel tick arrives on (the board's timer PPI): reserved at boot, never
// handed to user level.
word_t kernel_timer_irq();
// Arms the next kernel tick, config::kTimerTickMs from now: at boot and after every tick.
void reset_timer();

// --- interrupts ---
void mask_interrupt(word_t irq, bool mask);
// Level (false) or edge (true) triggered, for IRQControl GetTrigger (GICv2: GICD_ICFGR).
void set_irq_trigger(word_t irq, bool edge);
void ack_interrupt(word_t irq);
// Raises software-generated interrupt `id` (0..15) at CPU interface `target` (0..7): GICv2
// GICD_SGIR with target-list bit `target`. On one core an SGI to interface 0 comes back here.
void send_sgi(word_t target, word_t id);
// Whether an interrupt is waiting at this CPU (even while masked): preemption points ask.
bool interrupt_pending();
// Takes the highest-priority pending interrupt from the controller; kIrqNone if there is none.
inline constexpr word_t kIrqNone = ~word_t{0};
word_t get_active_irq();

}  // namespace keel::machine
