// The fuzz harnesses as plain functions: libFuzzer entry points call them, and so does the
// corpus replay test of ordinary host builds. A finding prints why and traps.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keel::fuzz {

// The DTB reader and make_boot_params over one input blob.
void run_fdt_input(const uint8_t* data, size_t size);

// A fresh host kernel, then the bounded syscall sequence the input decodes to; invariants and
// the SMC frame condition are checked after every kernel entry.
void run_syscall_input(const uint8_t* data, size_t size);

// Planted kernel bug (kernel/lib/mutation.h, host builds) that run_syscall_input switches on
// after each boot; 0 = none. For checking that the checks catch bugs.
void set_planted_mutant(unsigned m);

// Reports a finding on stderr and traps, so libFuzzer (or the replay test) sees a crash.
[[noreturn]] void finding(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Reads fuzz input as a stream of small decisions; past the end every read yields zero, so
// any input decodes to something.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t word() {
    uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w |= uint64_t{byte()} << (8 * i);
    return w;
  }
  // A value below n (n <= 256 keeps it to one byte).
  uint64_t below(uint64_t n) {
    if (n == 0) return 0;
    return n <= 256 ? byte() % n : word() % n;
  }
  bool chance(unsigned in_256) { return byte() < in_256; }
  template <class T, size_t N>
  const T& choose(const T (&arr)[N]) {
    return arr[below(N)];
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace keel::fuzz
