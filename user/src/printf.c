/* A small printf over the console (console.h), and snprintf over a buffer: enough for test and demo output.
 */
#include <keel/runtime.h>
#include <sel4/sel4.h>

#include "console.h"

/* Where formatted characters go: the console or a bounded buffer. */
typedef struct {
  int console;
  char* buf;
  size_t size;
  size_t count; /* characters produced, including any that did not fit */
} Sink;

typedef struct {
  unsigned width;
  char pad;  /* ' ' or '0' */
  int left;  /* '-' flag */
  int longs; /* number of 'l' (or 'z') modifiers */
} Spec;

static void emit(Sink* sink, char c) {
  if (sink->console) {
    keel_console_putchar(c);
  } else if (sink->count + 1 < sink->size) {
    sink->buf[sink->count] = c;
  }
  sink->count++;
}

static void emit_padded(Sink* sink, const Spec* spec, const char* text, size_t len, const char* prefix) {
  size_t prefix_len = strlen(prefix);
  size_t fill = spec->width > len + prefix_len ? spec->width - len - prefix_len : 0;
  /* Zero padding goes between the sign/prefix and the digits; space padding before both. */
  if (!spec->left && spec->pad == ' ') {
    while (fill-- > 0) emit(sink, ' ');
  }
  for (size_t i = 0; i < prefix_len; ++i) emit(sink, prefix[i]);
  if (!spec->left && spec->pad == '0') {
    while (fill-- > 0) emit(sink, '0');
  }
  for (size_t i = 0; i < len; ++i) emit(sink, text[i]);
  if (spec->left) {
    while (fill-- > 0) emit(sink, ' ');
  }
}

static void emit_unsigned(Sink* sink, const Spec* spec, unsigned long long v, unsigned base, int upper,
                          const char* prefix) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[24];
  size_t n = sizeof(tmp);
  do {
    tmp[--n] = digits[v % base];
    v /= base;
  } while (v != 0);
  emit_padded(sink, spec, &tmp[n], sizeof(tmp) - n, prefix);
}

static unsigned long long fetch_unsigned(const Spec* spec, va_list* ap) {
  if (spec->longs >= 2) return va_arg(*ap, unsigned long long);
  if (spec->longs == 1) return va_arg(*ap, unsigned long);
  return va_arg(*ap, unsigned int);
}

static long long fetch_signed(const Spec* spec, va_list* ap) {
  if (spec->longs >= 2) return va_arg(*ap, long long);
  if (spec->longs == 1) return va_arg(*ap, long);
  return va_arg(*ap, int);
}

static const char* parse_spec(const char* p, Spec* spec) {
  spec->width = 0;
  spec->pad = ' ';
  spec->left = 0;
  spec->longs = 0;
  for (;; ++p) {
    if (*p == '0')
      spec->pad = '0';
    else if (*p == '-')
      spec->left = 1;
    else
      break;
  }
  while (*p >= '0' && *p <= '9') spec->width = spec->width * 10 + (unsigned)(*p++ - '0');
  while (*p == 'l' || *p == 'z') {
    spec->longs++;
    p++;
  }
  return p;
}

static void format_one(Sink* sink, const Spec* spec, char conv, va_list* ap) {
  switch (conv) {
    case 'd':
    case 'i': {
      long long v = fetch_signed(spec, ap);
      unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
      emit_unsigned(sink, spec, mag, 10, 0, v < 0 ? "-" : "");
      break;
    }
    case 'u': emit_unsigned(sink, spec, fetch_unsigned(spec, ap), 10, 0, ""); break;
    case 'x': emit_unsigned(sink, spec, fetch_unsigned(spec, ap), 16, 0, ""); break;
    case 'X': emit_unsigned(sink, spec, fetch_unsigned(spec, ap), 16, 1, ""); break;
    case 'p': emit_unsigned(sink, spec, (unsigned long)va_arg(*ap, void*), 16, 0, "0x"); break;
    case 'c': {
      char c = (char)va_arg(*ap, int);
      emit_padded(sink, spec, &c, 1, "");
      break;
    }
    case 's': {
      const char* s = va_arg(*ap, const char*);
      if (s == NULL) s = "(null)";
      emit_padded(sink, spec, s, strlen(s), "");
      break;
    }
    case '%': emit(sink, '%'); break;
    default: /* unknown conversion: show it rather than guess at the argument */
      emit(sink, '%');
      emit(sink, conv);
      break;
  }
}

static int format(Sink* sink, const char* fmt, va_list ap) {
  va_list args;
  va_copy(args, ap);
  for (const char* p = fmt; *p != '\0'; ++p) {
    if (*p != '%') {
      emit(sink, *p);
      continue;
    }
    Spec spec;
    p = parse_spec(p + 1, &spec);
    if (*p == '\0') break;
    format_one(sink, &spec, *p, &args);
  }
  va_end(args);
  if (!sink->console && sink->size > 0) {
    sink->buf[sink->count < sink->size ? sink->count : sink->size - 1] = '\0';
  }
  return (int)sink->count;
}

int vprintf(const char* fmt, va_list ap) {
  Sink sink = {1, NULL, 0, 0};
  return format(&sink, fmt, ap);
}

int printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap) {
  Sink sink = {0, buf, size, 0};
  return format(&sink, fmt, ap);
}

int snprintf(char* buf, size_t size, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);  // NOLINT(clang-analyzer-security.insecureAPI.*): bounded
  va_end(ap);
  return n;
}

int putchar(int c) {
  keel_console_putchar((char)c);
  return (unsigned char)c;
}

int puts(const char* s) {
  while (*s != '\0') keel_console_putchar(*s++);
  keel_console_putchar('\n');
  return 0;
}
