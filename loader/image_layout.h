// The loader's checks on what it is given, as pure functions so the host can test them: an
// ELF's loadable span, and where the kernel, DTB and root task go in RAM. Every sum is checked
// for overflow, so a hostile image gets a message instead of a wild copy.
#pragma once

#include <stdint.h>

namespace loader {

struct Span {
  const uint8_t* data;
  uint64_t size;
};

struct Region {
  uint64_t start, end;  // [start, end)
};

struct ElfImage {
  uint64_t entry;
  uint64_t v_start, v_end;  // page-rounded span of the PT_LOAD virtual addresses
  uint64_t p_start, p_end;  // same for physical addresses
};

// Checks an AArch64 ELF64 executable and summarises its PT_LOAD segments. Returns nullptr, or
// what is wrong with it.
const char* elf_inspect(Span elf, ElfImage* out);

struct Placement {
  uint64_t dtb;       // the DTB's first byte: the page after the kernel, as seL4's elfloader
  uint64_t user;      // the root task's first physical byte: the page after the DTB
  uint64_t user_end;  // one past its last
};

// Where the DTB and root task go after a kernel loaded at its physical addresses, inside `ram`
// and clear of the loader. Returns nullptr, or why the images cannot be placed.
const char* place_images(const ElfImage& kernel, uint64_t dtb_size, const ElfImage& user, Region ram,
                         Region loader, Placement* out);

}  // namespace loader
