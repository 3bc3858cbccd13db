// The abstract AArch64 virtual memory of seL4 16.0.0 (non-hyp, 4 KiB granule, four levels,
// 16-bit ASIDs; docs/sel4-facts/vspace.md): the ASID table, ASID pools and translation tables as
// maps, not descriptor bits.
//
// Model. `State::asid_table` maps a pool number (ASID >> 9, 0..127) to the ASID-pool object that
// serves it (seL4 armKSASIDTable). An ASID pool object's `asid_entries` maps ASID & 511 to the
// VSpace root it is assigned to (seL4 asid_map_vspace). A VSpace root or page-table object's
// `ptes` maps an entry index (0..511) to a `Pte`: a next-level table (a PageTable object) or a
// page (a frame's physical address, rights and attributes). Absent = invalid. Tables hold what
// seL4's memory holds, unreachable leftovers included (a VSpace whose pool was deleted, a table
// whose parent was zeroed): seL4 never cleans them and they can never become reachable again.
//
// A table has no fixed level: a PageTable object is an L1, L2 or L3 table according to where
// PageTable_Map installed it (the first missing level), so a walk carries `bits_left` (39 at the
// root, then 30, 21, 12) as seL4's lookupPTSlot does, and a page entry's size is its level's.
//
// Caps (cap.h `Cap::mapped`): a frame cap is mapped iff seL4's capFMappedASID ≠ 0; a page-table
// or VSpace cap iff its isMapped bit is set. An unmapped cap carries no mapping: the ASID and
// address fields seL4 keeps in an unmapped cap (derive keeps a frame's address, PageTable_Unmap
// keeps both) are never read again, so the abstraction drops them.
//
// Stale caps. seL4 tolerates a mapped cap whose entry has gone (overwritten by another Page_Map,
// zeroed with its table, its VSpace's pool deleted, its ASID reused): every unmap re-walks the
// live tables and compares physical addresses. So the spec states the converse instead (see
// check_vspace_invariants): every entry reachable from a live ASID has a cap recording exactly
// that mapping.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cap.h"

namespace keel::spec {

inline constexpr unsigned kAsidLowBits = 9;   // seL4_ASIDPoolIndexBits
inline constexpr unsigned kAsidHighBits = 7;  // seL4_NumASIDPoolsBits
inline constexpr word_t kAsidPoolSize = word_t{1} << kAsidLowBits;
inline constexpr word_t kNumAsidPools = word_t{1} << kAsidHighBits;
inline constexpr word_t kUserTop = 0x7fff'ffff'ffff;  // seL4_UserTop, the last user address
inline constexpr unsigned kPtIndexBits = 9;           // 512 entries per table
inline constexpr unsigned kRootBitsLeft = 39;         // the VSpace root translates VA bits 47:39

// seL4_ARM_VMAttributes bits the kernel reads.
inline constexpr word_t kAttrCacheable = 1, kAttrExecuteNever = 4;

// One valid translation-table entry.
struct Pte {
  enum class Kind { Table, Page };
  Kind kind = Kind::Page;
  paddr_t addr = 0;                        // Table: the next-level PageTable; Page: the frame
  VmRights rights = VmRights::KernelOnly;  // Page
  bool cacheable = false;                  // Page: Normal write-back, else Device-nGnRnE
  bool execute_never = false;              // Page
  friend bool operator==(const Pte&, const Pte&) = default;

  static Pte table(paddr_t pt) { return {Kind::Table, pt, VmRights::KernelOnly, false, false}; }
  static Pte page(paddr_t frame, VmRights r, word_t attributes) {
    return {Kind::Page, frame, r, (attributes & kAttrCacheable) != 0, (attributes & kAttrExecuteNever) != 0};
  }
  bool is_table() const { return kind == Kind::Table; }
  bool is_page() const { return kind == Kind::Page; }
};
std::string to_string(const Pte& p);

struct State;

// Where a walk stopped (seL4 lookupPTSlot): the entry `index` of `table`, at the level that
// translates VA bits [bits_left + 8 : bits_left].
struct PtSlot {
  paddr_t table = 0;
  word_t index = 0;
  unsigned bits_left = kRootBitsLeft;
};

// seL4 findVSpaceForASID: the VSpace root assigned to `asid`, if its pool is in the table and
// the pool's entry is set (otherwise the lookup failure is InvalidRoot).
std::optional<paddr_t> find_vspace_for_asid(const State& s, word_t asid);
// seL4 lookupPTSlot: descend through table entries from the root until a non-table entry (or
// none) or the last level.
PtSlot lookup_pt_slot(const State& s, paddr_t root, word_t vaddr);
// The valid entry at a slot, or null.
const Pte* pte_at(const State& s, PtSlot slot);

// The unmapping helpers of seL4's vspace.c; each does nothing when the live tables do not hold
// what the (possibly stale) cap says.
void unmap_page(State& s, unsigned size_bits, word_t asid, word_t vaddr, paddr_t frame);
void unmap_page_table(State& s, word_t asid, word_t vaddr, paddr_t pt);
void delete_asid(State& s, word_t asid, paddr_t vspace);
void delete_asid_pool(State& s, word_t asid_base, paddr_t pool);

// seL4 Arch_finaliseCap, called for every deletion of an arch cap: a mapped frame is unmapped on
// every deletion; a page table, VSpace or ASID pool only when `final`.
void finalise_arch_cap(State& s, const Cap& cap, bool final);

// The VSpace invariants (see vspace.cc); appends the problems found.
void check_vspace_invariants(const State& s, std::vector<std::string>& bad);

}  // namespace keel::spec
