// Loader console (PL011 at QEMU virt's fixed address), failure, and memory copying.
#include "loader/loader_util.h"

namespace loader {
namespace {

constexpr uint64_t kUart = 0x09000000;

void put_char(char c) {
  auto* uart = reinterpret_cast<volatile uint32_t*>(kUart);
  while (uart[0x18 / 4] & (1u << 5)) {
  }
  uart[0] = static_cast<uint8_t>(c);
}

}  // namespace

void put_str(const char* s) {
  for (; *s != '\0'; ++s) put_char(*s);
}

void put_hex(uint64_t v) {
  put_str("0x");
  for (int shift = 60; shift >= 0; shift -= 4) {
    unsigned nibble = (v >> shift) & 0xf;
    put_char(static_cast<char>(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
  }
}

// There is no power-off yet (the kernel owns PSCI); the runner sees the panic line and stops.
void fail(const char* what, const char* detail) {
  put_str("KERNEL PANIC: loader: ");
  put_str(what);
  if (detail != nullptr) {
    put_str(": ");
    put_str(detail);
  }
  put_str("\n");
  for (;;) asm volatile("wfi");
}

void copy(uint64_t dst, const uint8_t* src, uint64_t n) {
  auto* d = reinterpret_cast<uint8_t*>(dst);
  if (((dst | reinterpret_cast<uint64_t>(src) | n) & 7) == 0) {
    auto* d8 = reinterpret_cast<volatile uint64_t*>(d);
    const auto* s8 = reinterpret_cast<const uint64_t*>(src);
    for (uint64_t i = 0; i < n / 8; ++i) d8[i] = s8[i];
    return;
  }
  auto* d1 = reinterpret_cast<volatile uint8_t*>(d);
  for (uint64_t i = 0; i < n; ++i) d1[i] = src[i];
}

void zero(uint64_t dst, uint64_t n) {
  auto* d1 = reinterpret_cast<volatile uint8_t*>(dst);
  uint64_t i = 0;
  for (; i < n && ((dst + i) & 7) != 0; ++i) d1[i] = 0;
  auto* d8 = reinterpret_cast<volatile uint64_t*>(dst + i);
  uint64_t words = (n - i) / 8;
  for (uint64_t w = 0; w < words; ++w) d8[w] = 0;
  for (i += words * 8; i < n; ++i) d1[i] = 0;
}

}  // namespace loader

// The compiler may still emit calls to these for struct copies.
extern "C" void* memset(void* dst, int c, size_t n) {
  auto* d = static_cast<volatile uint8_t*>(dst);
  for (size_t i = 0; i < n; ++i) d[i] = static_cast<uint8_t>(c);
  return dst;
}

extern "C" void* memcpy(void* dst, const void* src, size_t n) {
  auto* d = static_cast<volatile uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
  return dst;
}
