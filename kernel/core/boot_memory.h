// Boot-time physical memory bookkeeping: free RAM as a list of regions, carved for the root
// task's objects, then handed out as untyped caps.
#pragma once

#include "kernel/core/boot.h"

namespace keel {

class BootMemory {
 public:
  static constexpr unsigned kMaxFree = 32;

  // Free RAM = RAM minus every reserved range (kernel image, DTB, user image, ...).
  void init(const BootParams& params);
  // Carves a naturally aligned 2^size_bits block from the top of the highest region that fits
  // it, zeroes it and returns its address; 0 when no region can hold it.
  paddr_t alloc(unsigned size_bits);
  unsigned num_free() const { return num_free_; }
  const MemRegion& free_region(unsigned i) const { return free_[i]; }
  void add(MemRegion r);  // page-granular; regions stay sorted by address
  void remove(MemRegion r);

 private:
  MemRegion free_[kMaxFree] = {};
  unsigned num_free_ = 0;
};

// Splits [start, end) into the largest naturally aligned power-of-two blocks with
// size_bits in [min_bits, max_bits], calling emit(paddr, size_bits) for each in address order.
template <typename Emit>
void for_each_aligned_block(paddr_t start, paddr_t end, unsigned min_bits, unsigned max_bits, Emit emit) {
  start = round_up(start, min_bits);
  while (start < end && end - start >= (word_t{1} << min_bits)) {
    unsigned bits = max_bits;
    while (bits > min_bits && (!is_aligned(start, bits) || end - start < (word_t{1} << bits))) --bits;
    if (!emit(start, bits)) return;
    start += word_t{1} << bits;
  }
}

}  // namespace keel
