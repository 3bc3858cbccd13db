// CNode invocations: one decode per operation (read-only), then one perform (seL4 cnode.c).
#include "kernel/object/cnode.h"

#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/endpoint.h"

namespace keel {

namespace {

struct CNodeOp {
  enum class Kind { Revoke, Delete, CancelBadgedSends, Insert, Move, Rotate, SaveCaller };
  Kind kind = Kind::Delete;
  Cap cap1;  // Insert/Move: the new cap; Rotate: new source cap; CancelBadgedSends: the ep cap
  Cap cap2;  // Rotate: new pivot cap
  Cte* src = nullptr;
  Cte* pivot = nullptr;
  Cte* dest = nullptr;
};

using Kind = CNodeOp::Kind;

// The message of every CNode invocation starts with the destination (libsel4's argument order).
struct CNodeMessage {
  const Invocation& inv;
  cptr_t dest_index() const { return inv.mr(0); }
  word_t dest_depth() const { return inv.mr(1); }
};

// Copy, Mint, Move, Mutate: the source under extra cap 0, then rights and data.
struct CopyMessage : CNodeMessage {
  cptr_t src_index() const { return inv.mr(2); }
  word_t src_depth() const { return inv.mr(3); }
  CapRights rights() const { return CapRights::from_word(inv.mr(4)); }  // Copy, Mint
  word_t mutate_data() const { return inv.mr(4); }                      // Mutate
  word_t mint_badge() const { return inv.mr(5); }                       // Mint
};

// Rotate: dest gets the pivot's cap (with pivot_data), the pivot gets the source's (src_data);
// the pivot lives under extra cap 0, the source under extra cap 1.
struct RotateMessage : CNodeMessage {
  word_t pivot_data() const { return inv.mr(2); }
  cptr_t pivot_index() const { return inv.mr(3); }
  word_t pivot_depth() const { return inv.mr(4); }
  word_t src_data() const { return inv.mr(5); }
  cptr_t src_index() const { return inv.mr(6); }
  word_t src_depth() const { return inv.mr(7); }
};

SyscallError truncated() { return SyscallError::of(Error::TruncatedMessage); }
SyscallError illegal() { return SyscallError::of(Error::IllegalOperation); }
SyscallError source_missing(bool is_source, word_t depth) {
  return SyscallError::failed_lookup(
      is_source, LookupFault{.type = LookupFailureType::MissingCapability, .bits_left = depth});
}

// Copy's and Mint's source cap with the message's rights mask applied.
Cap masked_source(const CopyMessage& msg, const Cte* src) {
  return mutant(Mutant::MintIgnoresRights) ? src->cap : mask_cap_rights(msg.rights(), src->cap);
}

// The new cap of Copy/Mint/Mutate (Move keeps the cap as it is).
Result<Cap> new_cap_for(const Invocation& inv, Label label, const Cte* src) {
  const CopyMessage msg{inv};
  if (label == Label::CNodeCopy) {
    if (inv.length < 5) return truncated();  // seL4: CNode Copy — truncated message
    return derive_cap(src, masked_source(msg, src));
  }
  if (label == Label::CNodeMint) {
    if (inv.length < 6) return truncated();  // seL4: CNode Mint — truncated message
    const Cap masked = masked_source(msg, src);
    return derive_cap(src, update_cap_data(false, msg.mint_badge(), masked));
  }
  if (label == Label::CNodeMutate) {
    if (inv.length < 5) return truncated();  // seL4: CNode Mutate — truncated message
    return update_cap_data(true, msg.mutate_data(), src->cap);
  }
  return src->cap;  // Move
}

// Copy, Mint, Move, Mutate: seL4 checks the destination is empty before it even looks up
// the source (sel4test relies on DeleteFirst winning).
Result<CNodeOp> decode_copy_like(const Invocation& inv, Label label, Cte* dest) {
  if (inv.length < 4 || inv.num_extra < 1) return truncated();
  const SyscallError occupied = ensure_empty_slot(dest);
  if (occupied.type != Error::NoError) return occupied;  // seL4: destination not empty
  const CopyMessage msg{inv};
  const word_t src_depth = msg.src_depth();
  const Result<Cte*> src = lookup_source_slot(inv.extra[0].cap, msg.src_index(), src_depth);
  if (!src.ok()) return src.error;
  if (src.value->cap.is_null()) return source_missing(true, src_depth);  // seL4: source empty
  const Result<Cap> made = new_cap_for(inv, label, src.value);
  if (!made.ok()) return made.error;
  if (made.value.is_null()) return illegal();  // seL4: mutated cap would be invalid
  const bool is_move = label == Label::CNodeMove || label == Label::CNodeMutate;
  return CNodeOp{
      .kind = is_move ? Kind::Move : Kind::Insert, .cap1 = made.value, .src = src.value, .dest = dest};
}

// Rotate: checks in seL4's order (source, pivot, distinct slots, empty dest, non-empty caps).
Result<CNodeOp> decode_rotate(const Invocation& inv, Cte* dest) {
  if (inv.length < 8 || inv.num_extra < 2) return truncated();
  const RotateMessage msg{inv};
  const word_t pivot_depth = msg.pivot_depth(), src_depth = msg.src_depth();
  const Result<Cte*> src = lookup_source_slot(inv.extra[1].cap, msg.src_index(), src_depth);
  if (!src.ok()) return src.error;
  const Result<Cte*> pivot = lookup_pivot_slot(inv.extra[0].cap, msg.pivot_index(), pivot_depth);
  if (!pivot.ok()) return pivot.error;
  // seL4: pivot slot the same as source or dest slot
  if (pivot.value == src.value || pivot.value == dest) return illegal();
  if (src.value != dest) {
    const SyscallError occupied = ensure_empty_slot(dest);
    if (occupied.type != Error::NoError) return occupied;
  }
  if (src.value->cap.is_null()) return source_missing(true, src_depth);
  if (pivot.value->cap.is_null()) return source_missing(false, pivot_depth);  // seL4: source 0
  const Cap new_src = update_cap_data(true, msg.src_data(), src.value->cap);
  const Cap new_pivot = update_cap_data(true, msg.pivot_data(), pivot.value->cap);
  if (new_src.is_null() || new_pivot.is_null()) return illegal();
  return CNodeOp{.kind = Kind::Rotate,
                 .cap1 = new_src,
                 .cap2 = new_pivot,
                 .src = src.value,
                 .pivot = pivot.value,
                 .dest = dest};
}

Result<CNodeOp> decode_save_caller(Cte* dest) {
  const SyscallError occupied = ensure_empty_slot(dest);
  if (occupied.type != Error::NoError) return occupied;
  return CNodeOp{.kind = Kind::SaveCaller, .dest = dest};
}

Result<CNodeOp> decode_cancel_badged_sends(Cte* dest) {
  if (!has_cancel_send_rights(dest->cap)) return illegal();  // seL4: target cap invalid
  return CNodeOp{.kind = Kind::CancelBadgedSends, .cap1 = dest->cap, .dest = dest};
}

Result<CNodeOp> decode_cnode(const Invocation& inv) {
  const Label label = inv.op();
  if (inv.label < word_t(Label::CNodeRevoke) || inv.label > word_t(Label::CNodeSaveCaller)) {
    return illegal();
  }
  if (inv.length < 2) return truncated();
  const CNodeMessage msg{inv};
  const Result<Cte*> target = lookup_target_slot(inv.cap, msg.dest_index(), msg.dest_depth());
  if (!target.ok()) return target.error;
  Cte* dest = target.value;
  // Labels are an open set of numbers, so this dispatch is a chain rather than a switch.
  if (label == Label::CNodeRevoke) return CNodeOp{.kind = Kind::Revoke, .dest = dest};
  if (label == Label::CNodeDelete) return CNodeOp{.kind = Kind::Delete, .dest = dest};
  if (label == Label::CNodeCancelBadgedSends) return decode_cancel_badged_sends(dest);
  if (label == Label::CNodeRotate) return decode_rotate(inv, dest);
  if (label == Label::CNodeSaveCaller) return decode_save_caller(dest);
  return decode_copy_like(inv, label, dest);  // Copy, Mint, Move, Mutate
}

void perform_save_caller(Tcb* thread, Cte* dest) {
  Cte* caller = thread->slot(kTcbCaller);
  // seL4: an empty caller slot is a no-op; a master reply cap is never moved.
  if (caller->cap.type() == CapType::Reply && !ReplyCap{caller->cap}.is_master()) {
    cte_move(caller->cap, caller, dest);
  }
}

PerformStatus perform_cnode(Tcb* thread, const CNodeOp& op) {
  switch (op.kind) {
    case Kind::Revoke: return cte_revoke(op.dest);
    case Kind::Delete: return cte_delete(op.dest, true);
    case Kind::CancelBadgedSends: {
      const EndpointCap ep{op.cap1};
      if (ep.badge() != 0) cancel_badged_sends(ep.ptr(), ep.badge());
      return PerformStatus::Done;
    }
    case Kind::Insert: cte_insert(op.cap1, op.src, op.dest); return PerformStatus::Done;
    case Kind::Move: cte_move(op.cap1, op.src, op.dest); return PerformStatus::Done;
    case Kind::Rotate:
      if (op.src == op.dest) {
        cte_swap(op.cap1, op.src, op.cap2, op.pivot);
      } else {
        cte_move(op.cap2, op.pivot, op.dest);
        cte_move(op.cap1, op.src, op.pivot);
      }
      return PerformStatus::Done;
    case Kind::SaveCaller: perform_save_caller(thread, op.dest); return PerformStatus::Done;
  }
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_cnode(const Invocation& inv) {
  return decode_then_perform(inv, decode_cnode,
                             [&inv](const CNodeOp& op) { return perform_cnode(inv.thread, op); });
}

}  // namespace keel
