// ASIDs: 128 pools of 512 ASIDs each; a pool records which VSpace root owns each ASID.
#pragma once

#include "kernel/api/object_type.h"

namespace keel::arch {

inline constexpr unsigned kAsidPoolIndexBits = 9;
inline constexpr unsigned kNumAsidPoolsBits = 7;

struct AsidPool {
  paddr_t vspace[word_t{1} << kAsidPoolIndexBits];  // 0 = free
};
static_assert(sizeof(AsidPool) == (word_t{1} << kAsidPoolBits));

// Pool number -> pool object (0 = no pool); seL4's armKSASIDTable.
extern paddr_t g_asid_table[word_t{1} << kNumAsidPoolsBits];

// seL4 findVSpaceForASID: the VSpace root assigned `asid`, or 0 (a lookup failure InvalidRoot).
paddr_t find_vspace_for_asid(word_t asid);

}  // namespace keel::arch
