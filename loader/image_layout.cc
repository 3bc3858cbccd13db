// ELF inspection and image placement for the loader; pure code, shared with the host tests.
#include "loader/image_layout.h"

namespace loader {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kBlock2M = uint64_t{1} << 21;
constexpr uint64_t kPhdrSize = 56;
constexpr uint32_t kPtLoad = 1;

uint64_t le(const uint8_t* p, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = bytes; i > 0; --i) v = (v << 8) | p[i - 1];
  return v;
}

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

// True if [start, start + size) rounded out to pages still fits below 2^64.
bool page_span_fits(uint64_t start, uint64_t size) {
  return size <= ~uint64_t{0} - start && start + size <= ~uint64_t{0} - (kPage - 1);
}

bool overlaps(uint64_t start, uint64_t end, Region r) { return start < r.end && end > r.start; }

void widen(uint64_t start, uint64_t size, uint64_t* lo, uint64_t* hi) {
  if (align_down(start, kPage) < *lo) *lo = align_down(start, kPage);
  if (align_up(start + size, kPage) > *hi) *hi = align_up(start + size, kPage);
}

const char* check_header(Span elf) {
  const uint8_t* e = elf.data;
  if (elf.size < 64 || e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F') return "not an ELF file";
  if (e[4] != 2 || e[5] != 1) return "not a 64-bit little-endian ELF";
  if (le(e + 18, 2) != 183) return "not an AArch64 ELF";
  if (le(e + 16, 2) != 2) return "not an executable (static, non-PIE executables only)";
  uint64_t phoff = le(e + 32, 8), phentsize = le(e + 54, 2), phnum = le(e + 56, 2);
  if (phentsize != kPhdrSize || phoff > elf.size || phnum * kPhdrSize > elf.size - phoff)
    return "program headers lie outside the file";
  return nullptr;
}

}  // namespace

const char* elf_inspect(Span elf, ElfImage* out) {
  if (const char* err = check_header(elf)) return err;
  const uint8_t* e = elf.data;
  uint64_t phoff = le(e + 32, 8), phnum = le(e + 56, 2);
  *out = ElfImage{le(e + 24, 8), ~uint64_t{0}, 0, ~uint64_t{0}, 0};
  for (uint64_t i = 0; i < phnum; ++i) {
    const uint8_t* ph = e + phoff + i * kPhdrSize;
    if (le(ph, 4) != kPtLoad) continue;
    uint64_t off = le(ph + 8, 8), va = le(ph + 16, 8), pa = le(ph + 24, 8);
    uint64_t filesz = le(ph + 32, 8), memsz = le(ph + 40, 8);
    if (filesz > memsz) return "a segment's file size exceeds its memory size";
    if (off > elf.size || filesz > elf.size - off) return "a segment lies outside the file";
    if (!page_span_fits(va, memsz) || !page_span_fits(pa, memsz)) return "a segment wraps past 2^64";
    widen(va, memsz, &out->v_start, &out->v_end);
    widen(pa, memsz, &out->p_start, &out->p_end);
  }
  if (out->v_end <= out->v_start) return "no loadable segment";
  return nullptr;
}

const char* place_images(const ElfImage& kernel, uint64_t dtb_size, const ElfImage& user, Region ram,
                         Region loader, Placement* out) {
  if (kernel.p_start % kBlock2M != 0 || kernel.v_start % kBlock2M != 0 ||
      (kernel.v_start >> 30) != ((kernel.v_end - 1) >> 30))
    return "kernel.elf must start 2 MiB aligned and fit one 1 GiB virtual region";
  if (kernel.p_start < ram.start || kernel.p_end > ram.end) return "kernel.elf does not fit in RAM";
  if (overlaps(kernel.p_start, kernel.p_end, loader)) return "kernel.elf would overwrite the loader";
  // kernel.p_end <= ram.end, and every later sum is checked against the room left in RAM.
  out->dtb = kernel.p_end;
  if (dtb_size > ram.end - out->dtb || align_up(out->dtb + dtb_size, kPage) > ram.end)
    return "the DTB does not fit in RAM after the kernel";
  out->user = align_up(out->dtb + dtb_size, kPage);
  uint64_t span = user.v_end - user.v_start;
  if (span > ram.end - out->user) return "the root task does not fit in RAM";
  out->user_end = out->user + span;
  if (overlaps(out->dtb, out->user_end, loader)) return "the DTB or the root task would overwrite the loader";
  return nullptr;
}

}  // namespace loader
