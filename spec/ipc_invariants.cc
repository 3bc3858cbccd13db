// The IPC invariants (endpoint.h check_ipc_invariants): queues, object states, blocking fields
// and reply caps agree with each other.
#include <map>

#include "endpoint.h"

namespace keel::spec {

namespace {

std::string hex(word_t v) { return to_hex(v); }

// The thread state a member of this object's queue must be in (nullopt: no queue allowed).
std::optional<ThreadState> queued_state(const Object& o) {
  if (o.kind == ObjectKind::Endpoint && o.ep_state == EndpointState::Send) return ThreadState::BlockedOnSend;
  if (o.kind == ObjectKind::Endpoint && o.ep_state == EndpointState::Recv)
    return ThreadState::BlockedOnReceive;
  if (o.kind == ObjectKind::Notification && o.ntfn_state == NotificationState::Waiting)
    return ThreadState::BlockedOnNotification;
  return std::nullopt;
}

// An object's state and its other IPC fields: Idle/Active (and non-IPC objects) have no queue,
// Send/Recv/Waiting a non-empty one; the word is pending only when Active.
void check_object_state(paddr_t p, const Object& o, std::vector<std::string>& bad) {
  const bool needs_queue = queued_state(o).has_value();
  if (needs_queue == o.queue.empty())
    bad.push_back("object " + hex(p) + ": its state disagrees with its queue");
  if (o.kind != ObjectKind::Endpoint && o.ep_state != EndpointState::Idle)
    bad.push_back("object " + hex(p) + " has an endpoint state but is no endpoint");
  if (o.kind != ObjectKind::Notification && o.ntfn_state != NotificationState::Idle)
    bad.push_back("object " + hex(p) + " has a notification state but is no notification");
  if (o.ntfn_state != NotificationState::Active && o.ntfn_word != 0)
    bad.push_back("object " + hex(p) + " keeps a notification word while not Active");
}

void check_queues(const State& s, std::map<paddr_t, int>& seen, std::vector<std::string>& bad) {
  for (const auto& [p, o] : s.objects) {
    check_object_state(p, o, bad);
    const std::optional<ThreadState> want = queued_state(o);
    for (paddr_t t : o.queue) {
      ++seen[t];
      const Thread* th = s.thread(t);
      if (th == nullptr || !want || th->state != *want || th->blocked.object != p)
        bad.push_back("object " + hex(p) + " queues " + hex(t) + ", which is not blocked on it that way");
    }
  }
}

// The blocking fields a state may use (IpcBlock in state.h); the rest must be at defaults.
IpcBlock meaningful_part(const Thread& t) {
  const IpcBlock& b = t.blocked;
  switch (t.state) {
    case ThreadState::BlockedOnSend: return b;
    case ThreadState::BlockedOnReceive: return IpcBlock{.object = b.object, .can_grant = b.can_grant};
    case ThreadState::BlockedOnNotification: return IpcBlock{.object = b.object};
    case ThreadState::BlockedOnReply:
    case ThreadState::Inactive:
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::Idle: return IpcBlock{};
  }
  return IpcBlock{};
}

bool waits_in_a_queue(ThreadState st) {
  return st == ThreadState::BlockedOnSend || st == ThreadState::BlockedOnReceive ||
         st == ThreadState::BlockedOnNotification;
}

void check_threads(const State& s, const std::map<paddr_t, int>& seen, std::vector<std::string>& bad) {
  for (const auto& [p, o] : s.objects) {
    if (o.kind != ObjectKind::Tcb) continue;
    auto it = seen.find(p);
    const int n = it == seen.end() ? 0 : it->second;
    if (waits_in_a_queue(o.tcb.state) ? n != 1 : n != 0)
      bad.push_back("thread " + hex(p) + " (" + to_string(o.tcb.state) + ") is in " + std::to_string(n) +
                    " IPC queues");
    if (meaningful_part(o.tcb) != o.tcb.blocked)
      bad.push_back("thread " + hex(p) + " keeps blocking fields its state does not use");
  }
}

// Non-master reply caps: the thread is BlockedOnReply, the cap is a child of that thread's
// master reply cap, and there is at most one per thread. Masters sit in their own reply slot.
void check_reply_caps(const State& s, std::vector<std::string>& bad) {
  std::map<paddr_t, int> per_thread;
  for (const auto& [ref, sl] : s.slots) {
    const Cap& c = sl.cap;
    if (c.type != CapType::Reply) continue;
    const SlotRef master{c.ptr, kTcbReply};
    if (c.reply_master) {
      if (ref != master) bad.push_back("a master reply cap is outside its thread's reply slot");
      continue;
    }
    const Thread* t = s.thread(c.ptr);
    if (t == nullptr || t->state != ThreadState::BlockedOnReply)
      bad.push_back("reply cap in " + to_string(ref) + " names a thread not BlockedOnReply");
    const Cap& m = s.cap_at(master);
    if (sl.parent != master || m.type != CapType::Reply || !m.reply_master)
      bad.push_back("reply cap in " + to_string(ref) + " is not a child of its thread's master");
    if (++per_thread[c.ptr] == 2) bad.push_back("thread " + hex(c.ptr) + " has two reply caps");
  }
}

}  // namespace

void check_ipc_invariants(const State& s, std::vector<std::string>& bad) {
  std::map<paddr_t, int> seen;
  check_queues(s, seen, bad);
  check_threads(s, seen, bad);
  check_reply_caps(s, bad);
}

}  // namespace keel::spec
