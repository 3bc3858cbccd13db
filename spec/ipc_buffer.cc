// IPC buffers through frame memory (see ipc_buffer.h).
#include "ipc_buffer.h"

namespace keel::spec {

std::optional<IpcBuffer> lookup_ipc_buffer(const State& s, paddr_t tcb, bool is_receiver) {
  const Thread* t = s.thread(tcb);
  const Cap& c = s.cap_at(SlotRef{tcb, kTcbBuffer});
  if (t == nullptr || c.type != CapType::Frame || c.is_device) return std::nullopt;
  const bool ok = c.vm_rights == VmRights::ReadWrite || (!is_receiver && c.vm_rights == VmRights::ReadOnly);
  if (!ok) return std::nullopt;
  return IpcBuffer{c.ptr, (t->ipc_buffer_vaddr & mask_bits(c.size_bits)) / sizeof(word_t)};
}

word_t buffer_word(const State& s, const IpcBuffer& b, word_t i) {
  auto o = s.objects.find(b.frame);
  if (o == s.objects.end()) return 0;
  auto w = o->second.words.find(b.first + i);
  return w == o->second.words.end() ? 0 : w->second;
}

void set_buffer_word(State& s, const IpcBuffer& b, word_t i, word_t v) {
  auto o = s.objects.find(b.frame);
  if (o == s.objects.end()) return;
  if (v == 0)
    o->second.words.erase(b.first + i);
  else
    o->second.words[b.first + i] = v;
}

IpcBufferWords read_ipc_buffer(const State& s, const IpcBuffer& b) {
  IpcBufferWords out{};
  for (word_t i = 0; i < kIpcBufferWords; ++i) out[i] = buffer_word(s, b, i);
  return out;
}

void write_ipc_buffer(State& s, const IpcBuffer& b, const IpcBufferWords& words) {
  for (word_t i = 0; i < kIpcBufferWords; ++i) set_buffer_word(s, b, i, words[i]);
}

void check_frame_invariants(const State& s, std::vector<std::string>& bad) {
  for (const auto& [p, o] : s.objects) {
    if (o.words.empty()) continue;
    if (o.kind != ObjectKind::Frame || o.is_device) {
      bad.push_back("object " + std::to_string(p) + " holds memory words but is no RAM frame");
      continue;
    }
    const word_t limit = (word_t{1} << o.size_bits) / sizeof(word_t);
    for (const auto& [off, v] : o.words) {
      if (v == 0) bad.push_back("frame " + std::to_string(p) + " keeps a zero word");
      if (off >= limit) bad.push_back("frame " + std::to_string(p) + " has a word beyond its end");
    }
  }
}

}  // namespace keel::spec
