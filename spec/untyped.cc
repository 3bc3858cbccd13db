// Untyped_Retype (reference §6.3): checks in seL4's order, object placement and the new caps.
//
// An untyped cap's free_index is the number of bytes already handed out from its base. Retype on
// an untyped with no children starts again from the base (seL4 resets it); otherwise it
// continues at free_index. Objects go back to back from the free pointer aligned up to the object
// size; their caps fill consecutive destination slots as original children of the untyped.
#include "cap_algebra.h"
#include "cdt.h"
#include "constants.h"
#include "cspace.h"
#include "invocation.h"

namespace keel::spec {

namespace {

bool is_frame_type(ObjectType t) {
  return t == ObjectType::SmallPage || t == ObjectType::LargePage || t == ObjectType::HugePage;
}

// log2 of one object's size; user_size is the caller's size_bits argument (may be huge).
word_t object_size_bits(ObjectType t, word_t user_size) {
  switch (t) {
    case ObjectType::Untyped: return user_size;
    case ObjectType::TCB: return kTcbBits;
    case ObjectType::Endpoint: return kEndpointBits;
    case ObjectType::Notification: return kNotificationBits;
    case ObjectType::CapTable: return user_size + kSlotBits;
    case ObjectType::HugePage: return kHugePageBits;
    case ObjectType::VSpace: return kVSpaceBits;
    case ObjectType::SmallPage: return kPageBits;
    case ObjectType::LargePage: return kLargePageBits;
    case ObjectType::PageTable: return kPageTableBits;
  }
  return 0;
}

// seL4 createObject: the new object (if it is one) and the cap that names it.
Cap create_object(State& s, ObjectType t, paddr_t p, unsigned user_size, bool device) {
  unsigned bits = unsigned(object_size_bits(t, user_size));
  auto add = [&](ObjectKind k) {
    Object o;
    o.kind = k, o.size_bits = bits;
    if (k == ObjectKind::Frame) o.is_device = device;
    if (k == ObjectKind::CNode) o.radix = user_size;
    if (k == ObjectKind::Tcb) {  // seL4 createObject + Arch_initContext (threads.md §6)
      o.tcb.domain = s.cur_domain, o.tcb.time_slice = kTimeSlice;
      o.tcb.regs[kRegSpsr] = kPstateUser;
    }
    s.objects[p] = o;
  };
  switch (t) {
    case ObjectType::Untyped: return Cap::untyped(p, user_size, device, 0);
    case ObjectType::TCB: add(ObjectKind::Tcb); return Cap::thread(p);
    case ObjectType::Endpoint: add(ObjectKind::Endpoint); return Cap::endpoint(p, 0, CapRights::all());
    case ObjectType::Notification: add(ObjectKind::Notification); return Cap::notification(p, 0, true, true);
    case ObjectType::CapTable: add(ObjectKind::CNode); return Cap::cnode(p, user_size, 0, 0);
    case ObjectType::HugePage:
    case ObjectType::SmallPage:
    case ObjectType::LargePage:
      add(ObjectKind::Frame);
      return Cap::frame(p, bits, VmRights::ReadWrite, device);
    case ObjectType::VSpace: add(ObjectKind::VSpace); return Cap::vspace(p);
    case ObjectType::PageTable: add(ObjectKind::PageTable); return Cap::page_table(p);
  }
  return Cap::null();
}

struct RetypeArgs {
  ObjectType type;
  word_t user_size, obj_bits;
  SlotRef dest_node;  // the slot holding the destination CNode cap
  word_t offset, count;
};

// Argument and destination checks, in seL4's order.
Expected<RetypeArgs, SyscallError> decode_retype_args(const State& s, const Invocation& inv) {
  if (inv.label != static_cast<word_t>(Label::UntypedRetype))
    return SyscallError::of(Error::IllegalOperation);
  if (inv.length < 6 || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  word_t type = inv.mrs[0], user_size = inv.mrs[1], node_index = inv.mrs[2], node_depth = inv.mrs[3];
  word_t offset = inv.mrs[4], count = inv.mrs[5];
  if (type >= kObjectTypeCount) return SyscallError::invalid_argument(0);
  auto t = static_cast<ObjectType>(type);
  if (user_size >= kWordBits || object_size_bits(t, user_size) > kMaxUntypedBits)
    return SyscallError::range(0, kMaxUntypedBits);
  if (t == ObjectType::CapTable && user_size == 0) return SyscallError::invalid_argument(1);
  if (t == ObjectType::Untyped && user_size < kMinUntypedBits) return SyscallError::invalid_argument(1);

  SlotRef dest_node = inv.extra_caps[0];  // node_depth 0: cap0 itself is the destination CNode
  if (node_depth != 0) {
    auto r = lookup_target_slot(s, s.cap_at(inv.extra_caps[0]), node_index, node_depth);
    if (!r.ok()) return r.error();
    dest_node = r.value();
  }
  const Cap& node = s.cap_at(dest_node);
  if (node.type != CapType::CNode)
    return SyscallError::failed_lookup(false, LookupFault::missing_capability(node_depth));
  word_t node_size = word_t{1} << node.radix;
  if (offset > node_size - 1) return SyscallError::range(0, node_size - 1);
  if (count < 1 || count > kRetypeFanOutLimit) return SyscallError::range(1, kRetypeFanOutLimit);
  if (count > node_size - offset) return SyscallError::range(1, node_size - offset);
  for (word_t i = offset; i < offset + count; ++i)
    if (!s.cap_at(SlotRef{node.ptr, i}).is_null()) return SyscallError::of(Error::DeleteFirst);
  return RetypeArgs{t, user_size, object_size_bits(t, user_size), dest_node, offset, count};
}

paddr_t align_up(paddr_t p, word_t bits) {
  return (p + mask_bits(unsigned(bits))) & ~mask_bits(unsigned(bits));
}

}  // namespace

InvocationResult invoke_untyped(State& s, const Invocation& inv) {
  auto decoded = decode_retype_args(s, inv);
  if (!decoded.ok()) return decoded.error();
  const RetypeArgs a = decoded.value();
  const Cap ut = inv.cap;
  // seL4: an untyped without children is reset, so allocation starts at its base again.
  word_t free_index = has_children(s, inv.slot) ? ut.free_index : 0;
  word_t free_bytes = (word_t{1} << ut.size_bits) - free_index;
  if ((free_bytes >> a.obj_bits) < a.count) return SyscallError::not_enough_memory(free_bytes);
  if (ut.is_device && !is_frame_type(a.type) && a.type != ObjectType::Untyped)
    return SyscallError::invalid_argument(1);  // seL4: only frames and untypeds from device memory

  paddr_t base = align_up(ut.ptr + free_index, a.obj_bits);
  Slot& src = s.slots.at(inv.slot);
  src.cap.free_index = base + (a.count << a.obj_bits) - ut.ptr;
  paddr_t dest_cnode = s.cap_at(a.dest_node).ptr;
  for (word_t i = 0; i < a.count; ++i) {
    Cap c = create_object(s, a.type, base + (i << a.obj_bits), unsigned(a.user_size), ut.is_device);
    insert_new_cap(s, inv.slot, SlotRef{dest_cnode, a.offset + i}, c);
  }
  return Done{};
}

}  // namespace keel::spec
