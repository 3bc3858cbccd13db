// The AArch64 VSpace (docs/sel4-facts/vspace.md §3–§6): walks, PageTable, Page, VSpace, ASID
// control and ASID pool invocations with seL4's checks in seL4's order, and the unmapping that
// finalisation does. The model is described in vspace.h.
#include "vspace.h"

#include <cstdio>
#include <set>
#include <tuple>

#include "cap_algebra.h"
#include "cdt.h"
#include "constants.h"
#include "cspace.h"
#include "invocation.h"

namespace keel::spec {

namespace {

word_t pt_index(word_t vaddr, unsigned bits_left) { return (vaddr >> bits_left) & mask_bits(kPtIndexBits); }

const std::map<word_t, Pte>* entries_of(const State& s, paddr_t table) {
  auto it = s.objects.find(table);
  return it == s.objects.end() ? nullptr : &it->second.ptes;
}

SyscallError invalid_root() { return SyscallError::failed_lookup(false, LookupFault::invalid_root()); }

bool label_in(word_t label, Label lo, Label hi) {
  return label >= static_cast<word_t>(lo) && label <= static_cast<word_t>(hi);
}

}  // namespace

std::string to_string(const Pte& p) {
  static const char* const rights[] = {"KernelOnly", "ReadOnly", "ReadWrite"};
  char buf[96];
  if (p.is_table()) {
    std::snprintf(buf, sizeof buf, "table 0x%llx", static_cast<unsigned long long>(p.addr));
  } else {
    std::snprintf(buf, sizeof buf, "page 0x%llx %s%s%s", static_cast<unsigned long long>(p.addr),
                  rights[static_cast<int>(p.rights)], p.cacheable ? " cacheable" : " uncached",
                  p.execute_never ? " xn" : "");
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Walks

std::optional<paddr_t> find_vspace_for_asid(const State& s, word_t asid) {
  auto pool = s.asid_table.find(asid >> kAsidLowBits);
  if (pool == s.asid_table.end()) return std::nullopt;
  auto obj = s.objects.find(pool->second);
  if (obj == s.objects.end()) return std::nullopt;
  auto e = obj->second.asid_entries.find(asid & mask_bits(kAsidLowBits));
  if (e == obj->second.asid_entries.end()) return std::nullopt;
  return e->second;
}

PtSlot lookup_pt_slot(const State& s, paddr_t root, word_t vaddr) {
  PtSlot slot{root, pt_index(vaddr, kRootBitsLeft), kRootBitsLeft};
  for (;;) {
    const Pte* e = pte_at(s, slot);
    if (!e || !e->is_table() || slot.bits_left == kPageBits) return slot;
    slot.table = e->addr;
    slot.bits_left -= kPtIndexBits;
    slot.index = pt_index(vaddr, slot.bits_left);
  }
}

const Pte* pte_at(const State& s, PtSlot slot) {
  const auto* entries = entries_of(s, slot.table);
  if (!entries) return nullptr;
  auto it = entries->find(slot.index);
  return it == entries->end() ? nullptr : &it->second;
}

static void clear_pte(State& s, PtSlot slot) { s.objects.at(slot.table).ptes.erase(slot.index); }

// ---------------------------------------------------------------------------------------------
// Unmapping and finalisation (facts §3.5, §6)

// seL4 unmapPage: only if the walk stops at the frame's level on a page of this frame.
void unmap_page(State& s, unsigned size_bits, word_t asid, word_t vaddr, paddr_t frame) {
  auto root = find_vspace_for_asid(s, asid);
  if (!root) return;
  PtSlot slot = lookup_pt_slot(s, *root, vaddr);
  if (slot.bits_left != size_bits) return;
  const Pte* e = pte_at(s, slot);
  if (!e || !e->is_page() || e->addr != frame) return;
  clear_pte(s, slot);  // seL4 also invalidates the TLB entry for (asid, vaddr)
}

// seL4 unmapPageTable: follow vaddr's table entries from the root (at most three steps) until the
// current table is `pt`, then clear the entry that led there. Tables and pages inside `pt` stay.
void unmap_page_table(State& s, word_t asid, word_t vaddr, paddr_t pt) {
  auto root = find_vspace_for_asid(s, asid);
  if (!root) return;
  paddr_t table = *root;
  std::optional<PtSlot> via;
  for (unsigned bits = kRootBitsLeft; bits > kPageBits && table != pt; bits -= kPtIndexBits) {
    PtSlot slot{table, pt_index(vaddr, bits), bits};
    const Pte* e = pte_at(s, slot);
    if (!e || !e->is_table()) return;
    via = slot;
    table = e->addr;
  }
  if (table != pt || !via) return;
  clear_pte(s, *via);  // seL4 also invalidates the TLB for the whole ASID
}

// seL4 deleteASID: clear the pool entry if it still names this VSpace.
void delete_asid(State& s, word_t asid, paddr_t vspace) {
  auto pool = s.asid_table.find(asid >> kAsidLowBits);
  if (pool == s.asid_table.end()) return;
  auto& entries = s.objects.at(pool->second).asid_entries;
  auto e = entries.find(asid & mask_bits(kAsidLowBits));
  if (e != entries.end() && e->second == vspace) entries.erase(e);
}

// seL4 deleteASIDPool: clear the table slot if it still names this pool. The pool's entries are
// left as they were (the pool object goes away with its last cap anyway).
void delete_asid_pool(State& s, word_t asid_base, paddr_t pool) {
  auto it = s.asid_table.find(asid_base >> kAsidLowBits);
  if (it != s.asid_table.end() && it->second == pool) s.asid_table.erase(it);
}

// The cap types that name no page-table state, listed once for the -Wswitch-enum switches below.
#define SPEC_NON_MMU_CAP_TYPES \
  case CapType::Smc:           \
  case CapType::SgiSignal:     \
  case CapType::Null:          \
  case CapType::Untyped:       \
  case CapType::Endpoint:      \
  case CapType::Notification:  \
  case CapType::Reply:         \
  case CapType::CNode:         \
  case CapType::Thread:        \
  case CapType::IrqControl:    \
  case CapType::IrqHandler:    \
  case CapType::Zombie:        \
  case CapType::Domain

void finalise_arch_cap(State& s, const Cap& cap, bool final) {
  switch (cap.type) {
    case CapType::Frame:
      if (cap.mapped) unmap_page(s, cap.size_bits, cap.mapped->asid, cap.mapped->vaddr, cap.ptr);
      return;
    case CapType::PageTable:
      if (final && cap.mapped) unmap_page_table(s, cap.mapped->asid, cap.mapped->vaddr, cap.ptr);
      return;
    case CapType::VSpace:
      if (final && cap.mapped) delete_asid(s, cap.mapped->asid, cap.ptr);
      return;
    case CapType::AsidPool:
      if (final) delete_asid_pool(s, cap.asid_base, cap.ptr);
      return;
    case CapType::AsidControl:
    SPEC_NON_MMU_CAP_TYPES:
      return;  // names no page-table state
  }
}

// ---------------------------------------------------------------------------------------------
// PageTable (facts §5.1, §5.2)

namespace {

// The VSpace named by a mapped VSpace cap, checked as Page_Map and PageTable_Map check it after
// the cap's type: its ASID must resolve (FailedLookup InvalidRoot) to this very root
// (InvalidCapability(1)).
Expected<paddr_t, SyscallError> vspace_of(const State& s, const Cap& vs) {
  auto root = find_vspace_for_asid(s, vs.mapped->asid);
  if (!root) return invalid_root();
  if (*root != vs.ptr) return SyscallError::invalid_capability(1);
  return *root;
}

InvocationResult page_table_unmap(State& s, const Invocation& inv) {
  if (!is_final_cap(s, inv.slot)) return SyscallError::of(Error::RevokeFirst);
  const Cap& pt = inv.cap;
  if (pt.mapped) {
    unmap_page_table(s, pt.mapped->asid, pt.mapped->vaddr, pt.ptr);
    s.objects.at(pt.ptr).ptes.clear();  // seL4 zeroes the table even when the entry was gone
  }
  s.slots.at(inv.slot).cap.mapped.reset();
  return Done{};
}

InvocationResult page_table_map(State& s, const Invocation& inv) {
  if (inv.length < 2 || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  if (inv.cap.mapped) return SyscallError::invalid_capability(0);
  const word_t vaddr = inv.mrs[0];  // MR1 (attributes) is read by nobody
  const Cap vs = s.cap_at(inv.extra_caps[0]);
  if (vs.type != CapType::VSpace || !vs.mapped) return SyscallError::invalid_capability(1);
  if (vaddr > kUserTop) return SyscallError::invalid_argument(0);
  auto root = vspace_of(s, vs);
  if (!root.ok()) return root.error();
  const PtSlot slot = lookup_pt_slot(s, root.value(), vaddr);
  if (slot.bits_left == kPageBits || pte_at(s, slot)) return SyscallError::of(Error::DeleteFirst);

  // Installed at the first missing level; the cap records the base of the region that slot covers.
  s.slots.at(inv.slot).cap.mapped = Mapping{vs.mapped->asid, vaddr & ~mask_bits(slot.bits_left)};
  s.objects.at(slot.table).ptes[slot.index] = Pte::table(inv.cap.ptr);
  return Done{};
}

}  // namespace

InvocationResult invoke_page_table(State& s, const Invocation& inv) {
  if (inv.label == static_cast<word_t>(Label::ARMPageTableUnmap)) return page_table_unmap(s, inv);
  if (inv.label != static_cast<word_t>(Label::ARMPageTableMap))
    return SyscallError::of(Error::IllegalOperation);
  return page_table_map(s, inv);
}

// ---------------------------------------------------------------------------------------------
// Page (facts §5.3–§5.6)

namespace {

InvocationResult page_map(State& s, const Invocation& inv) {
  if (inv.length < 3 || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  const Cap& frame = inv.cap;
  const word_t vaddr = inv.mrs[0], attributes = inv.mrs[2];
  const VmRights rights = mask_vm_rights(frame.vm_rights, CapRights::from_word(inv.mrs[1]));
  const Cap vs = s.cap_at(inv.extra_caps[0]);
  if (vs.type != CapType::VSpace || !vs.mapped) return SyscallError::invalid_capability(1);
  auto root = vspace_of(s, vs);
  if (!root.ok()) return root.error();
  const word_t asid = vs.mapped->asid;
  if ((vaddr & mask_bits(frame.size_bits)) != 0) return SyscallError::of(Error::AlignmentError);
  if (frame.mapped) {
    // A mapped cap may only be mapped again where it is (a remap changes rights or attributes).
    if (frame.mapped->asid != asid) return SyscallError::invalid_capability(1);
    if (frame.mapped->vaddr != vaddr) return SyscallError::invalid_argument(0);
  } else if (vaddr + mask_bits(frame.size_bits) > kUserTop) {
    return SyscallError::invalid_argument(0);
  }
  const PtSlot slot = lookup_pt_slot(s, root.value(), vaddr);
  if (slot.bits_left != frame.size_bits)
    return SyscallError::failed_lookup(false, LookupFault::missing_capability(slot.bits_left));

  // No occupancy check: whatever page was in the slot is replaced.
  s.slots.at(inv.slot).cap.mapped = Mapping{asid, vaddr};
  s.objects.at(slot.table).ptes[slot.index] = Pte::page(frame.ptr, rights, attributes);
  return Done{};
}

InvocationResult page_unmap(State& s, const Invocation& inv) {
  const Cap& frame = inv.cap;
  if (frame.mapped) unmap_page(s, frame.size_bits, frame.mapped->asid, frame.mapped->vaddr, frame.ptr);
  s.slots.at(inv.slot).cap.mapped.reset();
  return Done{};
}

// Clean, Invalidate, CleanInvalidate, Unify on the frame's own mapping: checks only, the cache
// maintenance itself changes no abstract state.
InvocationResult page_flush(const State& s, const Invocation& inv) {
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  const Cap& frame = inv.cap;
  if (!frame.mapped) return SyscallError::of(Error::IllegalOperation);
  auto root = find_vspace_for_asid(s, frame.mapped->asid);
  if (!root) return invalid_root();
  const word_t start = inv.mrs[0], end = inv.mrs[1], size = word_t{1} << frame.size_bits;
  if (end <= start) return SyscallError::invalid_argument(1);
  if (start >= size || end > size) return SyscallError::invalid_argument(0);
  const PtSlot slot = lookup_pt_slot(s, *root, frame.mapped->vaddr);
  const Pte* e = pte_at(s, slot);
  if (slot.bits_left != frame.size_bits || !e || !e->is_page() || e->addr != frame.ptr)
    return SyscallError::invalid_capability(0);  // seL4: stale mapping
  if (inv.label == static_cast<word_t>(Label::ARMPageInvalidate_Data) && e->rights != VmRights::ReadWrite)
    return SyscallError::of(Error::IllegalOperation);
  return Done{};
}

}  // namespace

// Labels are an open set of numbers, so this dispatch is a chain rather than a switch.
InvocationResult invoke_page(State& s, const Invocation& inv) {
  if (inv.label == static_cast<word_t>(Label::ARMPageMap)) return page_map(s, inv);
  if (inv.label == static_cast<word_t>(Label::ARMPageUnmap)) return page_unmap(s, inv);
  if (label_in(inv.label, Label::ARMPageClean_Data, Label::ARMPageUnify_Instruction))
    return page_flush(s, inv);
  if (inv.label == static_cast<word_t>(Label::ARMPageGetAddress)) return Done{{inv.cap.ptr}, std::nullopt};
  return SyscallError::of(Error::IllegalOperation);
}

// ---------------------------------------------------------------------------------------------
// VSpace flushes (facts §5.7): checks only.

InvocationResult invoke_vspace(State& s, const Invocation& inv) {
  if (!label_in(inv.label, Label::ARMVSpaceClean_Data, Label::ARMVSpaceUnify_Instruction))
    return SyscallError::of(Error::IllegalOperation);
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  const word_t start = inv.mrs[0], end = inv.mrs[1];
  if (end <= start) return SyscallError::invalid_argument(1);
  if (end > kUserTop) return SyscallError::of(Error::IllegalOperation);
  const Cap& vs = inv.cap;
  if (!vs.mapped) return SyscallError::invalid_capability(0);
  auto root = find_vspace_for_asid(s, vs.mapped->asid);
  if (!root) return invalid_root();
  if (*root != vs.ptr) return SyscallError::invalid_capability(0);
  const PtSlot slot = lookup_pt_slot(s, *root, start);
  const Pte* e = pte_at(s, slot);
  if (!e || !e->is_page()) return Done{};  // nothing mapped at start: nothing to do
  const word_t page_base = start & ~mask_bits(slot.bits_left);
  if (((end - 1) & ~mask_bits(slot.bits_left)) != page_base)
    return SyscallError::range(start, page_base + mask_bits(slot.bits_left));
  if (inv.label == static_cast<word_t>(Label::ARMVSpaceInvalidate_Data) && e->rights != VmRights::ReadWrite)
    return SyscallError::of(Error::IllegalOperation);
  return Done{};
}

// ---------------------------------------------------------------------------------------------
// ASID control and ASID pools (facts §5.8, §5.9)

InvocationResult invoke_asid_control(State& s, const Invocation& inv) {
  if (inv.label != static_cast<word_t>(Label::ARMASIDControlMakePool))
    return SyscallError::of(Error::IllegalOperation);
  if (inv.length < 2 || inv.extra_caps.size() < 2) return SyscallError::of(Error::TruncatedMessage);
  const word_t index = inv.mrs[0], depth = inv.mrs[1];
  word_t pool = 0;
  while (pool < kNumAsidPools && s.asid_table.count(pool)) ++pool;  // the lowest free pool number
  if (pool == kNumAsidPools) return SyscallError::of(Error::DeleteFirst);
  const SlotRef ut_slot = inv.extra_caps[0];
  const Cap ut = s.cap_at(ut_slot);
  if (ut.type != CapType::Untyped || ut.size_bits != kAsidPoolBits || ut.is_device)
    return SyscallError::invalid_capability(1);
  if (has_children(s, ut_slot)) return SyscallError::of(Error::RevokeFirst);
  auto dest = lookup_target_slot(s, s.cap_at(inv.extra_caps[1]), index, depth);
  if (!dest.ok()) return dest.error();
  if (!s.cap_at(dest.value()).is_null()) return SyscallError::of(Error::DeleteFirst);

  // The untyped is used up by the pool, whose cap becomes the untyped's child.
  s.slots.at(ut_slot).cap.free_index = word_t{1} << ut.size_bits;
  Object o;
  o.kind = ObjectKind::AsidPool, o.size_bits = kAsidPoolBits;
  s.objects[ut.ptr] = o;
  cte_insert(s, Cap::asid_pool(ut.ptr, pool << kAsidLowBits), ut_slot, dest.value());
  s.asid_table[pool] = ut.ptr;
  return Done{};
}

InvocationResult invoke_asid_pool(State& s, const Invocation& inv) {
  if (inv.label != static_cast<word_t>(Label::ARMASIDPoolAssign))
    return SyscallError::of(Error::IllegalOperation);
  if (inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);  // no length check
  const SlotRef vs_slot = inv.extra_caps[0];
  const Cap vs = s.cap_at(vs_slot);
  if (vs.type != CapType::VSpace || vs.mapped) return SyscallError::invalid_capability(1);
  const word_t base = inv.cap.asid_base;
  auto pool = s.asid_table.find(base >> kAsidLowBits);
  if (pool == s.asid_table.end()) return invalid_root();
  if (pool->second != inv.cap.ptr) return SyscallError::invalid_capability(0);  // a stale pool cap
  auto& entries = s.objects.at(pool->second).asid_entries;
  word_t i = 0;
  while (i < kAsidPoolSize && (base + i == 0 || entries.count(i))) ++i;  // the lowest free ASID, never 0
  if (i == kAsidPoolSize) return SyscallError::of(Error::DeleteFirst);

  s.slots.at(vs_slot).cap.mapped = Mapping{base + i, 0};
  entries[i] = vs.ptr;
  return Done{};
}

// seL4 decodeARMMMUInvocation: by the invoked cap's type.
InvocationResult invoke_arch_mmu(State& s, const Invocation& inv) {
  switch (inv.cap.type) {
    case CapType::Frame: return invoke_page(s, inv);
    case CapType::PageTable: return invoke_page_table(s, inv);
    case CapType::VSpace: return invoke_vspace(s, inv);
    case CapType::AsidControl: return invoke_asid_control(s, inv);
    case CapType::AsidPool:
      return invoke_asid_pool(s, inv);
    SPEC_NON_MMU_CAP_TYPES:
      break;  // dispatch never sends these here
  }
  return SyscallError::of(Error::IllegalOperation);
}

// ---------------------------------------------------------------------------------------------
// Invariants
//
// 1. Fields: entries only in tables, pool entries only in pools, indices below 512, a VSpace
//    root only below index 256 (user addresses end at 2^47); mapped caps carry an ASID ≠ 0 below
//    2^16 and an address that is aligned, user and (VSpace) zero; pool caps a multiple of 512.
// 2. ASID table: pool numbers below 128, each naming a live pool whose caps carry that base,
//    no pool twice; while the table is modelled (non-empty), every live pool is in it.
// 3. Live pools (those in the table): no entry for ASID 0; each entry names a live VSpace with
//    a cap assigned that ASID; no VSpace assigned twice.
// 4. Tables reachable from a live ASID: a table entry names a live PageTable (never at the last
//    level) installed nowhere else reachable, with a cap mapped at exactly (ASID, region base);
//    a page entry has a frame cap of the level's size mapped at exactly (ASID, vaddr).
// Mapped caps whose entry is gone are stale, which seL4 allows (vspace.h).

namespace {

std::string hex(word_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The mappings mapped caps record: (type, object, ASID, vaddr, frame size).
using MappedCaps = std::set<std::tuple<CapType, paddr_t, word_t, word_t, unsigned>>;

MappedCaps mapped_caps(const State& s) {
  MappedCaps out;
  for (const auto& [ref, sl] : s.slots) {
    const Cap& c = sl.cap;
    if (c.mapped)
      out.emplace(c.type, c.ptr, c.mapped->asid, c.mapped->vaddr, c.type == CapType::Frame ? c.size_bits : 0);
  }
  return out;
}

void check_cap_fields(const State& s, std::vector<std::string>& bad) {
  for (const auto& [ref, sl] : s.slots) {
    const Cap& c = sl.cap;
    const std::string where = "slot " + to_string(ref) + ": ";
    if (c.type == CapType::AsidPool && (c.asid_base & mask_bits(kAsidLowBits)) != 0)
      bad.push_back(where + "ASID pool base not a multiple of 512");
    if (!c.mapped) continue;
    const word_t asid = c.mapped->asid, vaddr = c.mapped->vaddr;
    if (asid == 0 || asid >= kNumAsidPools * kAsidPoolSize)
      bad.push_back(where + "mapped with ASID " + hex(asid));
    if (c.type == CapType::Frame &&
        ((vaddr & mask_bits(c.size_bits)) != 0 || vaddr + mask_bits(c.size_bits) > kUserTop))
      bad.push_back(where + "frame mapped at " + hex(vaddr));
    if (c.type == CapType::PageTable && ((vaddr & mask_bits(kLargePageBits)) != 0 || vaddr > kUserTop))
      bad.push_back(where + "page table mapped at " + hex(vaddr));
    if (c.type == CapType::VSpace && vaddr != 0) bad.push_back(where + "VSpace with an address");
  }
}

void check_object_fields(const State& s, std::vector<std::string>& bad) {
  for (const auto& [p, o] : s.objects) {
    const bool table = o.kind == ObjectKind::PageTable || o.kind == ObjectKind::VSpace;
    if (!table && !o.ptes.empty()) bad.push_back("object " + hex(p) + " is no table but has entries");
    if (o.kind != ObjectKind::AsidPool && !o.asid_entries.empty())
      bad.push_back("object " + hex(p) + " is no ASID pool but has ASID entries");
    const word_t limit =
        o.kind == ObjectKind::VSpace ? (kUserTop >> kRootBitsLeft) + 1 : word_t{1} << kPtIndexBits;
    if (!o.ptes.empty() && o.ptes.rbegin()->first >= limit)
      bad.push_back("object " + hex(p) + " has an entry at index " + std::to_string(o.ptes.rbegin()->first));
    if (!o.asid_entries.empty() && o.asid_entries.rbegin()->first >= kAsidPoolSize)
      bad.push_back("ASID pool " + hex(p) + " has an entry beyond 511");
  }
}

bool is_live(const State& s, paddr_t p, ObjectKind k) {
  auto it = s.objects.find(p);
  return it != s.objects.end() && it->second.kind == k;
}

void check_asid_table(const State& s, std::vector<std::string>& bad) {
  std::multimap<paddr_t, std::pair<SlotRef, word_t>> pool_caps;  // pool → (slot, base)
  for (const auto& [ref, sl] : s.slots)
    if (sl.cap.type == CapType::AsidPool) pool_caps.emplace(sl.cap.ptr, std::pair{ref, sl.cap.asid_base});
  std::set<paddr_t> pools;
  for (const auto& [n, pool] : s.asid_table) {
    const std::string where = "ASID table [" + std::to_string(n) + "]: ";
    if (n >= kNumAsidPools) bad.push_back(where + "beyond 127");
    if (!is_live(s, pool, ObjectKind::AsidPool)) bad.push_back(where + "no live ASID pool at " + hex(pool));
    if (!pools.insert(pool).second) bad.push_back(where + "pool " + hex(pool) + " is in the table twice");
    for (auto [it, end] = pool_caps.equal_range(pool); it != end; ++it)
      if (it->second.second != n << kAsidLowBits)
        bad.push_back(where + "pool cap in " + to_string(it->second.first) + " has base " +
                      hex(it->second.second));
  }
  for (const auto& [p, o] : s.objects)
    if (o.kind == ObjectKind::AsidPool && !pools.count(p))
      bad.push_back("ASID pool " + hex(p) + " is not in the table");
}

// A walk over the tables reachable from one assigned ASID.
struct Reach {
  const State& s;
  const MappedCaps& caps;
  std::vector<std::string>& bad;
  std::map<paddr_t, std::string> seen;  // every table reached, and where

  void table(paddr_t t, word_t asid, word_t base, unsigned bits_left, const std::string& where) {
    if (auto [it, fresh] = seen.emplace(t, where); !fresh) {
      bad.push_back("table " + hex(t) + " is installed at " + it->second + " and at " + where);
      return;
    }
    const auto* entries = entries_of(s, t);
    if (!entries) return;
    for (const auto& [i, e] : *entries) {
      const word_t va = base | (i << bits_left);
      const std::string at =
          "ASID " + hex(asid) + " vaddr " + hex(va) + " (bits left " + std::to_string(bits_left) + ")";
      if (e.is_page()) {
        if (!caps.count({CapType::Frame, e.addr, asid, va, bits_left}))
          bad.push_back("page " + hex(e.addr) + " at " + at + " has no frame cap mapped there");
        continue;
      }
      if (bits_left == kPageBits) {
        bad.push_back("a table entry at the last level, " + at);
      } else if (!is_live(s, e.addr, ObjectKind::PageTable)) {
        bad.push_back("the table entry at " + at + " names no live page table: " + hex(e.addr));
      } else {
        if (!caps.count({CapType::PageTable, e.addr, asid, va, 0}))
          bad.push_back("page table " + hex(e.addr) + " at " + at + " has no cap mapped there");
        table(e.addr, asid, va, bits_left - kPtIndexBits, at);
      }
    }
  }
};

void check_pools_and_tables(const State& s, std::vector<std::string>& bad) {
  std::map<paddr_t, word_t> assigned;  // VSpace → ASID
  const MappedCaps caps = mapped_caps(s);
  Reach reach{s, caps, bad, {}};
  for (const auto& [n, pool] : s.asid_table) {
    auto o = s.objects.find(pool);
    if (o == s.objects.end()) continue;
    for (const auto& [i, vs] : o->second.asid_entries) {
      const word_t asid = (n << kAsidLowBits) | i;
      if (asid == 0) bad.push_back("ASID 0 is assigned");
      if (!is_live(s, vs, ObjectKind::VSpace)) {
        bad.push_back("ASID " + hex(asid) + " names no live VSpace: " + hex(vs));
        continue;
      }
      if (auto [it, fresh] = assigned.emplace(vs, asid); !fresh)
        bad.push_back("VSpace " + hex(vs) + " has ASIDs " + hex(it->second) + " and " + hex(asid));
      if (!caps.count({CapType::VSpace, vs, asid, 0, 0}))
        bad.push_back("VSpace " + hex(vs) + " has no cap assigned ASID " + hex(asid));
      reach.table(vs, asid, 0, kRootBitsLeft, "the root of ASID " + hex(asid));
    }
  }
}

}  // namespace

void check_vspace_invariants(const State& s, std::vector<std::string>& bad) {
  check_cap_fields(s, bad);
  check_object_fields(s, bad);
  check_asid_table(s, bad);
  check_pools_and_tables(s, bad);
}

}  // namespace keel::spec
