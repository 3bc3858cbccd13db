// The global ASID pool table.
#include "arch/aarch64/object/asid.h"

namespace keel::arch {

constinit paddr_t g_asid_table[word_t{1} << kNumAsidPoolsBits] = {};

}  // namespace keel::arch
