// GICv2 driver; it implements the machine seam's interrupt-controller functions.
#include "platform/qemu-virt/gicv2.h"

#include "kernel/machine/machine.h"
#include "platform/qemu-virt/mmio.h"

namespace keel::platform::gicv2 {
namespace {

// Register offsets in bytes.
constexpr word_t kGicdCtlr = 0x000, kGicdTyper = 0x004, kGicdIsEnabler = 0x100, kGicdIcEnabler = 0x180;
constexpr word_t kGicdIcfgr = 0xc00;  // 2 bits per IRQ; the upper one set means edge-triggered
constexpr word_t kGicdSgir = 0xf00;   // target list 23:16, filter 25:24 (0: use the list), id 3:0
constexpr unsigned kSgirTargetListShift = 16;
constexpr word_t kGiccCtlr = 0x000, kGiccPmr = 0x004, kGiccIar = 0x00c, kGiccEoir = 0x010;
constexpr word_t kSpurious = 1023;  // what GICC_IAR reads when nothing is pending

word_t g_gicd = 0;
word_t g_gicc = 0;

}  // namespace

void set_bases(word_t dist_kvaddr, word_t cpu_kvaddr) {
  g_gicd = dist_kvaddr;
  g_gicc = cpu_kvaddr;
}

void init() {
  if (g_gicd == 0 || g_gicc == 0) return;
  unsigned lines = ((*reg32(g_gicd, kGicdTyper) & 0x1f) + 1) * 32;
  for (unsigned i = 32; i < lines; i += 32) *reg32(g_gicd, kGicdIcEnabler + i / 8) = 0xffffffff;
  *reg32(g_gicd, kGicdCtlr) = 1;
  *reg32(g_gicc, kGiccPmr) = 0xf0;
  *reg32(g_gicc, kGiccCtlr) = 1;
}

}  // namespace keel::platform::gicv2

namespace keel::machine {

using namespace platform::gicv2;
using platform::reg32;

void mask_interrupt(word_t irq, bool mask) {
  if (g_gicd == 0) return;
  word_t offset = (mask ? kGicdIcEnabler : kGicdIsEnabler) + (irq / 32) * 4;
  *reg32(g_gicd, offset) = uint32_t{1} << (irq % 32);
}

// As seL4's setIRQTrigger: a read-modify-write of the IRQ's upper config bit only.
void set_irq_trigger(word_t irq, bool edge) {
  if (g_gicd == 0) return;
  volatile uint32_t* cfg = reg32(g_gicd, kGicdIcfgr + (irq / 16) * 4);
  const uint32_t bit = uint32_t{1} << ((irq % 16) * 2 + 1);
  *cfg = edge ? (*cfg | bit) : (*cfg & ~bit);
}

// As seL4's plat_sendSGI: the target's bit in the CPU target list, the id in the low bits.
void send_sgi(word_t target, word_t id) {
  if (g_gicd == 0) return;
  *reg32(g_gicd, kGicdSgir) = (uint32_t{1} << target) << kSgirTargetListShift | static_cast<uint32_t>(id);
}

void ack_interrupt(word_t irq) {
  if (g_gicc == 0) return;
  *reg32(g_gicc, kGiccEoir) = static_cast<uint32_t>(irq);
}

// Reading GICC_IAR acknowledges the interrupt; the core EOIs it later through ack_interrupt.
word_t get_active_irq() {
  if (g_gicc == 0) return kIrqNone;
  const word_t irq = *reg32(g_gicc, kGiccIar) & 0x3ff;
  return irq >= kSpurious ? kIrqNone : irq;
}

}  // namespace keel::machine
