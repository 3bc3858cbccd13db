// Kernel console output: a small printf over machine::debug_putchar (no heap, no libc).
#pragma once

#include <stdarg.h>

#include "kernel/config/config.h"
#include "kernel/lib/types.h"

namespace keel {

// Supports %s %c %d %u %x %p and the l/z length modifiers (%lu %lx %zu ...), width and 0-fill.
// kvprintf and kputs always print: the panic path uses them in every build.
void kvprintf(const char* fmt, va_list ap);
void kputs(const char* s);

// The kernel's messages (boot, faults nobody handles, stray interrupts). A release build
// (config::kPrinting false) has an empty body here, which the compiler inlines, so neither the
// call nor its format string reaches the kernel image.
__attribute__((format(printf, 1, 2))) inline void kprintf(const char* fmt, ...) {
  if constexpr (config::kPrinting) {
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
  }
}

// Formats into buf (always NUL-terminated when size > 0); returns the length it wanted.
size_t ksnprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

}  // namespace keel
