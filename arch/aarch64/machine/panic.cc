// Kernel panic on the target: one formatted line on the console, then power off.
#include <stdarg.h>

#include "arch/aarch64/machine/hw.h"
#include "kernel/lib/print.h"
#include "kernel/machine/machine.h"

namespace keel::arch {

// The runner recognises a line starting with "KERNEL PANIC" and fails the run at once.
void panic(const char* fmt, ...) {
  kputs("\nKERNEL PANIC: ");
  va_list ap;
  va_start(ap, fmt);
  kvprintf(fmt, ap);
  va_end(ap);
  kputs("\n");
  machine::system_off();
}

}  // namespace keel::arch
