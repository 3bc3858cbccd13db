// Basic machine-word types shared by every part of the kernel core.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace keel {

using word_t = uint64_t;   // one machine word (seL4_Word)
using sword_t = int64_t;   // signed word (syscall numbers are negative)
using paddr_t = uint64_t;  // physical address; caps and MDB links hold these
using vaddr_t = uint64_t;  // user virtual address
using cptr_t = uint64_t;   // capability pointer (seL4_CPtr)

inline constexpr unsigned kWordBits = 64;
inline constexpr unsigned kWordSizeBits = 3;

constexpr word_t mask_bits(unsigned n) { return n >= 64 ? ~word_t{0} : (word_t{1} << n) - 1; }
constexpr word_t bit(unsigned n) { return word_t{1} << n; }
constexpr bool is_aligned(word_t v, unsigned bits) { return (v & mask_bits(bits)) == 0; }
constexpr word_t round_down(word_t v, unsigned bits) { return v & ~mask_bits(bits); }
constexpr word_t round_up(word_t v, unsigned bits) { return round_down(v + mask_bits(bits), bits); }

}  // namespace keel
