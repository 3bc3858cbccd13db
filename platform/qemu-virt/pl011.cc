// PL011 UART driver; it implements the machine seam's debug console.
#include "platform/qemu-virt/pl011.h"

#include "kernel/machine/machine.h"
#include "platform/qemu-virt/mmio.h"

namespace keel::platform::pl011 {
namespace {

// Register offsets in bytes and flag bits.
constexpr word_t kDr = 0x00, kFr = 0x18;
constexpr uint32_t kFrTxFull = 1u << 5;

word_t g_base = 0;

}  // namespace

void set_base(word_t kvaddr) { g_base = kvaddr; }

}  // namespace keel::platform::pl011

namespace keel::machine {

using namespace platform::pl011;
using platform::reg32;

void debug_putchar(char c) {
  if (g_base == 0) return;
  while (*reg32(g_base, kFr) & kFrTxFull) {
  }
  *reg32(g_base, kDr) = static_cast<uint8_t>(c);
}

}  // namespace keel::machine
