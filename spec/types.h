// Basic vocabulary of the abstract specification: words, addresses, slot names, errors.
//
// The spec is independent of the kernel's code: it includes no header from kernel/, arch/ or
// host/, only the C++ standard library. Names follow seL4's (and so the kernel's) vocabulary.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace keel::spec {

using word_t = std::uint64_t;
using paddr_t = std::uint64_t;
using cptr_t = std::uint64_t;

inline constexpr unsigned kWordBits = 64;

// A mask of the low n bits; n may be 64.
constexpr word_t mask_bits(unsigned n) { return n >= 64 ? ~word_t{0} : (word_t{1} << n) - 1; }

// A slot is named by the object that holds it (a CNode or a TCB, by physical address) and its
// index inside that object, as the kernel names a slot by its own physical address.
struct SlotRef {
  paddr_t object = 0;
  word_t index = 0;
  friend auto operator<=>(const SlotRef&, const SlotRef&) = default;
};
std::string to_string(const SlotRef& s);
std::string to_hex(word_t v);  // "0x1f"

// seL4_Error (reference §4.1).
enum class Error : word_t {
  NoError = 0,
  InvalidArgument = 1,
  InvalidCapability = 2,
  IllegalOperation = 3,
  RangeError = 4,
  AlignmentError = 5,
  FailedLookup = 6,
  TruncatedMessage = 7,
  DeleteFirst = 8,
  RevokeFirst = 9,
  NotEnoughMemory = 10,
};
const char* to_string(Error e);

// seL4_LookupFailureType: the value sent to user level (kernel tag + 1, reference §4.3).
enum class LookupFailureType : word_t {
  NoFailure = 0,
  InvalidRoot = 1,
  MissingCapability = 2,
  DepthMismatch = 3,
  GuardMismatch = 4,
};

struct LookupFault {
  LookupFailureType type = LookupFailureType::NoFailure;
  word_t bits_left = 0;
  word_t bits_found = 0;   // DepthMismatch, GuardMismatch
  word_t guard_found = 0;  // GuardMismatch
  friend bool operator==(const LookupFault&, const LookupFault&) = default;

  static LookupFault invalid_root() { return {LookupFailureType::InvalidRoot}; }
  static LookupFault missing_capability(word_t bits_left) {
    return {LookupFailureType::MissingCapability, bits_left};
  }
  static LookupFault depth_mismatch(word_t bits_left, word_t bits_found) {
    return {LookupFailureType::DepthMismatch, bits_left, bits_found};
  }
  static LookupFault guard_mismatch(word_t bits_left, word_t guard_found, word_t bits_found) {
    return {LookupFailureType::GuardMismatch, bits_left, bits_found, guard_found};
  }
};
std::string to_string(const LookupFault& f);

// A decode failure with the words its error reply carries (reference §4.2).
struct SyscallError {
  Error type = Error::NoError;
  word_t invalid_argument_number = 0;
  word_t invalid_cap_number = 0;
  word_t range_min = 0, range_max = 0;
  word_t memory_left = 0;
  bool failed_lookup_was_source = false;
  LookupFault lookup;
  friend bool operator==(const SyscallError&, const SyscallError&) = default;

  static SyscallError of(Error e) { return {.type = e}; }
  static SyscallError invalid_argument(word_t n) {
    return {.type = Error::InvalidArgument, .invalid_argument_number = n};
  }
  static SyscallError invalid_capability(word_t n) {
    return {.type = Error::InvalidCapability, .invalid_cap_number = n};
  }
  static SyscallError range(word_t lo, word_t hi) {
    return {.type = Error::RangeError, .range_min = lo, .range_max = hi};
  }
  static SyscallError not_enough_memory(word_t left) {
    return {.type = Error::NotEnoughMemory, .memory_left = left};
  }
  static SyscallError failed_lookup(bool source, LookupFault f) {
    return {.type = Error::FailedLookup, .failed_lookup_was_source = source, .lookup = f};
  }
};
std::string to_string(const SyscallError& e);

// A value or the reason there is none; spec operations return these instead of throwing.
template <class T, class E>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  const T& value() const { return std::get<0>(v_); }
  const E& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace keel::spec
