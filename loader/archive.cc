// Reading the boot archive (newc CPIO, every size checked) and loading its ELF executables.
#include "loader/loader_util.h"

namespace loader {
namespace {

constexpr uint64_t kCpioHeader = 110;

uint64_t hex_field(const uint8_t* p) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i) {
    uint8_t c = p[i];
    unsigned d = c >= '0' && c <= '9'   ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                        : 16;
    if (d == 16) fail("archive: bad hex digit in a CPIO header");
    v = (v << 4) | d;
  }
  return v;
}

bool name_is(const uint8_t* p, const char* s) {
  for (; *s != '\0'; ++p, ++s) {
    if (*p != static_cast<uint8_t>(*s)) return false;
  }
  return *p == 0;
}

constexpr uint64_t kPhdrSize = 56;

}  // namespace

bool cpio_entry(Span a, unsigned n, const char** name, Span* file) {
  uint64_t off = 0;
  for (unsigned i = 0;; ++i) {
    if (off > a.size || a.size - off < kCpioHeader) fail("archive: truncated CPIO header");
    const uint8_t* h = a.data + off;
    for (unsigned k = 0; k < 6; ++k) {
      if (h[k] != static_cast<uint8_t>("070701"[k])) fail("archive: not a newc CPIO archive");
    }
    uint64_t file_size = hex_field(h + 54), name_size = hex_field(h + 94);
    if (name_size == 0 || name_size > a.size - off - kCpioHeader) fail("archive: CPIO name overruns");
    const uint8_t* nm = h + kCpioHeader;
    if (nm[name_size - 1] != 0) fail("archive: CPIO name not terminated");
    uint64_t data = align_up(off + kCpioHeader + name_size, 4);
    if (data > a.size || file_size > a.size - data) fail("archive: CPIO file overruns the archive");
    if (name_is(nm, "TRAILER!!!")) return false;
    if (i == n) {
      *name = reinterpret_cast<const char*>(nm);
      *file = Span{a.data + data, file_size};
      return true;
    }
    off = align_up(data + file_size, 4);
  }
}

void elf_load(Span elf, const ElfImage& img, bool by_paddr, uint64_t base) {
  const uint8_t* e = elf.data;
  uint64_t phoff = le(e + 32, 8), phnum = le(e + 56, 2);
  for (uint64_t i = 0; i < phnum; ++i) {
    const uint8_t* ph = e + phoff + i * kPhdrSize;
    if (le(ph, 4) != 1) continue;
    uint64_t off = le(ph + 8, 8), va = le(ph + 16, 8), pa = le(ph + 24, 8);
    uint64_t filesz = le(ph + 32, 8), memsz = le(ph + 40, 8);
    uint64_t dest = by_paddr ? pa : base + (va - img.v_start);
    copy(dest, e + off, filesz);
    zero(dest + filesz, memsz - filesz);
  }
}

}  // namespace loader
