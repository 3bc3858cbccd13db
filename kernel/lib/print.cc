// A minimal printf for the kernel console and for formatting into fixed buffers.
#include "kernel/lib/print.h"

#include "kernel/machine/machine.h"

namespace keel {

namespace {

// Where formatted characters go: the console, or a bounded buffer (which may be empty, so that
// ksnprintf(nullptr, 0, ...) only measures and never reaches the console).
struct Sink {
  bool console = false;
  char* buf = nullptr;
  size_t size = 0;
  size_t length = 0;

  void put(char c) {
    if (console) {
      machine::debug_putchar(c);
    } else if (length + 1 < size) {
      buf[length] = c;
    }
    ++length;
  }
};

void put_number(Sink& out, word_t value, unsigned base, bool negative, unsigned width, char fill) {
  char digits[24];
  unsigned n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value % base];
    value /= base;
  } while (value != 0);
  if (negative) digits[n++] = '-';
  for (unsigned i = n; i < width; ++i) out.put(fill);
  while (n > 0) out.put(digits[--n]);
}

void format(Sink& out, const char* fmt, va_list ap) {
  for (; *fmt != '\0'; ++fmt) {
    if (*fmt != '%') {
      out.put(*fmt);
      continue;
    }
    ++fmt;
    const char fill = *fmt == '0' ? '0' : ' ';
    unsigned width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + unsigned(*fmt++ - '0');
    bool is_long = false;
    while (*fmt == 'l' || *fmt == 'z') {
      is_long = true;
      ++fmt;
    }
    switch (*fmt) {
      case 's': {
        const char* s = va_arg(ap, const char*);
        for (s = s ? s : "(null)"; *s != '\0'; ++s) out.put(*s);
        break;
      }
      case 'c': out.put(char(va_arg(ap, int))); break;
      case 'd': {
        const sword_t v = is_long ? va_arg(ap, long) : va_arg(ap, int);
        put_number(out, v < 0 ? word_t(-v) : word_t(v), 10, v < 0, width, fill);
        break;
      }
      case 'u':
        put_number(out, is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, false, width, fill);
        break;
      case 'x':
        put_number(out, is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, false, width, fill);
        break;
      case 'p':
        out.put('0');
        out.put('x');
        put_number(out, reinterpret_cast<word_t>(va_arg(ap, void*)), 16, false, width, fill);
        break;
      case '%': out.put('%'); break;
      case '\0': return;
      default:
        out.put('%');
        out.put(*fmt);
        break;
    }
  }
}

}  // namespace

void kvprintf(const char* fmt, va_list ap) {
  Sink out{true};
  format(out, fmt, ap);
}

void kputs(const char* s) {
  while (*s != '\0') machine::debug_putchar(*s++);
}

size_t ksnprintf(char* buf, size_t size, const char* fmt, ...) {
  Sink out{false, buf, size, 0};
  va_list ap;
  va_start(ap, fmt);
  format(out, fmt, ap);
  va_end(ap);
  if (size > 0) buf[out.length < size ? out.length : size - 1] = '\0';
  return out.length;
}

}  // namespace keel
