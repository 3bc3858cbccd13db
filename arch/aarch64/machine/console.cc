// Start-up console and panic: plain text and numbers over the machine seam's debug_putchar.
#include "arch/aarch64/machine/hw.h"
#include "kernel/machine/machine.h"

namespace keel::arch {

void put_str(const char* s) {
  for (; *s != '\0'; ++s) machine::debug_putchar(*s);
}

void put_hex(word_t v) {
  put_str("0x");
  bool started = false;
  for (int shift = 60; shift >= 0; shift -= 4) {
    unsigned nibble = (v >> shift) & 0xf;
    if (nibble == 0 && !started && shift != 0) continue;
    started = true;
    machine::debug_putchar(static_cast<char>(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
  }
}

void put_dec(word_t v) {
  char buf[24];
  unsigned n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) machine::debug_putchar(buf[--n]);
}

// The runner recognises a line starting with "KERNEL PANIC" and fails the run at once.
void panic(const char* what) {
  put_str("\nKERNEL PANIC: ");
  put_str(what);
  put_str("\n");
  machine::system_off();
}

void panic_value(const char* what, word_t value) {
  put_str("\nKERNEL PANIC: ");
  put_str(what);
  put_str(" ");
  put_hex(value);
  put_str("\n");
  machine::system_off();
}

}  // namespace keel::arch
