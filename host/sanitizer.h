// Whether the host build runs under AddressSanitizer, and its poisoning interface when it does.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define KEEL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KEEL_ASAN 1
#endif
#endif
#ifndef KEEL_ASAN
#define KEEL_ASAN 0
#endif

#if KEEL_ASAN
#include <sanitizer/asan_interface.h>
#endif

#include <cstddef>

namespace keel::host {

inline constexpr bool kAsan = KEEL_ASAN != 0;

// Marks host memory unaddressable (poison) or addressable again (unpoison); whether p is
// poisoned. Without ASan nothing is tracked and nothing is poisoned.
#if KEEL_ASAN
inline void poison(const void* p, size_t n) { __asan_poison_memory_region(p, n); }
inline void unpoison(const void* p, size_t n) { __asan_unpoison_memory_region(p, n); }
inline bool is_poisoned(const void* p) { return __asan_address_is_poisoned(p) != 0; }
inline bool any_poisoned(const void* p, size_t n) {
  return __asan_region_is_poisoned(const_cast<void*>(p), n) != nullptr;
}
#else
inline void poison(const void*, size_t) {}
inline void unpoison(const void*, size_t) {}
inline bool is_poisoned(const void*) { return false; }
inline bool any_poisoned(const void*, size_t) { return false; }
#endif

// A copy of v whatever its poisoning: for a test that looks on purpose at what a dead object
// was left holding (the kernel must not read it; the test may).
template <typename T>
__attribute__((no_sanitize("address"))) T read_raw(const T& v) {
  T out;
  const volatile auto* from = reinterpret_cast<const volatile unsigned char*>(&v);
  auto* to = reinterpret_cast<unsigned char*>(&out);
  for (size_t i = 0; i < sizeof(T); ++i) to[i] = from[i];
  return out;
}

}  // namespace keel::host
