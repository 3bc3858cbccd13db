// Untyped_Retype: decode in seL4's check order, then reset (preemptibly) and create objects.
#include "kernel/object/untyped.h"

#include "kernel/lib/mutation.h"

#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/config/config.h"
#include "kernel/lib/preemption.h"
#include "kernel/machine/machine.h"
#include "kernel/object/create.h"

namespace keel {

namespace {

struct RetypeOp {
  Cte* untyped = nullptr;
  bool reset = false;  // no children: zero the used part and start again from the base
  paddr_t base = 0;    // first object, aligned to the object size
  ObjectType type = ObjectType::Untyped;
  word_t user_size = 0;
  Cte* dest = nullptr;  // first destination slot
  word_t count = 0;
  bool is_device = false;
};

struct RetypeArgs {
  ObjectType type;
  word_t user_size;
  word_t object_bits;
};

// Untyped_Retype's message, in libsel4's argument order: the destination CNode is `node_index`
// resolved `node_depth` bits under extra cap 0 (depth 0: extra cap 0 itself).
struct RetypeMessage {
  const Invocation& inv;
  word_t type() const { return inv.mr(0); }
  word_t size_bits() const { return inv.mr(1); }
  cptr_t node_index() const { return inv.mr(2); }
  word_t node_depth() const { return inv.mr(3); }
  word_t node_offset() const { return inv.mr(4); }
  word_t num_objects() const { return inv.mr(5); }
};

// Type and size checks.
Result<RetypeArgs> decode_type_and_size(const RetypeMessage& msg) {
  const word_t type_word = msg.type(), user_size = msg.size_bits();
  if (type_word >= kObjectTypeCount) return SyscallError::invalid_argument(0);
  const ObjectType type = static_cast<ObjectType>(type_word);
  const word_t bits = object_size_bits(type, user_size);
  // seL4: invalid object size (also catches user sizes that would overflow the shift)
  if (user_size >= kWordBits || bits > kMaxUntypedBits) return SyscallError::range(0, kMaxUntypedBits);
  // seL4: CapTable of size 0, Untyped smaller than seL4_MinUntypedBits
  if (type == ObjectType::CapTable && user_size == 0) return SyscallError::invalid_argument(1);
  if (type == ObjectType::Untyped && user_size < kMinUntypedBits) {
    return SyscallError::invalid_argument(1);
  }
  return RetypeArgs{type, user_size, bits};
}

// The destination CNode and the slot window [offset, offset + count), which must be empty.
Result<Cte*> decode_destination(const RetypeMessage& msg, word_t count) {
  const word_t node_depth = msg.node_depth(), offset = msg.node_offset();
  Cap node_cap = msg.inv.extra[0].cap;
  if (node_depth != 0) {
    const Result<Cte*> r = lookup_target_slot(node_cap, msg.node_index(), node_depth);
    if (!r.ok()) return r.error;
    node_cap = r.value->cap;
  }
  if (node_cap.type() != CapType::CNode) {  // seL4: destination cap invalid
    return SyscallError::failed_lookup(
        false, LookupFault{.type = LookupFailureType::MissingCapability, .bits_left = node_depth});
  }
  const word_t node_size = word_t{1} << CNodeCap{node_cap}.radix();
  if (offset > node_size - 1) return SyscallError::range(0, node_size - 1);
  if (count < 1 || count > config::kRetypeFanOutLimit) {
    return SyscallError::range(1, config::kRetypeFanOutLimit);
  }
  word_t room = node_size - offset;
  if (mutant(Mutant::RetypeSlotPastCNode)) ++room;
  if (count > room) return SyscallError::range(1, node_size - offset);
  Cte* slots = ptr_from_paddr<Cte>(CNodeCap{node_cap}.ptr()) + offset;
  for (word_t i = 0; i < count; ++i) {
    const SyscallError e = ensure_empty_slot(slots + i);
    if (e.type != Error::NoError) return e;  // seL4: slot in destination window non-empty
  }
  return slots;
}

Result<RetypeOp> decode_retype(const Invocation& inv) {
  if (inv.op() != Label::UntypedRetype) return SyscallError::of(Error::IllegalOperation);
  if (inv.length < 6 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const RetypeMessage msg{inv};
  const Result<RetypeArgs> args = decode_type_and_size(msg);
  if (!args.ok()) return args.error;
  const word_t count = msg.num_objects();
  const Result<Cte*> dest = decode_destination(msg, count);
  if (!dest.ok()) return dest.error;
  const UntypedCap ut{inv.cap};
  // seL4: an untyped without children allocates from its base again, whatever its free index.
  const bool reset = ensure_no_children(inv.slot).type == Error::NoError;
  const word_t free_index = reset ? 0 : ut.free_index();
  const word_t free_bytes = (word_t{1} << ut.size_bits()) - free_index;
  if ((free_bytes >> args.value.object_bits) < count) return SyscallError::not_enough_memory(free_bytes);
  // seL4: device untypeds hold only frames and untypeds
  if (ut.is_device() && !is_frame_type(args.value.type) && args.value.type != ObjectType::Untyped) {
    return SyscallError::invalid_argument(1);
  }
  return RetypeOp{.untyped = inv.slot,
                  .reset = reset,
                  .base = mutant(Mutant::RetypeBaseUnaligned)
                              ? ut.ptr() + free_index
                              : round_up(ut.ptr() + free_index, unsigned(args.value.object_bits)),
                  .type = args.value.type,
                  .user_size = args.value.user_size,
                  .dest = dest.value,
                  .count = count,
                  .is_device = ut.is_device()};
}

// Zeroes untyped memory that holds no object: live for the kernel's own write, then free again.
void clear_free_memory(paddr_t base, word_t size) {
  machine::mark_memory_live(base, size);
  zero_memory(base, size);
  machine::mark_memory_free(base, size);
}

// seL4 resetUntypedCap: zeroes the used part from the top down in 2^kResetChunkBits chunks,
// lowering the free index after each, so a preempted reset resumes where it stopped.
PerformStatus reset_untyped(Cte* slot) {
  const UntypedCap ut{slot->cap};
  const unsigned chunk = config::kResetChunkBits;
  word_t offset = ut.free_index();
  if (offset == 0) return PerformStatus::Done;
  if (ut.is_device() || ut.size_bits() < chunk) {
    if (!ut.is_device()) clear_free_memory(ut.ptr(), word_t{1} << ut.size_bits());
    slot->cap = ut.with_free_index(0);
    return PerformStatus::Done;
  }
  for (offset = round_down(offset - 1, chunk);; offset -= word_t{1} << chunk) {
    clear_free_memory(ut.ptr() + offset, word_t{1} << chunk);
    slot->cap = ut.with_free_index(offset);
    if (preemption_point()) return PerformStatus::Preempted;
    if (offset == 0) return PerformStatus::Done;
  }
}

PerformStatus perform_retype(const RetypeOp& op) {
  if (op.reset && reset_untyped(op.untyped) == PerformStatus::Preempted) {
    return PerformStatus::Preempted;
  }
  const UntypedCap ut{op.untyped->cap};
  const word_t bits = object_size_bits(op.type, op.user_size);
  word_t watermark = op.base + (op.count << bits) - ut.ptr();
  if (mutant(Mutant::WatermarkOffByOne)) watermark -= word_t{1} << bits;
  op.untyped->cap = ut.with_free_index(watermark);
  for (word_t i = 0; i < op.count; ++i) {
    const Cap cap = create_object(op.type, op.base + (i << bits), op.user_size, op.is_device);
    insert_new_cap(op.untyped, op.dest + i, cap);
  }
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_untyped(const Invocation& inv) {
  return decode_then_perform(inv, decode_retype, perform_retype);
}

}  // namespace keel
