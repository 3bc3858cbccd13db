// The cap algebra (seL4 sameRegionAs, updateCapData, deriveCap, isMDBParentOf, ...).
#include "cap_algebra.h"

#include "cdt.h"
#include "constants.h"

namespace keel::spec {

bool is_physical(const Cap& c) {
  switch (c.type) {
    case CapType::Untyped:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::Zombie:
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidPool: return true;
    case CapType::Null:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal: return false;
  }
  return false;
}

unsigned cap_size_bits(const Cap& c) {
  switch (c.type) {
    case CapType::Untyped:
    case CapType::Frame: return c.size_bits;
    case CapType::Endpoint: return kEndpointBits;
    case CapType::Notification: return kNotificationBits;
    case CapType::CNode: return c.radix + kSlotBits;
    case CapType::Thread: return kTcbBits;
    case CapType::Zombie: return c.zombie_is_tcb ? kTcbBits : c.radix + kSlotBits;
    case CapType::PageTable: return kPageTableBits;
    case CapType::VSpace: return kVSpaceBits;
    case CapType::AsidPool: return kAsidPoolBits;
    case CapType::Null:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal: return 0;
  }
  return 0;
}

// [base, top] with top inclusive, as seL4 compares regions (so a region ending at 2^64 works).
static bool region_contains(paddr_t a_base, unsigned a_bits, paddr_t b_base, unsigned b_bits) {
  paddr_t a_top = a_base + mask_bits(a_bits);
  paddr_t b_top = b_base + mask_bits(b_bits);
  return a_base <= b_base && b_top <= a_top && b_base <= b_top;
}

bool same_region_as(const Cap& a, const Cap& b) {
  switch (a.type) {
    case CapType::Untyped:
      return is_physical(b) && region_contains(a.ptr, a.size_bits, b.ptr, cap_size_bits(b));
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Thread:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidPool: return b.type == a.type && b.ptr == a.ptr;
    case CapType::CNode: return b.type == CapType::CNode && b.ptr == a.ptr && b.radix == a.radix;
    case CapType::Reply: return b.type == CapType::Reply && b.ptr == a.ptr;
    case CapType::Domain:
    case CapType::AsidControl:
    case CapType::Smc:
      return b.type == a.type;  // one authority, whatever the badge
    // IRQControl's region holds the handler and SGI-signal caps it issues.
    case CapType::IrqControl:
      return b.type == CapType::IrqControl || b.type == CapType::IrqHandler || b.type == CapType::SgiSignal;
    case CapType::SgiSignal: return b.type == CapType::SgiSignal && b.irq == a.irq && b.target == a.target;
    case CapType::IrqHandler: return b.type == CapType::IrqHandler && b.irq == a.irq;
    case CapType::Frame:
      return b.type == CapType::Frame && region_contains(a.ptr, a.size_bits, b.ptr, b.size_bits);
    case CapType::Null:
    case CapType::Zombie: return false;
  }
  return false;
}

bool same_object_as(const Cap& a, const Cap& b) {
  // Untyped caps never share an object; IRQControl and SGI-signal caps are never "the same
  // object" as anything (so every SGI-signal cap is final).
  if (a.type == CapType::Untyped || a.type == CapType::IrqControl || a.type == CapType::SgiSignal)
    return false;
  if (a.type == CapType::Frame && b.type == CapType::Frame)
    return a.ptr == b.ptr && a.size_bits == b.size_bits && a.is_device == b.is_device;
  return same_region_as(a, b);
}

Cap update_cap_data(bool preserve, word_t data, const Cap& c) {
  switch (c.type) {
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Smc: {
      // seL4: a badge is set once, only by Mint, only on an unbadged cap.
      if (preserve || c.badge != 0) return Cap::null();
      Cap r = c;
      r.badge = data;
      return r;
    }
    case CapType::CNode: {
      // seL4_CNode_CapData: guard size in bits 5:0, guard in bits 63:6.
      unsigned guard_size = unsigned(data & 0x3f);
      if (guard_size + c.radix > kWordBits) return Cap::null();
      Cap r = c;
      r.guard_size = guard_size;
      r.guard = (data >> 6) & mask_bits(guard_size);
      return r;
    }
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::SgiSignal: return c;
  }
  return c;
}

VmRights mask_vm_rights(VmRights vm, CapRights mask) {
  if (vm == VmRights::ReadOnly && mask.read) return VmRights::ReadOnly;
  if (vm == VmRights::ReadWrite && mask.read) return mask.write ? VmRights::ReadWrite : VmRights::ReadOnly;
  return VmRights::KernelOnly;  // includes the unsupported write-only request
}

Cap mask_cap_rights(CapRights mask, const Cap& c) {
  Cap r = c;
  switch (c.type) {
    case CapType::Endpoint:
    case CapType::Notification:
      r.rights = CapRights{c.rights.write && mask.write, c.rights.read && mask.read,
                           c.rights.grant && mask.grant, c.rights.grant_reply && mask.grant_reply};
      return r;
    case CapType::Reply: r.rights.grant = c.rights.grant && mask.grant; return r;
    case CapType::Frame: r.vm_rights = mask_vm_rights(c.vm_rights, mask); return r;
    case CapType::Null:
    case CapType::Untyped:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::Smc:
    case CapType::SgiSignal: return c;
  }
  return c;
}

std::optional<word_t> cap_badge(const Cap& c) {
  switch (c.type) {
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Smc: return c.badge;
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::SgiSignal: return std::nullopt;
  }
  return std::nullopt;
}

CapClass cap_class(const Cap& c) {
  if (c.type == CapType::Reply) return CapClass::Reply;
  return is_physical(c) ? CapClass::Physical : CapClass::Other;
}

bool has_cancel_send_rights(const Cap& c) {
  return c.type == CapType::Endpoint && c.rights == CapRights::all();
}

bool is_cap_revocable(const Cap& derived, const Cap& src) {
  switch (derived.type) {
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Smc: return derived.badge != src.badge;  // a new badge starts a new revocable subtree
    case CapType::IrqHandler:
    case CapType::SgiSignal: return src.type == CapType::IrqControl;  // issued: an original
    case CapType::Untyped: return true;
    case CapType::Null:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::Zombie:
    case CapType::Domain:
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool: return false;
  }
  return false;
}

bool is_mdb_parent_of(const Slot& a, const Slot& b) {
  if (!a.revocable || !same_region_as(a.cap, b.cap)) return false;
  // An issued SGI-signal cap is parent of its copies, not of another issued one (seL4
  // Arch_isMDBParentOf: not when b is first-badged).
  if (a.cap.type == CapType::SgiSignal) return !b.first_badged;
  if (auto badge = cap_badge(a.cap)) {
    // Badge 0 is the master: parent of everything in its region. A badged original is parent
    // only of its own copies, not of other caps first minted with the same badge.
    if (*badge == 0) return true;
    return cap_badge(b.cap) == badge && !b.first_badged;
  }
  return true;
}

Expected<Cap, SyscallError> derive_cap(const State& s, SlotRef src, const Cap& c) {
  switch (c.type) {
    case CapType::Zombie:
    case CapType::IrqControl:
    case CapType::Reply: return Cap::null();
    case CapType::Untyped:
      // seL4: Copy/Mint of an untyped with children — RevokeFirst
      if (has_children(s, src)) return SyscallError::of(Error::RevokeFirst);
      return c;
    case CapType::PageTable:
    case CapType::VSpace:
      // seL4: deriving an unmapped page-table or VSpace cap — IllegalOperation
      if (!c.mapped) return SyscallError::of(Error::IllegalOperation);
      return c;
    case CapType::Frame: {
      Cap r = c;
      r.mapped.reset();  // a derived frame cap is an unmapped copy
      return r;
    }
    case CapType::Null:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqHandler:
    case CapType::Domain:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::Smc:
    case CapType::SgiSignal: return c;
  }
  return c;
}

bool is_final_cap(const State& s, SlotRef slot) {
  const Cap& c = s.cap_at(slot);
  for (const auto& [ref, other] : s.slots)
    if (ref != slot && same_object_as(c, other.cap)) return false;
  return true;
}

std::optional<paddr_t> cap_object(const Cap& c) {
  switch (c.type) {
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::Zombie:
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidPool: return c.ptr;
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace keel::spec
