// CNode invocations (reference §6.4): Revoke, Delete, CancelBadgedSends, Copy, Mint, Move,
// Mutate, Rotate, SaveCaller, with the errors in seL4's check order.
#include "cap_algebra.h"
#include "cdt.h"
#include "constants.h"
#include "cspace.h"
#include "endpoint.h"
#include "invocation.h"

namespace keel::spec {

namespace {

bool label_in(word_t label, Label lo, Label hi) {
  return label >= static_cast<word_t>(lo) && label <= static_cast<word_t>(hi);
}

std::optional<SyscallError> ensure_empty_slot(const State& s, SlotRef slot) {
  if (!s.cap_at(slot).is_null()) return SyscallError::of(Error::DeleteFirst);
  return std::nullopt;
}

SyscallError missing_source(bool is_source, word_t depth) {
  return SyscallError::failed_lookup(is_source, LookupFault::missing_capability(depth));
}

// Copy, Mint, Move, Mutate: everything after the target lookup.
InvocationResult copy_mint_move_mutate(State& s, const Invocation& inv, SlotRef dest) {
  if (inv.length < 4 || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  word_t src_index = inv.mrs[2], src_depth = inv.mrs[3];
  const Cap src_root = s.cap_at(inv.extra_caps[0]);
  if (auto e = ensure_empty_slot(s, dest)) return *e;  // seL4: destination occupied
  auto src = lookup_source_slot(s, src_root, src_index, src_depth);
  if (!src.ok()) return src.error();
  SlotRef src_slot = src.value();
  const Cap src_cap = s.cap_at(src_slot);
  if (src_cap.is_null()) return missing_source(true, src_depth);  // seL4: source slot empty

  auto label = static_cast<Label>(inv.label);
  Cap new_cap;
  bool is_move = label == Label::CNodeMove || label == Label::CNodeMutate;
  if (label == Label::CNodeCopy || label == Label::CNodeMint) {
    word_t need = label == Label::CNodeCopy ? 5 : 6;
    if (inv.length < need) return SyscallError::of(Error::TruncatedMessage);
    Cap c = mask_cap_rights(CapRights::from_word(inv.mrs[4]), src_cap);
    if (label == Label::CNodeMint) c = update_cap_data(false, inv.mrs[5], c);
    auto derived = derive_cap(s, src_slot, c);
    if (!derived.ok()) return derived.error();
    new_cap = derived.value();
  } else if (label == Label::CNodeMove) {
    new_cap = src_cap;
  } else {
    if (inv.length < 5) return SyscallError::of(Error::TruncatedMessage);
    new_cap = update_cap_data(true, inv.mrs[4], src_cap);
  }
  if (new_cap.is_null()) return SyscallError::of(Error::IllegalOperation);  // seL4: cap would be invalid

  if (is_move)
    cte_move(s, new_cap, src_slot, dest);
  else
    cte_insert(s, new_cap, src_slot, dest);
  return Done{};
}

InvocationResult rotate(State& s, const Invocation& inv, SlotRef dest) {
  if (inv.length < 8 || inv.extra_caps.size() < 2) return SyscallError::of(Error::TruncatedMessage);
  word_t pivot_data = inv.mrs[2], pivot_index = inv.mrs[3], pivot_depth = inv.mrs[4];
  word_t src_data = inv.mrs[5], src_index = inv.mrs[6], src_depth = inv.mrs[7];
  const Cap pivot_root = s.cap_at(inv.extra_caps[0]);
  const Cap src_root = s.cap_at(inv.extra_caps[1]);
  auto src = lookup_source_slot(s, src_root, src_index, src_depth);
  if (!src.ok()) return src.error();
  auto pivot = lookup_pivot_slot(s, pivot_root, pivot_index, pivot_depth);
  if (!pivot.ok()) return pivot.error();
  SlotRef src_slot = src.value(), pivot_slot = pivot.value();
  // seL4: the pivot must differ from both ends
  if (pivot_slot == src_slot || pivot_slot == dest) return SyscallError::of(Error::IllegalOperation);
  if (src_slot != dest)
    if (auto e = ensure_empty_slot(s, dest)) return *e;
  if (s.cap_at(src_slot).is_null()) return missing_source(true, src_depth);
  if (s.cap_at(pivot_slot).is_null()) return missing_source(false, pivot_depth);
  Cap new_src = update_cap_data(true, src_data, s.cap_at(src_slot));
  Cap new_pivot = update_cap_data(true, pivot_data, s.cap_at(pivot_slot));
  if (new_src.is_null() || new_pivot.is_null()) return SyscallError::of(Error::IllegalOperation);

  if (src_slot == dest) {
    cte_swap(s, new_src, src_slot, new_pivot, pivot_slot);
  } else {
    cte_move(s, new_pivot, pivot_slot, dest);
    cte_move(s, new_src, src_slot, pivot_slot);
  }
  return Done{};
}

InvocationResult save_caller(State& s, const Invocation& inv, SlotRef dest) {
  if (auto e = ensure_empty_slot(s, dest)) return *e;
  SlotRef caller{inv.thread, kTcbCaller};
  const Cap& c = s.cap_at(caller);
  // seL4: no reply cap present is not an error; a master reply cap is never moved.
  if (c.type == CapType::Reply && !c.reply_master) cte_move(s, c, caller, dest);
  return Done{};
}

// seL4: CNode CancelBadgedSends — the target must be an endpoint cap with all four rights;
// an unbadged one cancels nothing (ipc.md §2.9).
InvocationResult invoke_cancel_badged_sends(State& s, SlotRef dest) {
  const Cap c = s.cap_at(dest);
  if (!has_cancel_send_rights(c)) return SyscallError::of(Error::IllegalOperation);
  if (c.badge != 0) cancel_badged_sends(s, c.ptr, c.badge);
  return Done{};
}

}  // namespace

InvocationResult invoke_cnode(State& s, const Invocation& inv) {
  if (!label_in(inv.label, Label::CNodeRevoke, Label::CNodeSaveCaller))
    return SyscallError::of(Error::IllegalOperation);
  if (inv.length < 2) return SyscallError::of(Error::TruncatedMessage);
  auto target = lookup_target_slot(s, inv.cap, inv.mrs[0], inv.mrs[1]);
  if (!target.ok()) return target.error();
  SlotRef dest = target.value();

  // Labels are an open set of numbers, so this dispatch is a chain rather than a switch.
  const auto label = static_cast<Label>(inv.label);
  if (label == Label::CNodeRevoke) {
    cte_revoke(s, dest);
    return Done{};
  }
  if (label == Label::CNodeDelete) {
    cte_delete(s, dest);
    return Done{};
  }
  if (label == Label::CNodeSaveCaller) return save_caller(s, inv, dest);
  if (label == Label::CNodeCancelBadgedSends) return invoke_cancel_badged_sends(s, dest);
  if (label == Label::CNodeRotate) return rotate(s, inv, dest);
  return copy_mint_move_mutate(s, inv, dest);  // Copy, Mint, Move, Mutate
}

}  // namespace keel::spec
