// C++ side of kernel entry: classify the exception, call the generic entry point, resume.
#include "arch/aarch64/entry/entry.h"
#include "arch/aarch64/machine/hw.h"
#include "arch/aarch64/machine/kernel_map.h"
#include "arch/aarch64/machine/sysreg.h"
#include "arch/aarch64/object/asid.h"
#include "kernel/core/entry.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/print.h"
#include "kernel/machine/machine.h"

extern "C" {
extern char keel_vectors[];
[[noreturn]] void keel_arch_restore_context(keel::UserContext* ctx);
[[noreturn]] void keel_arch_idle();
[[noreturn]] void keel_arch_handle_el0_sync(keel::word_t esr, keel::word_t far);
[[noreturn]] void keel_arch_handle_el0_irq();
[[noreturn]] void keel_arch_handle_idle_irq();
[[noreturn]] void keel_arch_handle_el1_exception(keel::word_t kind, keel::word_t esr, keel::word_t elr,
                                                 keel::word_t far, keel::word_t spsr, keel::word_t sp);
}

namespace keel::arch {
namespace {

// ESR_ELx exception classes (bits 31:26) that the core distinguishes.
constexpr word_t kEcSvc64 = 0x15;
constexpr word_t kEcInstrAbortLower = 0x20;
constexpr word_t kEcDataAbortLower = 0x24;

const char* const kKindNames[] = {
    "synchronous exception", "IRQ",     "FIQ",          "SError",
    "exception on SP_EL0",   "AArch32", "FIQ from EL0", "SError from EL0",
};

// seL4 Arch_switchToThread: TTBR0 = the thread's VSpace if it has an ASID, else a table that
// maps nothing (its next access faults).
void activate_vspace(Tcb* t) {
  const Cap vtable = t->slot(kTcbVTable)->cap;
  paddr_t root = 0;
  word_t asid = 0;
  // seL4 setVMRoot: the cap's ASID must still name this root (deleteASID may have freed it).
  if (vtable.type() == CapType::VSpace && VSpaceCap{vtable}.is_mapped() &&
      find_vspace_for_asid(VSpaceCap{vtable}.mapped_asid()) == VSpaceCap{vtable}.ptr()) {
    root = VSpaceCap{vtable}.ptr();
    asid = VSpaceCap{vtable}.mapped_asid();
  } else {
    root = empty_user_root();
  }
  if (read_ttbr0_el1() != (root | (asid << 48))) machine::set_vspace_root(root, asid);
}

}  // namespace

void install_vectors() {
  write_vbar_el1(reinterpret_cast<word_t>(keel_vectors));
  isb();
}

void enter_user() {
  if (ks.halted) {
    kprintf("keel: halted\n");
    machine::system_off();
  }
  Tcb* t = ks.cur_thread;
  if (t == nullptr || t == ks.idle_thread) keel_arch_idle();
  activate_vspace(t);
  keel_arch_restore_context(&t->context);
}

}  // namespace keel::arch

using namespace keel;

// seL4 reports the svc itself as the fault (restart) address; ELR already points past it.
void keel_arch_handle_el0_sync(word_t esr, word_t far) {
  UserContext& ctx = ks.cur_thread->context;
  switch (esr >> 26) {
    case arch::kEcSvc64:
      ctx.regs[FaultIP] = ctx.regs[NextIP] - 4;
      handle_syscall(static_cast<sword_t>(ctx.regs[kSyscallRegister]));
      break;
    case arch::kEcDataAbortLower: handle_vm_fault(esr, far, false); break;
    case arch::kEcInstrAbortLower: handle_vm_fault(esr, far, true); break;
    default: handle_user_exception(esr, far); break;
  }
  arch::enter_user();
}

void keel_arch_handle_el0_irq() {
  handle_interrupt();
  arch::enter_user();
}

void keel_arch_handle_idle_irq() {
  handle_interrupt();
  arch::enter_user();
}

void keel_arch_handle_el1_exception(word_t kind, word_t esr, word_t elr, word_t far, word_t spsr, word_t sp) {
  // A fault while reporting a fault (e.g. the console is unreachable) must not loop: stop.
  static bool reporting = false;
  if (reporting) machine::system_off();
  reporting = true;
  const char* name =
      kind < sizeof(arch::kKindNames) / sizeof(arch::kKindNames[0]) ? arch::kKindNames[kind] : "exception";
  arch::panic("%s in the kernel\n  ESR 0x%lx (EC 0x%lx)  ELR 0x%lx  FAR 0x%lx\n  SPSR 0x%lx  SP 0x%lx", name,
              esr, esr >> 26, elr, far, spsr, sp);
}
