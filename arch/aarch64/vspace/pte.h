// AArch64 stage-1 translation table descriptors (4 KiB granule, 48-bit VA, 4 levels).
//
// Memory attributes index MAIR_EL1, which the loader and kernel set to 0xaaff440c0400:
// index 0 = Device-nGnRnE, index 4 = Normal write-back.
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

using pte_t = word_t;

inline constexpr word_t kPteValid = 1ull << 0;
inline constexpr word_t kPteTable = 1ull << 1;  // at levels 0..2: next-level table
inline constexpr word_t kPtePage = 1ull << 1;   // at level 3: page
inline constexpr unsigned kPteAttrShift = 2;
inline constexpr word_t kAttrDeviceNgnrne = 0;
inline constexpr word_t kAttrNormal = 4;
inline constexpr word_t kPteApUser = 1ull << 6;      // EL0 may access
inline constexpr word_t kPteApReadOnly = 1ull << 7;  // no writes at any EL
inline constexpr word_t kPteShInner = 3ull << 8;
inline constexpr word_t kPteAf = 1ull << 10;
inline constexpr word_t kPteNg = 1ull << 11;  // tagged with the ASID
inline constexpr word_t kPtePxn = 1ull << 53;
inline constexpr word_t kPteSwPage = 1ull << 58;  // seL4's software bit: a 4 KiB page, not a table
inline constexpr word_t kPteUxn = 1ull << 54;
inline constexpr word_t kPteAddrMask = 0x0000fffffffff000ull;  // output address bits 47:12

inline constexpr unsigned kLevels = 4;
inline constexpr unsigned kIndexBits = 9;
// Bit position of the lowest VA bit a table at this level (0 = root) indexes.
constexpr unsigned level_shift(unsigned level) { return 39 - 9 * level; }
constexpr unsigned pt_index(vaddr_t v, unsigned level) {
  return unsigned((v >> level_shift(level)) & mask_bits(kIndexBits));
}

// A table descriptor (levels 0..2); a level-3 page has the same low bits but seL4's page bit.
constexpr bool pte_is_table(pte_t e) {
  return (e & (kPteValid | kPteTable)) == (kPteValid | kPteTable) && (e & kPteSwPage) == 0;
}
constexpr paddr_t pte_addr(pte_t e) { return e & kPteAddrMask; }
constexpr pte_t make_table_pte(paddr_t table) { return table | kPteValid | kPteTable; }

}  // namespace keel::arch
