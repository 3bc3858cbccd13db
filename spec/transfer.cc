// The message transfer: registers, buffer words and at most one cap (ipc.md §2.4, §2.5).
#include "transfer.h"

#include "cap_algebra.h"
#include "cdt.h"
#include "cspace.h"
#include "fault.h"
#include "ipc_buffer.h"
#include "step.h"

namespace keel::spec {

namespace {

// seL4 copyMRs: MR0..3 register to register, the rest buffer to buffer only when both buffers
// exist; returns the number of words copied.
word_t copy_mrs(State& s, paddr_t sender, const std::optional<IpcBuffer>& send_buf, paddr_t receiver,
                const std::optional<IpcBuffer>& recv_buf, word_t n) {
  word_t i = 0;
  for (; i < n && i < kMsgRegisters; ++i)
    reg_x(*s.thread(receiver), 2 + unsigned(i)) = reg_x(*s.thread(sender), 2 + unsigned(i));
  if (!send_buf || !recv_buf) return i;
  for (; i < n; ++i) set_buffer_word(s, *recv_buf, i + 1, buffer_word(s, *send_buf, i + 1));
  return i;
}

// seL4 getReceiveSlots: words 125..127 of the receiver's buffer name an empty slot as a CNode
// operation names its target (the root looked up at 64 bits in the receiver's CSpace); any
// failure means no slot.
std::optional<SlotRef> get_receive_slot(const State& s, paddr_t receiver, const IpcBuffer& buf) {
  auto root = lookup_slot(s, receiver, buffer_word(s, buf, kIpcBufferReceiveCNodeWord));
  if (!root.ok()) return std::nullopt;
  auto slot =
      lookup_target_slot(s, s.cap_at(root.value()), buffer_word(s, buf, kIpcBufferReceiveCNodeWord + 1),
                         buffer_word(s, buf, kIpcBufferReceiveCNodeWord + 2));
  if (!slot.ok() || !s.cap_at(slot.value()).is_null()) return std::nullopt;
  return slot.value();
}

// seL4 transferCaps: caps to the endpoint the message goes through are unwrapped (their badge in
// caps_or_badges[i]); any other cap is derived into the one receive slot, as a child of its
// source. The first cap that cannot go stops the loop; extraCaps counts the caps before it.
MessageInfo transfer_caps(State& s, MessageInfo info, const std::vector<SlotRef>& caps,
                          std::optional<paddr_t> ep, paddr_t receiver,
                          const std::optional<IpcBuffer>& recv_buf) {
  info.extra_caps = 0, info.caps_unwrapped = 0;
  if (caps.empty() || !recv_buf) return info;
  std::optional<SlotRef> dest = get_receive_slot(s, receiver, *recv_buf);
  word_t i = 0;
  for (; i < caps.size(); ++i) {
    const Cap cap = s.cap_at(caps[i]);
    if (cap.type == CapType::Endpoint && ep && cap.ptr == *ep) {
      set_buffer_word(s, *recv_buf, kIpcBufferCapsWord + i, cap.badge);
      info.caps_unwrapped |= word_t{1} << i;
      continue;
    }
    if (!dest) break;
    auto derived = derive_cap(s, caps[i], cap);
    if (!derived.ok() || derived.value().is_null()) break;
    cte_insert(s, derived.value(), caps[i], *dest);
    dest.reset();  // seL4: one receive slot, so at most one cap is ever transferred
  }
  info.extra_caps = i;
  return info;
}

// seL4 doNormalTransfer: the sender's tag (x1) and, with grant, its extra caps looked up again
// now (a failure means no caps); the receiver gets the words, the caps, x1 and the badge in x0.
void do_normal_transfer(State& s, paddr_t sender, const std::optional<IpcBuffer>& send_buf,
                        std::optional<paddr_t> ep, word_t badge, bool grant, paddr_t receiver,
                        const std::optional<IpcBuffer>& recv_buf) {
  const MessageInfo tag = MessageInfo::from_word(reg_x(*s.thread(sender), 1));
  std::vector<SlotRef> caps;
  if (grant)
    if (auto found = lookup_extra_caps(s, sender, tag.extra_caps)) caps = *found;
  const word_t length = copy_mrs(s, sender, send_buf, receiver, recv_buf, tag.length);
  MessageInfo out = transfer_caps(s, tag, caps, ep, receiver, recv_buf);
  out.length = length;
  Thread& r = *s.thread(receiver);
  reg_x(r, 1) = out.to_word();
  reg_x(r, 0) = badge;
}

}  // namespace

std::optional<std::vector<SlotRef>> lookup_extra_caps(const State& s, paddr_t sender, word_t count) {
  std::vector<SlotRef> slots;
  const std::optional<IpcBuffer> buf = lookup_ipc_buffer(s, sender, false);
  if (!buf) return slots;
  for (word_t i = 0; i < count; ++i) {
    auto slot = lookup_slot(s, sender, buffer_word(s, *buf, kIpcBufferCapsWord + i));
    if (!slot.ok()) return std::nullopt;
    slots.push_back(slot.value());
  }
  return slots;
}

void do_ipc_transfer(State& s, paddr_t sender, std::optional<paddr_t> ep, word_t badge, bool grant,
                     paddr_t receiver) {
  const std::optional<IpcBuffer> recv_buf = lookup_ipc_buffer(s, receiver, true);
  if (const std::optional<Fault> f = s.thread(sender)->fault) {
    do_fault_transfer(s, badge, sender, *f, receiver, recv_buf);
    return;
  }
  do_normal_transfer(s, sender, lookup_ipc_buffer(s, sender, false), ep, badge, grant, receiver, recv_buf);
}

}  // namespace keel::spec
