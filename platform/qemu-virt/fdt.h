// A small, bounds-checked reader for flattened device trees: pulls out what boot needs.
// Pure code (no hardware access), so it also builds and runs on the host.
#pragma once

#include "kernel/lib/types.h"

namespace keel::fdt {

struct Range {
  paddr_t base;
  word_t size;
};

enum class PsciMethod { None, Smc, Hvc };

struct Info {
  static constexpr unsigned kMaxRanges = 16;
  word_t total_size = 0;
  Range memory[kMaxRanges] = {};  // /memory reg, in tree order
  unsigned num_memory = 0;
  Range reserved[kMaxRanges] = {};  // /memreserve/ entries, then /reserved-memory children
  unsigned num_reserved = 0;
  Range uart = {};  // the stdout-path PL011, else the first PL011
  bool has_uart = false;
  unsigned gic_version = 0;  // 0 = none found, 2 or 3
  Range gic_dist = {};
  Range gic_cpu = {};  // GICv2 CPU interface (GICv3: the redistributors)
  PsciMethod psci = PsciMethod::None;
};

// Checks the header and returns the blob's total size, or 0 if `avail` bytes cannot hold a DTB.
word_t total_size(const uint8_t* blob, word_t avail);

// Parses the blob (at most `avail` bytes are ever read). Returns nullptr on success, otherwise
// a message naming what is malformed or unsupported; *out is then incomplete.
const char* parse(const uint8_t* blob, word_t avail, Info* out);

}  // namespace keel::fdt
