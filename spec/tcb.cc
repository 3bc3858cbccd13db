// Thread cap invocations of seL4 16.0.0, non-MCS (reference §6.5, docs/sel4-facts/threads.md §1),
// each with seL4's decode order: Configure, SetSpace, SetIPCBuffer, the priorities, Suspend,
// Resume and the notification binding here; the register invocations in tcb_registers.cc.
//
// As in seL4 the caller is in Restart while an operation is performed (syscall.cc sets it before
// dispatch; no decode check here depends on it), so an operation on the caller itself sees it
// runnable, and one that stops the caller leaves it with no reply.
#include "tcb.h"

#include <array>

#include "cap_algebra.h"
#include "cdt.h"
#include "constants.h"
#include "notification.h"
#include "scheduler.h"

namespace keel::spec {

namespace {

paddr_t target_of(const Invocation& inv) { return inv.cap.ptr; }

SyscallError error(Error e) { return SyscallError::of(e); }

// seL4 checkValidIPCBuffer (reference §2.2): a non-device frame cap, then a 1 KiB-aligned address.
std::optional<SyscallError> check_valid_ipc_buffer(word_t vaddr, const Cap& c) {
  if (c.type != CapType::Frame || c.is_device) return error(Error::IllegalOperation);
  if ((vaddr & mask_bits(kIpcBufferSizeBits)) != 0) return error(Error::AlignmentError);
  return std::nullopt;
}

// (a) of threads.md §1.4: the frame cap for a non-zero buffer address, derived and checked.
Expected<std::optional<NewCap>, SyscallError> decode_ipc_buffer(const State& s, word_t vaddr, SlotRef src) {
  if (vaddr == 0) return std::optional<NewCap>{};  // 0 removes the buffer: the cap is not looked at
  auto derived = derive_cap(s, src, s.cap_at(src));
  if (!derived.ok()) return derived.error();
  if (auto e = check_valid_ipc_buffer(vaddr, derived.value())) return *e;
  return std::optional<NewCap>{NewCap{derived.value(), src}};
}

// seL4 slotCapLongRunningDelete: deleting the final cap to a thread, a CNode or a zombie may take
// many preemptible steps, which Configure and SetSpace refuse to start.
bool slot_cap_long_running_delete(const State& s, SlotRef slot) {
  const Cap& c = s.cap_at(slot);
  if (c.is_null() || !is_final_cap(s, slot)) return false;
  return c.type == CapType::Thread || c.type == CapType::CNode || c.type == CapType::Zombie;
}

// A root cap from an extra cap: cap data applied if non-zero (preserve = false), then derived.
Expected<Cap, SyscallError> derive_root(const State& s, SlotRef src, word_t data) {
  Cap c = s.cap_at(src);
  if (data != 0) c = update_cap_data(false, data, c);
  return derive_cap(s, src, c);
}

struct Spaces {
  NewCap cspace, vspace;
};

// (b), (c), (d) of threads.md §1.4, in that order.
Expected<Spaces, SyscallError> decode_spaces(const State& s, const Invocation& inv, word_t cdata,
                                             word_t vdata) {
  const paddr_t t = target_of(inv);
  // seL4: TCB Configure/SetSpace — replacing the old root would start a long-running deletion
  if (slot_cap_long_running_delete(s, {t, kTcbCTable}) || slot_cap_long_running_delete(s, {t, kTcbVTable}))
    return error(Error::IllegalOperation);
  const SlotRef csrc = inv.extra_caps[0], vsrc = inv.extra_caps[1];
  auto cspace = derive_root(s, csrc, cdata);
  if (!cspace.ok()) return cspace.error();
  // seL4: TCB Configure/SetSpace — the CSpace root is not a CNode cap (a refused guard lands here)
  if (cspace.value().type != CapType::CNode) return error(Error::IllegalOperation);
  auto vspace = derive_root(s, vsrc, vdata);
  if (!vspace.ok()) return vspace.error();
  // seL4: isValidVTableRoot — the VSpace root must be a VSpace cap with an ASID
  if (vspace.value().type != CapType::VSpace || !vspace.value().mapped) return error(Error::IllegalOperation);
  return Spaces{{cspace.value(), csrc}, {vspace.value(), vsrc}};
}

// The new cap goes in only if its source slot still holds a cap to the same object and the
// invoked thread cap is still in its slot: seL4 re-checks both after deleting the old cap, as a
// deletion may in general empty other slots. The deletions here cannot (a long-running one is
// refused, and finalising a VSpace or frame empties no slot), so both hold whenever the
// invocation got this far.
void insert_if_sources_hold(State& s, const Invocation& inv, const NewCap& c, SlotRef dest) {
  if (same_object_as(c.cap, s.cap_at(c.src)) && same_object_as(inv.cap, s.cap_at(inv.slot)))
    cte_insert(s, c.cap, c.src, dest);
}

InvocationResult decode_configure(State& s, const Invocation& inv) {
  // seL4: TCB Configure — four words and three caps (the frame cap even for address 0)
  if (inv.length < 4 || inv.extra_caps.size() < 3) return error(Error::TruncatedMessage);
  const word_t fault_ep = inv.mrs[0], cdata = inv.mrs[1], vdata = inv.mrs[2], vaddr = inv.mrs[3];
  auto frame = decode_ipc_buffer(s, vaddr, inv.extra_caps[2]);
  if (!frame.ok()) return frame.error();
  auto spaces = decode_spaces(s, inv, cdata, vdata);
  if (!spaces.ok()) return spaces.error();
  thread_control_space(s, inv, fault_ep, spaces.value().cspace, spaces.value().vspace);
  thread_control_ipc_buffer(s, inv, vaddr, frame.value());
  return Done{};
}

InvocationResult decode_set_space(State& s, const Invocation& inv) {
  // seL4: TCB SetSpace — three words and two caps
  if (inv.length < 3 || inv.extra_caps.size() < 2) return error(Error::TruncatedMessage);
  auto spaces = decode_spaces(s, inv, inv.mrs[1], inv.mrs[2]);
  if (!spaces.ok()) return spaces.error();
  // No rescheduleRequired: a thread giving itself a new VSpace keeps the old one until switched.
  thread_control_space(s, inv, inv.mrs[0], spaces.value().cspace, spaces.value().vspace);
  return Done{};
}

InvocationResult decode_set_ipc_buffer(State& s, const Invocation& inv) {
  // seL4: TCB SetIPCBuffer — the address word and the frame cap must both be there, even to remove.
  if (inv.length < 1 || inv.extra_caps.empty()) return error(Error::TruncatedMessage);
  auto frame = decode_ipc_buffer(s, inv.mrs[0], inv.extra_caps[0]);
  if (!frame.ok()) return frame.error();
  thread_control_ipc_buffer(s, inv, inv.mrs[0], frame.value());
  return Done{};
}

// The authority thread (cap0) of SetPriority, SetMCPriority and SetSchedParams: its MCP bounds
// what may be set, never the caller's or the target's own.
Expected<const Thread*, SyscallError> authority(const State& s, const Invocation& inv, word_t min_length) {
  // seL4: TCB SetPriority/SetMCPriority/SetSchedParams — the words or the authority cap missing
  if (inv.length < min_length || inv.extra_caps.empty()) return error(Error::TruncatedMessage);
  const Cap& c = s.cap_at(inv.extra_caps[0]);
  // seL4: TCB SetPriority/SetMCPriority/SetSchedParams — the authority is not a thread cap
  if (c.type != CapType::Thread) return SyscallError::invalid_capability(1);
  return s.thread(c.ptr);
}

// seL4 checkPrio: the whole word, against the authority's MCP.
std::optional<SyscallError> check_prio(word_t prio, const Thread& auth) {
  if (prio > auth.mcp) return SyscallError::range(0, auth.mcp);
  return std::nullopt;
}

InvocationResult decode_set_priority(State& s, const Invocation& inv) {
  auto auth = authority(s, inv, 1);
  if (!auth.ok()) return auth.error();
  if (auto e = check_prio(inv.mrs[0], *auth.value())) return *e;
  set_priority(s, target_of(inv), inv.mrs[0]);
  return Done{};
}

InvocationResult decode_set_mc_priority(State& s, const Invocation& inv) {
  auto auth = authority(s, inv, 1);
  if (!auth.ok()) return auth.error();
  if (auto e = check_prio(inv.mrs[0], *auth.value())) return *e;
  s.thread(target_of(inv))->mcp = inv.mrs[0];  // seL4 setMCPriority: the priority is not clamped
  return Done{};
}

InvocationResult decode_set_sched_params(State& s, const Invocation& inv) {
  auto auth = authority(s, inv, 2);
  if (!auth.ok()) return auth.error();
  const word_t mcp = inv.mrs[0], prio = inv.mrs[1];
  if (auto e = check_prio(mcp, *auth.value())) return *e;  // the MCP is checked first
  if (auto e = check_prio(prio, *auth.value())) return *e;
  s.thread(target_of(inv))->mcp = mcp;  // then stored first, so prio may end above the new MCP
  set_priority(s, target_of(inv), prio);
  return Done{};
}

// Suspend and Resume have no decode checks at all: no length, and the caller may name itself.
// A target blocked in IPC has its IPC cancelled first (suspend, restart: endpoint.h cancel_ipc).
InvocationResult invoke_suspend(State& s, const Invocation& inv) {
  suspend(s, target_of(inv));
  return Done{};
}

InvocationResult invoke_resume(State& s, const Invocation& inv) {
  restart(s, target_of(inv));  // a running or restarting thread (the caller itself) is left alone
  return Done{};
}

InvocationResult decode_bind_notification(State& s, const Invocation& inv) {
  // seL4: TCB BindNotification — no notification cap (the length is not checked)
  if (inv.extra_caps.empty()) return error(Error::TruncatedMessage);
  const paddr_t t = target_of(inv);
  // seL4: TCB BindNotification — the thread is bound already
  if (s.thread(t)->bound_notification) return error(Error::IllegalOperation);
  const Cap& c = s.cap_at(inv.extra_caps[0]);
  // seL4: TCB BindNotification — not a notification cap (IllegalOperation, not InvalidCapability)
  if (c.type != CapType::Notification) return error(Error::IllegalOperation);
  // seL4: TCB BindNotification — the cap cannot receive
  if (!c.rights.read) return error(Error::IllegalOperation);
  // seL4: TCB BindNotification — the notification has waiters or is bound already
  const Object& n = s.objects.at(c.ptr);
  if (n.ntfn_state == NotificationState::Waiting || n.bound_tcb) return error(Error::IllegalOperation);
  bind_notification(s, t, c.ptr);  // a pending signal is not delivered now
  return Done{};
}

InvocationResult decode_unbind_notification(State& s, const Invocation& inv) {
  // seL4: TCB UnbindNotification — the thread is not bound
  if (!s.thread(target_of(inv))->bound_notification) return error(Error::IllegalOperation);
  unbind_notification(s, target_of(inv));
  return Done{};
}

using Decoder = InvocationResult (*)(State&, const Invocation&);

// Labels TCBReadRegisters (2) .. TCBSetFlags (16), in order.
constexpr std::array<Decoder, 15> kDecoders = {
    decode_read_registers,      decode_write_registers, decode_copy_registers,   decode_configure,
    decode_set_priority,        decode_set_mc_priority, decode_set_sched_params, decode_set_ipc_buffer,
    decode_set_space,           invoke_suspend,         invoke_resume,           decode_bind_notification,
    decode_unbind_notification, decode_set_tls_base,    decode_set_flags,
};
constexpr word_t kFirstTcbLabel = static_cast<word_t>(Label::TCBReadRegisters);
static_assert(kFirstTcbLabel + kDecoders.size() - 1 == static_cast<word_t>(Label::TCBSetFlags));

}  // namespace

void thread_control_space(State& s, const Invocation& inv, cptr_t fault_handler, const NewCap& cspace,
                          const NewCap& vspace) {
  const paddr_t t = target_of(inv);
  s.thread(t)->fault_handler = fault_handler;
  cte_delete(s, {t, kTcbCTable});
  insert_if_sources_hold(s, inv, cspace, {t, kTcbCTable});
  cte_delete(s, {t, kTcbVTable});
  insert_if_sources_hold(s, inv, vspace, {t, kTcbVTable});
}

void thread_control_ipc_buffer(State& s, const Invocation& inv, word_t vaddr,
                               const std::optional<NewCap>& frame) {
  const paddr_t t = target_of(inv);
  cte_delete(s, {t, kTcbBuffer});
  s.thread(t)->ipc_buffer_vaddr = vaddr;
  if (frame) insert_if_sources_hold(s, inv, *frame, {t, kTcbBuffer});
  if (s.cur_thread == t) reschedule_required(s);
}

InvocationResult invoke_tcb(State& s, const Invocation& inv) {
  // seL4: TCB invocation — any other label (a domain or CNode label included)
  if (inv.label < kFirstTcbLabel || inv.label - kFirstTcbLabel >= kDecoders.size())
    return SyscallError::of(Error::IllegalOperation);
  return kDecoders[inv.label - kFirstTcbLabel](s, inv);
}

}  // namespace keel::spec
