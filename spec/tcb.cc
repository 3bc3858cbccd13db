// Thread cap invocations (reference §6.5): TCB_SetIPCBuffer with seL4's decode order; every other
// label is refused as keel refuses it today.
#include "cap_algebra.h"
#include "cdt.h"
#include "constants.h"
#include "invocation.h"

namespace keel::spec {

namespace {

// seL4 checkValidIPCBuffer (reference §2.2): a non-device frame cap, then a 1 KiB-aligned address.
std::optional<SyscallError> check_valid_ipc_buffer(word_t vaddr, const Cap& c) {
  if (c.type != CapType::Frame || c.is_device) return SyscallError::of(Error::IllegalOperation);
  if ((vaddr & mask_bits(kIpcBufferSizeBits)) != 0) return SyscallError::of(Error::AlignmentError);
  return std::nullopt;
}

// The target's buffer slot is emptied (finalising the frame if that was its last cap), the
// address is set, and the new cap goes in only if the frame's source slot and the invoked
// thread cap's slot still hold what they held: seL4 re-checks both after the deletion because
// deleting can empty other slots in general (deleting a frame cap cannot, so here both hold).
void set_ipc_buffer(State& s, const Invocation& inv, word_t vaddr, const std::optional<Cap>& frame,
                    SlotRef src) {
  const SlotRef buffer_slot{inv.cap.ptr, kTcbBuffer};
  cte_delete(s, buffer_slot);
  Thread* t = s.thread(inv.cap.ptr);
  if (t == nullptr) return;
  t->ipc_buffer_vaddr = vaddr;
  if (frame && same_object_as(*frame, s.cap_at(src)) && same_object_as(inv.cap, s.cap_at(inv.slot)))
    cte_insert(s, *frame, src, buffer_slot);
}

InvocationResult decode_set_ipc_buffer(State& s, const Invocation& inv) {
  // seL4: TCB SetIPCBuffer — the address word and the frame cap must both be there, even to remove.
  if (inv.length < 1 || inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  const word_t vaddr = inv.mrs[0];
  const SlotRef src = inv.extra_caps[0];
  std::optional<Cap> frame;
  if (vaddr != 0) {  // 0 removes the buffer: the cap is not looked at
    auto derived = derive_cap(s, src, s.cap_at(src));
    if (!derived.ok()) return derived.error();
    if (auto e = check_valid_ipc_buffer(vaddr, derived.value())) return *e;
    frame = derived.value();
  }
  set_ipc_buffer(s, inv, vaddr, frame, src);
  return Done{};
}

}  // namespace

InvocationResult invoke_tcb(State& s, const Invocation& inv) {
  if (inv.label == static_cast<word_t>(Label::TCBSetIPCBuffer)) return decode_set_ipc_buffer(s, inv);
  // Labels 2..16 (ReadRegisters .. SetFlags, reference §6.5) are the kernel's but not yet the
  // spec's; seL4 refuses every other label.
  if (inv.label >= static_cast<word_t>(Label::TCBReadRegisters) &&
      inv.label <= static_cast<word_t>(Label::TCBSetFlags))
    return NotSpecified{"TCB invocation"};
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel::spec
