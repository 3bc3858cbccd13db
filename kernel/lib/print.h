// Kernel console output: a small printf over machine::debug_putchar (no heap, no libc).
#pragma once

#include <stdarg.h>

#include "kernel/lib/types.h"

namespace keel {

// Supports %s %c %d %u %x %p and the l/z length modifiers (%lu %lx %zu ...), width and 0-fill.
void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char* fmt, va_list ap);
void kputs(const char* s);

// Formats into buf (always NUL-terminated when size > 0); returns the length it wanted.
size_t ksnprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

}  // namespace keel
