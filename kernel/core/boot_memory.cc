// Free-memory accounting during boot.
#include "kernel/core/boot_memory.h"

#include "kernel/lib/kernel_window.h"
#include "kernel/lib/string.h"

namespace keel {

void BootMemory::init(const BootParams& params) {
  num_free_ = 0;
  for (unsigned i = 0; i < params.num_ram; ++i) add(params.ram[i]);
  for (unsigned i = 0; i < params.num_reserved; ++i) remove(params.reserved[i]);
  remove(MemRegion{round_down(params.ui_p_start, 12), round_up(params.ui_p_end, 12)});
}

void BootMemory::add(MemRegion r) {
  r.start = round_up(r.start, 12);
  r.end = round_down(r.end, 12);
  if (r.start >= r.end || num_free_ == kMaxFree) return;
  // Keep regions sorted by address so untypeds come out in address order.
  unsigned i = num_free_;
  while (i > 0 && free_[i - 1].start > r.start) {
    free_[i] = free_[i - 1];
    --i;
  }
  free_[i] = r;
  ++num_free_;
}

void BootMemory::remove(MemRegion cut) {
  if (cut.start >= cut.end) return;
  MemRegion old[kMaxFree];
  const unsigned n = num_free_;
  for (unsigned i = 0; i < n; ++i) old[i] = free_[i];
  num_free_ = 0;
  for (unsigned i = 0; i < n; ++i) {
    const MemRegion r = old[i];
    if (cut.end <= r.start || cut.start >= r.end) {
      add(r);
      continue;
    }
    if (r.start < cut.start) add(MemRegion{r.start, cut.start});
    if (cut.end < r.end) add(MemRegion{cut.end, r.end});
  }
}

paddr_t BootMemory::alloc(unsigned size_bits) {
  const word_t size = word_t{1} << size_bits;
  for (unsigned i = num_free_; i-- > 0;) {
    MemRegion& r = free_[i];
    if (r.end - r.start < size) continue;
    const paddr_t start = round_down(r.end - size, size_bits);
    if (start < r.start) continue;
    const MemRegion tail{start + size, r.end};
    r.end = start;
    if (tail.start < tail.end) add(tail);  // alignment slack stays free
    memset(ptr_from_paddr<void>(start), 0, size);
    return start;
  }
  return 0;
}

}  // namespace keel
