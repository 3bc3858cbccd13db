// Builds the kernel window page tables from a fixed pool in the kernel image (no allocator yet).
#include "arch/aarch64/machine/kernel_map.h"

#include "arch/aarch64/machine/sysreg.h"
#include "kernel/lib/kernel_window.h"

namespace keel::arch {
namespace {

constexpr unsigned kPoolTables = 32;
constexpr unsigned kEntries = 512;

alignas(4096) word_t g_pool[kPoolTables][kEntries];
alignas(4096) word_t g_empty_root[kEntries];
unsigned g_pool_used = 1;  // g_pool[0] is the level-0 root

// Descriptor bits (VMSAv8-64, 4 KiB granule).
constexpr word_t kValid = 1;
constexpr word_t kTableOrPage = 2;
constexpr word_t kShInner = word_t{3} << 8;
constexpr word_t kAccessFlag = word_t{1} << 10;
constexpr word_t kPxn = word_t{1} << 53;
constexpr word_t kUxn = word_t{1} << 54;
constexpr word_t kAddrMask = 0x0000fffffffff000;

// EL1-only, never executable from EL0; devices never executable at all.
word_t leaf_bits(MapKind kind, unsigned level) {
  word_t bits = kValid | kAccessFlag | kUxn | (level == 3 ? kTableOrPage : 0);
  if (kind == MapKind::Normal) return bits | (word_t{kAttrNormal} << 2) | kShInner;
  return bits | (word_t{kAttrDevice} << 2) | kPxn;
}

word_t* alloc_table() {
  if (g_pool_used == kPoolTables) return nullptr;
  return g_pool[g_pool_used++];  // zero: the pool lives in .bss
}

// Maps one step (a block or page) at pa; *step says how far it got.
bool map_step(paddr_t pa, word_t remaining, MapKind kind, word_t* step) {
  word_t va = pa + g_kernel_window_offset;
  word_t* table = g_pool[0];
  for (unsigned level = 0;; ++level) {
    unsigned shift = 39 - 9 * level;
    word_t& entry = table[(va >> shift) & (kEntries - 1)];
    bool fits_block = level >= 1 && is_aligned(pa, shift) && remaining >= bit(shift);
    if (level == 3 || (fits_block && (entry & kValid) == 0)) {
      word_t desc = pa | leaf_bits(kind, level);
      if ((entry & kValid) != 0 && entry != desc) return false;
      entry = desc;
      *step = bit(shift);
      return true;
    }
    if ((entry & kValid) != 0 && (entry & kTableOrPage) == 0) {
      // An existing block already covers pa: fine if it maps the same way.
      word_t same = round_down(pa, shift) | leaf_bits(kind, level);
      if (entry != same) return false;
      *step = bit(shift) - (pa & mask_bits(shift));
      return true;
    }
    if ((entry & kValid) == 0) {
      word_t* fresh = alloc_table();
      if (fresh == nullptr) return false;
      entry = paddr_of(fresh) | kValid | kTableOrPage;
    }
    table = ptr_from_paddr<word_t>(entry & kAddrMask);
  }
}

word_t tcr_value() {
  word_t mmfr0 = read_id_aa64mmfr0_el1();
  word_t ips = mmfr0 & 0xf;
  if (ips > 5) ips = 5;  // 48-bit output addresses are all a 4 KiB granule can name here
  bool asid16 = ((mmfr0 >> 4) & 0xf) == 2;
  // T0SZ = T1SZ = 16 (48-bit halves), walks inner/outer WBWA inner-shareable, 4 KiB granules.
  word_t tcr = 16 | (1 << 8) | (1 << 10) | (3 << 12) | (word_t{16} << 16) | (word_t{1} << 24) |
               (word_t{1} << 26) | (word_t{3} << 28) | (word_t{2} << 30) | (ips << 32);
  if (asid16) tcr |= word_t{1} << 36;
  return tcr;
}

// M, C, I, stack alignment checks, WFI/WFE not trapped; no alignment checking; RES1 bits of v8.0.
constexpr word_t kSctlr = 0x30d00800 | 0x1 | 0x4 | 0x8 | 0x10 | 0x20 | 0x1000 | 0x10000 | 0x40000;

}  // namespace

bool kernel_map(paddr_t paddr, word_t size, MapKind kind) {
  paddr_t end = round_up(paddr + size, 12);
  paddr_t pa = round_down(paddr, 12);
  while (pa < end) {
    word_t step = 0;
    if (!map_step(pa, end - pa, kind, &step)) return false;
    pa += step;
  }
  return true;
}

void kernel_map_activate() {
  dsb_ishst();
  write_mair_el1(kMair);
  write_tcr_el1(tcr_value());
  write_ttbr0_el1(paddr_of(g_empty_root));
  write_ttbr1_el1(paddr_of(g_pool[0]));
  isb();
  asm volatile("tlbi vmalle1" ::: "memory");
  dsb_sy();
  isb();
  write_sctlr_el1(kSctlr);
  isb();
}

paddr_t empty_user_root() { return paddr_of(g_empty_root); }

void kernel_map_sync() {
  dsb_ishst();
  isb();
}

}  // namespace keel::arch
