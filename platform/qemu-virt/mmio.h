// Device register access for the board's drivers: 32-bit registers at a kernel virtual address.
#pragma once

#include "kernel/lib/types.h"

namespace keel::platform {

inline volatile uint32_t* reg32(word_t base, word_t offset) {
  return reinterpret_cast<volatile uint32_t*>(base + offset);
}

}  // namespace keel::platform
