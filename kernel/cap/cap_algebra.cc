// The generic cap algebra (seL4 objecttype.c / cnode.c semantics); arch tags forward to the twins.
#include "kernel/cap/cap_algebra.h"

#include "kernel/api/object_type.h"
#include "kernel/cap/arch_cap_algebra.h"
#include "kernel/cap/mdb.h"
#include "kernel/object/create.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/irq.h"
#include "kernel/object/notification.h"
#include "kernel/object/tcb.h"

namespace keel {

// Arch tags, listed in every generic switch to satisfy -Wswitch-enum.
#define KEEL_ARCH_CAP_TYPES  \
  case CapType::Frame:       \
  case CapType::PageTable:   \
  case CapType::VSpace:      \
  case CapType::AsidControl: \
  case CapType::AsidPool:    \
  case CapType::Smc:         \
  case CapType::SgiSignal

bool cap_is_physical(Cap cap) {
  switch (cap.type()) {
    case CapType::Untyped:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::Zombie: return true;
    case CapType::Null:
    case CapType::Reply:  // non-MCS reply caps name a TCB, not memory of their own
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
      return false;
    KEEL_ARCH_CAP_TYPES:
      return arch_cap_is_physical(cap);
  }
  return false;
}

unsigned cap_size_bits(Cap cap) {
  switch (cap.type()) {
    case CapType::Untyped: return UntypedCap{cap}.size_bits();
    case CapType::Endpoint: return kEndpointBits;
    case CapType::Notification: return kNotificationBits;
    case CapType::CNode: return CNodeCap{cap}.radix() + kSlotBits;
    case CapType::Thread: return kTcbBits;
    case CapType::Zombie: {
      const ZombieCap z{cap};
      return z.is_tcb() ? kTcbBits : z.radix() + kSlotBits;
    }
    case CapType::Null:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
      return 0;
    KEEL_ARCH_CAP_TYPES:
      return arch_cap_size_bits(cap);
  }
  return 0;
}

paddr_t cap_object_ptr(Cap cap) {
  switch (cap.type()) {
    case CapType::Untyped: return UntypedCap{cap}.ptr();
    case CapType::Endpoint: return EndpointCap{cap}.ptr();
    case CapType::Notification: return NotificationCap{cap}.ptr();
    case CapType::CNode: return CNodeCap{cap}.ptr();
    case CapType::Thread: return ThreadCap{cap}.ptr();
    case CapType::Zombie: return ZombieCap{cap}.ptr();
    case CapType::Null:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
      return 0;
    KEEL_ARCH_CAP_TYPES:
      return arch_cap_ptr(cap);
  }
  return 0;
}

CapClass cap_class(Cap cap) {
  if (cap.type() == CapType::Reply) return CapClass::Reply;
  return cap_is_physical(cap) ? CapClass::Physical : CapClass::Other;
}

CapBadge cap_badge(Cap cap) {
  switch (cap.type()) {
    case CapType::Endpoint: return CapBadge{true, EndpointCap{cap}.badge()};
    case CapType::Notification: return CapBadge{true, NotificationCap{cap}.badge()};
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
      return CapBadge{};
    KEEL_ARCH_CAP_TYPES:
      return arch_cap_badge(cap);
  }
  return CapBadge{};
}

Result<Cap> derive_cap(const Cte* slot, Cap cap) {
  switch (cap.type()) {
    case CapType::Zombie:
    case CapType::IrqControl:
    case CapType::Reply: return Cap::null();  // seL4: these never derive
    case CapType::Untyped: {
      // seL4: an untyped with children cannot be copied (its free index would be shared).
      const SyscallError e = ensure_no_children(slot);
      if (e.type != Error::NoError) return e;
      return cap;
    }
    case CapType::Null:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqHandler:
    case CapType::Domain:
      return cap;
    KEEL_ARCH_CAP_TYPES:
      return arch_derive_cap(cap);
  }
  return Cap::null();
}

namespace {

FinaliseResult removed() { return FinaliseResult{Cap::null(), Cap::null()}; }

// Caps whose deletion may need the slot to become a Zombie (not allowed when exposed).
FinaliseResult finalise_container(Cap cap, bool final) {
  switch (cap.type()) {
    case CapType::CNode: {
      if (!final) return removed();
      const CNodeCap c{cap};
      return FinaliseResult{ZombieCap::make(c.ptr(), false, c.radix(), word_t{1} << c.radix()), Cap::null()};
    }
    case CapType::Thread: {
      if (!final) return removed();
      finalise_thread(ThreadCap{cap}.ptr());
      return FinaliseResult{ZombieCap::make(ThreadCap{cap}.ptr(), true, 0, kTcbNumSlots), Cap::null()};
    }
    case CapType::Zombie: return FinaliseResult{cap, Cap::null()};
    case CapType::IrqHandler:
      if (!final) return removed();
      deleting_irq_handler(IrqHandlerCap{cap}.irq());
      return FinaliseResult{Cap::null(), cap};  // the IRQ is released once the slot is empty
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::Domain:
      return removed();
    KEEL_ARCH_CAP_TYPES:
      return removed();
  }
  return removed();
}

}  // namespace

FinaliseResult finalise_cap(Cap cap, bool final, bool exposed) {
  switch (cap.type()) {
    case CapType::Endpoint:
      if (final) finalise_endpoint(EndpointCap{cap}.ptr());
      return removed();
    case CapType::Notification:
      if (final) finalise_notification(NotificationCap{cap}.ptr());
      return removed();
    case CapType::Reply:
    case CapType::Null:
    case CapType::Domain: return removed();
    case CapType::Untyped:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
      // seL4 calls these with exposed = true only for caps that finalise at once (reply,
      // endpoint, ...); anything else would be a kernel bug, so keep the safe answer.
      (void)exposed;
      return finalise_container(cap, final);
    KEEL_ARCH_CAP_TYPES:
      return arch_finalise_cap(cap, final);
  }
  return removed();
}

namespace {

bool untyped_contains(UntypedCap a, Cap b) {
  if (!cap_is_physical(b)) return false;
  const word_t a_base = a.ptr(), b_base = cap_object_ptr(b);
  const word_t a_top = a_base + mask_bits(a.size_bits());
  const word_t b_top = b_base + mask_bits(cap_size_bits(b));
  return a_base <= b_base && b_top <= a_top && b_base <= b_top;
}

}  // namespace

bool same_region_as(Cap a, Cap b) {
  const CapType tb = b.type();
  switch (a.type()) {
    case CapType::Untyped: return untyped_contains(UntypedCap{a}, b);
    case CapType::Endpoint: return tb == CapType::Endpoint && EndpointCap{a}.ptr() == EndpointCap{b}.ptr();
    case CapType::Notification:
      return tb == CapType::Notification && NotificationCap{a}.ptr() == NotificationCap{b}.ptr();
    case CapType::CNode:
      return tb == CapType::CNode && CNodeCap{a}.ptr() == CNodeCap{b}.ptr() &&
             CNodeCap{a}.radix() == CNodeCap{b}.radix();
    case CapType::Thread: return tb == CapType::Thread && ThreadCap{a}.ptr() == ThreadCap{b}.ptr();
    case CapType::Reply: return tb == CapType::Reply && ReplyCap{a}.tcb() == ReplyCap{b}.tcb();
    case CapType::Domain: return tb == CapType::Domain;
    // seL4: IRQControl's region holds every handler and (Arch_isIRQControlDescendant) every
    // SGI-signal cap, so the caps it issues are its children.
    case CapType::IrqControl:
      return tb == CapType::IrqControl || tb == CapType::IrqHandler || tb == CapType::SgiSignal;
    case CapType::IrqHandler:
      return tb == CapType::IrqHandler && IrqHandlerCap{a}.irq() == IrqHandlerCap{b}.irq();
    case CapType::Null:
    case CapType::Zombie:
      return false;
    KEEL_ARCH_CAP_TYPES:
      return is_arch_cap_type(tb) && arch_same_region_as(a, b);
  }
  return false;
}

bool same_object_as(Cap a, Cap b) {
  switch (a.type()) {
    case CapType::Untyped:
    case CapType::IrqControl: return false;  // seL4: never "the same object" as anything
    case CapType::Null:
    case CapType::Endpoint:
    case CapType::Notification:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
      return same_region_as(a, b);
    KEEL_ARCH_CAP_TYPES:
      return is_arch_cap_type(b.type()) ? arch_same_object_as(a, b) : same_region_as(a, b);
  }
  return false;
}

Cap update_cap_data(bool preserve, word_t data, Cap cap) {
  switch (cap.type()) {
    case CapType::Endpoint:
      if (!preserve && EndpointCap{cap}.badge() == 0) return EndpointCap{cap}.with_badge(data);
      return Cap::null();
    case CapType::Notification:
      if (!preserve && NotificationCap{cap}.badge() == 0) return NotificationCap{cap}.with_badge(data);
      return Cap::null();
    case CapType::CNode: {
      // seL4_CNode_CapData: guard size in bits 5:0, guard in bits 63:6.
      const unsigned guard_size = unsigned(data & 0x3f);
      if (guard_size + CNodeCap{cap}.radix() > kWordBits) return Cap::null();
      return CNodeCap{cap}.with_guard((data >> 6) & mask_bits(guard_size), guard_size);
    }
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
      return cap;
    KEEL_ARCH_CAP_TYPES:
      return arch_update_cap_data(preserve, data, cap);
  }
  return cap;
}

Cap mask_cap_rights(CapRights rights, Cap cap) {
  switch (cap.type()) {
    case CapType::Endpoint: return EndpointCap{cap}.with_rights(EndpointCap{cap}.rights() & rights);
    case CapType::Notification: {
      // Notifications keep only send (write) and receive (read).
      const CapRights r = NotificationCap{cap}.rights() & rights;
      return NotificationCap{cap}.with_rights(CapRights{r.write, r.read, false, false});
    }
    case CapType::Reply: {
      const ReplyCap r{cap};
      return ReplyCap::make(r.tcb(), r.is_master(), r.can_grant() && rights.grant);
    }
    case CapType::Null:
    case CapType::Untyped:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
      return cap;
    KEEL_ARCH_CAP_TYPES:
      return arch_mask_cap_rights(rights, cap);
  }
  return cap;
}

bool is_cap_revocable(Cap new_cap, Cap src_cap) {
  switch (new_cap.type()) {
    case CapType::Endpoint:
    case CapType::Notification: return cap_badge(new_cap).value != cap_badge(src_cap).value;
    case CapType::IrqHandler: return src_cap.type() == CapType::IrqControl;
    case CapType::Untyped: return true;
    case CapType::Null:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::Zombie:
    case CapType::Domain:
      return false;
    KEEL_ARCH_CAP_TYPES:
      return arch_is_cap_revocable(new_cap, src_cap);
  }
  return false;
}

bool is_mdb_parent_of(const Cte* a, const Cte* b) {
  if (!a->mdb.revocable()) return false;
  if (!same_region_as(a->cap, b->cap)) return false;
  const bool b_first = b->mdb.first_badged();
  switch (a->cap.type()) {
    case CapType::Endpoint:
    case CapType::Notification:
      return badge_parent_rule(cap_badge(a->cap).value, cap_badge(b->cap).value, b_first);
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::CNode:
    case CapType::Thread:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Zombie:
    case CapType::Domain:
      return true;
    KEEL_ARCH_CAP_TYPES:
      return arch_is_mdb_parent_of(a->cap, b->cap, b_first);
  }
  return true;
}

bool has_cancel_send_rights(Cap cap) {
  return cap.type() == CapType::Endpoint && EndpointCap{cap}.rights() == CapRights::all();
}

#undef KEEL_ARCH_CAP_TYPES

}  // namespace keel
