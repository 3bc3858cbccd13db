// Small helpers the loader shares between its files: console, byte-wise reads, copying.
// The loader runs with the MMU off (all memory is Device), so nothing here may touch memory
// unaligned; the loader is compiled with -mstrict-align and reads file data byte by byte.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "loader/image_layout.h"

namespace loader {

void put_str(const char* s);
void put_hex(uint64_t v);
// Prints "KERNEL PANIC: loader: <what>[: <detail>]" and stops.
[[noreturn]] void fail(const char* what, const char* detail = nullptr);

inline uint64_t le(const uint8_t* p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = bytes; i > 0; --i) v = (v << 8) | p[i - 1];
  return v;
}

void copy(uint64_t dst, const uint8_t* src, uint64_t n);
void zero(uint64_t dst, uint64_t n);

inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
inline uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

inline bool name_matches(const char* a, const char* b) {
  for (; *a != '\0' && *a == *b; ++a, ++b) {
  }
  return *a == *b;
}

// newc CPIO: the n-th entry; false if the archive has fewer (fails on a malformed archive).
bool cpio_entry(Span archive, unsigned n, const char** name, Span* file);

// Copies each PT_LOAD to dest(vaddr) = base + (vaddr - v_start), or to its p_paddr if by_paddr.
void elf_load(Span elf, const ElfImage& img, bool by_paddr, uint64_t base);

}  // namespace loader
