// State queries, printing, describe_difference and the well-formedness checks.
#include "state.h"

#include <cstdio>
#include <set>

#include "cap_algebra.h"
#include "constants.h"
#include "endpoint.h"
#include "ipc_buffer.h"
#include "irq.h"
#include "scheduler.h"

namespace keel::spec {

std::string to_hex(word_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

static std::string hex(word_t v) { return to_hex(v); }

std::string to_string(const SlotRef& s) { return "(" + hex(s.object) + "," + std::to_string(s.index) + ")"; }

const char* to_string(Error e) {
  static const char* const names[] = {"NoError",          "InvalidArgument",  "InvalidCapability",
                                      "IllegalOperation", "RangeError",       "AlignmentError",
                                      "FailedLookup",     "TruncatedMessage", "DeleteFirst",
                                      "RevokeFirst",      "NotEnoughMemory"};
  auto i = static_cast<word_t>(e);
  return i < 11 ? names[i] : "?";
}

std::string to_string(const LookupFault& f) {
  switch (f.type) {
    case LookupFailureType::NoFailure: return "NoFailure";
    case LookupFailureType::InvalidRoot: return "InvalidRoot";
    case LookupFailureType::MissingCapability:
      return "MissingCapability(left=" + std::to_string(f.bits_left) + ")";
    case LookupFailureType::DepthMismatch:
      return "DepthMismatch(left=" + std::to_string(f.bits_left) + " found=" + std::to_string(f.bits_found) +
             ")";
    case LookupFailureType::GuardMismatch:
      return "GuardMismatch(left=" + std::to_string(f.bits_left) + " guard=" + hex(f.guard_found) +
             " found=" + std::to_string(f.bits_found) + ")";
  }
  return "?";
}

std::string to_string(const SyscallError& e) {
  std::string s = to_string(e.type);
  switch (e.type) {
    case Error::InvalidArgument: return s + "(" + std::to_string(e.invalid_argument_number) + ")";
    case Error::InvalidCapability: return s + "(" + std::to_string(e.invalid_cap_number) + ")";
    case Error::RangeError: return s + "(" + hex(e.range_min) + ", " + hex(e.range_max) + ")";
    case Error::NotEnoughMemory: return s + "(" + hex(e.memory_left) + ")";
    case Error::FailedLookup:
      return s + "(" + (e.failed_lookup_was_source ? "source, " : "dest, ") + to_string(e.lookup) + ")";
    case Error::NoError:
    case Error::IllegalOperation:
    case Error::AlignmentError:
    case Error::TruncatedMessage:
    case Error::DeleteFirst:
    case Error::RevokeFirst: return s;  // no extra fields
  }
  return s;
}

const char* to_string(IrqState s) {
  switch (s) {
    case IrqState::Inactive: return "Inactive";
    case IrqState::Signal: return "Signal";
    case IrqState::Timer: return "Timer";
    case IrqState::Reserved: return "Reserved";
  }
  return "?";
}

static std::string to_string(const std::set<word_t>& irqs) {
  std::string out = "{";
  for (word_t i : irqs) out += " " + std::to_string(i);
  return out + " }";
}

const char* to_string(ObjectKind k) {
  switch (k) {
    case ObjectKind::Tcb: return "Tcb";
    case ObjectKind::Endpoint: return "Endpoint";
    case ObjectKind::Notification: return "Notification";
    case ObjectKind::CNode: return "CNode";
    case ObjectKind::Frame: return "Frame";
    case ObjectKind::PageTable: return "PageTable";
    case ObjectKind::VSpace: return "VSpace";
    case ObjectKind::AsidPool: return "AsidPool";
  }
  return "?";
}

const char* to_string(ThreadState s) {
  switch (s) {
    case ThreadState::Inactive: return "Inactive";
    case ThreadState::Running: return "Running";
    case ThreadState::Restart: return "Restart";
    case ThreadState::BlockedOnReceive: return "BlockedOnReceive";
    case ThreadState::BlockedOnSend: return "BlockedOnSend";
    case ThreadState::BlockedOnReply: return "BlockedOnReply";
    case ThreadState::BlockedOnNotification: return "BlockedOnNotification";
    case ThreadState::Idle: return "Idle";
  }
  return "?";
}

const char* to_string(Fault::Kind k) {
  switch (k) {
    case Fault::Kind::CapFault: return "CapFault";
    case Fault::Kind::UnknownSyscall: return "UnknownSyscall";
    case Fault::Kind::UserException: return "UserException";
    case Fault::Kind::VMFault: return "VMFault";
  }
  return "?";
}

const char* to_string(EndpointState s) {
  switch (s) {
    case EndpointState::Idle: return "Idle";
    case EndpointState::Send: return "Send";
    case EndpointState::Recv: return "Recv";
  }
  return "?";
}

const char* to_string(NotificationState s) {
  switch (s) {
    case NotificationState::Idle: return "Idle";
    case NotificationState::Waiting: return "Waiting";
    case NotificationState::Active: return "Active";
  }
  return "?";
}

static std::string to_string(const Fault& f) {
  return std::string(to_string(f.kind)) + "(addr=" + hex(f.address) +
         " recv=" + (f.in_receive_phase ? "1" : "0") + " lookup=" + to_string(f.lookup) +
         " syscall=" + hex(f.syscall) + " code=" + hex(f.code) + (f.instruction ? " instruction" : "") + ")";
}

static std::string to_string(const IpcBlock& b) {
  return " blocked_on=" + hex(b.object) + " badge=" + hex(b.badge) + (b.can_grant ? " grant" : "") +
         (b.can_grant_reply ? " grant_reply" : "") + (b.is_call ? " call" : "");
}

std::string to_string(const Slot& s) {
  return to_string(s.cap) + (s.revocable ? " revocable" : "") + (s.first_badged ? " first_badged" : "") +
         " parent=" + (s.parent ? to_string(*s.parent) : std::string("none"));
}

static std::string to_string(const Thread& t) {
  std::string s = std::string(" state=") + to_string(t.state) + " ipc_buffer=" + hex(t.ipc_buffer_vaddr) +
                  " fault_handler=" + hex(t.fault_handler) + " prio=" + std::to_string(t.priority) +
                  " mcp=" + std::to_string(t.mcp) + " domain=" + std::to_string(t.domain) +
                  " slice=" + std::to_string(t.time_slice) + " flags=" + hex(t.flags) +
                  " next_ip=" + hex(t.next_ip);
  for (unsigned i = 0; i < kNumContextRegs; ++i)  // seL4_UserContext words; zeros left out
    if (t.regs[i] != 0) s += " r" + std::to_string(i) + "=" + hex(t.regs[i]);
  if (t.bound_notification) s += " bound=" + hex(*t.bound_notification);
  if (t.blocked != IpcBlock{}) s += to_string(t.blocked);
  if (t.fault) s += " fault=" + to_string(*t.fault);
  return s + " name=\"" + t.name + "\"";
}

std::string to_string(const Object& o) {
  std::string s = std::string(to_string(o.kind)) + " bits=" + std::to_string(o.size_bits);
  if (o.kind == ObjectKind::CNode) s += " radix=" + std::to_string(o.radix);
  if (o.kind == ObjectKind::Frame && o.is_device) s += " device";
  for (const auto& [i, e] : o.ptes) s += " [" + std::to_string(i) + "]=" + to_string(e);
  for (const auto& [i, v] : o.asid_entries) s += " asid[" + std::to_string(i) + "]=" + hex(v);
  if (o.bound_tcb) s += " bound_tcb=" + hex(*o.bound_tcb);
  if (o.ep_state != EndpointState::Idle) s += std::string(" ep_state=") + to_string(o.ep_state);
  if (o.ntfn_state != NotificationState::Idle) s += std::string(" ntfn_state=") + to_string(o.ntfn_state);
  if (o.ntfn_word != 0) s += " word=" + hex(o.ntfn_word);
  if (!o.queue.empty()) s += " queue=";
  for (paddr_t t : o.queue) s += " " + hex(t);
  for (const auto& [i, v] : o.words) s += " w[" + std::to_string(i) + "]=" + hex(v);
  if (o.kind == ObjectKind::Tcb) s += to_string(o.tcb);
  return s;
}

std::string to_string(const DomainSchedule& d) {
  std::string out = "{";
  for (const DomainScheduleEntry& e : d) out += " (" + std::to_string(e.domain) + "," + hex(e.length) + ")";
  return out + " }";
}

std::string to_string(const std::map<QueueKey, std::vector<paddr_t>>& queues) {
  std::string out = "{";
  for (const auto& [key, q] : queues) {
    out += " (" + std::to_string(key.first) + "," + std::to_string(key.second) + "):";
    for (paddr_t t : q) out += " " + hex(t);
  }
  return out + " }";
}

const Slot* State::slot_at(SlotRef s) const {
  auto it = slots.find(s);
  return it == slots.end() ? nullptr : &it->second;
}

const Cap& State::cap_at(SlotRef s) const {
  static const Cap kNull{};
  const Slot* sl = slot_at(s);
  return sl ? sl->cap : kNull;
}

bool State::slot_exists(SlotRef s) const {
  if (irq_node != 0 && s.object == irq_node) return s.index <= kMaxIrq;  // the kernel's IRQ slots
  auto it = objects.find(s.object);
  if (it == objects.end()) return false;
  if (it->second.kind == ObjectKind::CNode) return s.index < (word_t{1} << it->second.radix);
  if (it->second.kind == ObjectKind::Tcb) return s.index < kTcbNumSlots;
  return false;
}

Thread* State::thread(paddr_t tcb) {
  auto it = objects.find(tcb);
  return it != objects.end() && it->second.kind == ObjectKind::Tcb ? &it->second.tcb : nullptr;
}

const Thread* State::thread(paddr_t tcb) const {
  auto it = objects.find(tcb);
  return it != objects.end() && it->second.kind == ObjectKind::Tcb ? &it->second.tcb : nullptr;
}

// First key at which two maps differ, described with `show`.
template <class K, class V, class ShowK, class ShowV>
static std::string map_difference(const char* what, const std::map<K, V>& a, const std::map<K, V>& b,
                                  ShowK show_k, ShowV show_v) {
  std::set<K> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  for (const K& k : keys) {
    auto ia = a.find(k), ib = b.find(k);
    if (ia != a.end() && ib != b.end() && ia->second == ib->second) continue;
    std::string l = ia == a.end() ? "absent" : show_v(ia->second);
    std::string r = ib == b.end() ? "absent" : show_v(ib->second);
    return std::string(what) + " " + show_k(k) + ": " + l + " vs " + r;
  }
  return "";
}

static std::string describe_domain_difference(const State& a, const State& b) {
  if (a.domain_schedule != b.domain_schedule)
    return "domain schedule: " + to_string(a.domain_schedule) + " vs " + to_string(b.domain_schedule);
  auto word = [](const char* what, word_t x, word_t y) {
    return x == y ? std::string() : std::string(what) + ": " + hex(x) + " vs " + hex(y);
  };
  std::string d = word("domain_schedule_index", a.domain_schedule_index, b.domain_schedule_index);
  if (d.empty()) d = word("domain_schedule_start", a.domain_schedule_start, b.domain_schedule_start);
  if (d.empty()) d = word("domain_time", a.domain_time, b.domain_time);
  return d;
}

std::string describe_difference(const State& a, const State& b, bool compare_first_badged) {
  if (a.halted != b.halted)
    return std::string("halted: ") + (a.halted ? "yes" : "no") + " vs " + (b.halted ? "yes" : "no");
  if (a.cur_thread != b.cur_thread) {
    auto show = [](const std::optional<paddr_t>& t) { return t ? hex(*t) : std::string("none"); };
    return "cur_thread: " + show(a.cur_thread) + " vs " + show(b.cur_thread);
  }
  std::string d =
      map_difference("object", a.objects, b.objects, hex, [](const Object& o) { return to_string(o); });
  if (!d.empty()) return d;
  auto strip = [&](std::map<SlotRef, Slot> m) {
    if (!compare_first_badged)
      for (auto& [r, sl] : m) sl.first_badged = false;
    return m;
  };
  d = map_difference(
      "slot", strip(a.slots), strip(b.slots), [](const SlotRef& r) { return to_string(r); },
      [](const Slot& s) { return to_string(s); });
  if (!d.empty()) return d;
  if (a.irq_node != b.irq_node) return "irq_node: " + hex(a.irq_node) + " vs " + hex(b.irq_node);
  d = map_difference(
      "IRQ", a.irq_states, b.irq_states, [](word_t k) { return std::to_string(k); },
      [](IrqState st) { return std::string(to_string(st)); });
  if (!d.empty()) return d;
  if (a.irq_unmasked != b.irq_unmasked)
    return "unmasked IRQs: " + to_string(a.irq_unmasked) + " vs " + to_string(b.irq_unmasked);
  if (a.irq_edge_triggered != b.irq_edge_triggered)
    return "edge-triggered IRQs: " + to_string(a.irq_edge_triggered) + " vs " +
           to_string(b.irq_edge_triggered);
  if (a.ready_queues != b.ready_queues)
    return "ready queues: " + to_string(a.ready_queues) + " vs " + to_string(b.ready_queues);
  if (a.cur_domain != b.cur_domain) return "cur_domain differs";
  if (d = describe_domain_difference(a, b); !d.empty()) return d;
  d = map_difference(
      "asid_table", a.asid_table, b.asid_table, [](word_t k) { return std::to_string(k); }, hex);
  if (!d.empty()) return d;
  return "";
}

static bool cap_refers_to_live_object(const State& s, const Cap& c) {
  static const std::map<CapType, ObjectKind> kind_of = {
      {CapType::Endpoint, ObjectKind::Endpoint}, {CapType::Notification, ObjectKind::Notification},
      {CapType::CNode, ObjectKind::CNode},       {CapType::Thread, ObjectKind::Tcb},
      {CapType::Frame, ObjectKind::Frame},       {CapType::PageTable, ObjectKind::PageTable},
      {CapType::VSpace, ObjectKind::VSpace},     {CapType::AsidPool, ObjectKind::AsidPool},
      {CapType::Reply, ObjectKind::Tcb}};
  auto k = kind_of.find(c.type);
  if (k == kind_of.end()) return true;
  auto o = s.objects.find(c.ptr);
  if (o == s.objects.end() || o->second.kind != k->second) return false;
  if (c.type == CapType::CNode) return o->second.radix == c.radix;
  if (c.type == CapType::Frame)
    return o->second.size_bits == c.size_bits && o->second.is_device == c.is_device;
  return true;
}

// A binding is two links that name each other (seL4 bindNotification sets both, unbinding and
// deletion clear both).
static void check_bound_notifications(const State& s, std::vector<std::string>& bad) {
  for (const auto& [p, o] : s.objects) {
    if (o.kind == ObjectKind::Tcb && o.tcb.bound_notification) {
      auto n = s.objects.find(*o.tcb.bound_notification);
      if (n == s.objects.end() || n->second.kind != ObjectKind::Notification || n->second.bound_tcb != p)
        bad.push_back("thread " + hex(p) + " is bound to a notification not bound to it");
    }
    if (o.bound_tcb) {
      const Thread* t = s.thread(*o.bound_tcb);
      if (o.kind != ObjectKind::Notification || t == nullptr || t->bound_notification != p)
        bad.push_back("notification " + hex(p) + " is bound to a thread not bound to it");
    }
  }
}

std::vector<std::string> check_invariants(const State& s) {
  std::vector<std::string> bad;
  for (const auto& [ref, sl] : s.slots) {
    if (!s.slot_exists(ref)) bad.push_back("slot " + to_string(ref) + " is not inside a CNode or TCB");
    if (sl.cap.is_null()) bad.push_back("slot " + to_string(ref) + " is present but empty");
    if (!cap_refers_to_live_object(s, sl.cap))
      bad.push_back("slot " + to_string(ref) + " names no live object: " + to_string(sl.cap));
    if (sl.parent && !s.slot_at(*sl.parent))
      bad.push_back("slot " + to_string(ref) + " has a dangling parent");
    // Walking up must end: the links form a forest.
    std::optional<SlotRef> p = sl.parent;
    for (size_t steps = 0; p; ++steps) {
      if (steps > s.slots.size()) {
        bad.push_back("slot " + to_string(ref) + " is on a parent cycle");
        break;
      }
      const Slot* up = s.slot_at(*p);
      p = up ? up->parent : std::nullopt;
    }
  }
  if (s.cur_thread && !s.thread(*s.cur_thread)) bad.push_back("cur_thread is not a TCB");
  check_bound_notifications(s, bad);
  check_frame_invariants(s, bad);
  check_ipc_invariants(s, bad);
  check_vspace_invariants(s, bad);
  check_irq_invariants(s, bad);
  check_scheduler_invariants(s, bad);
  return bad;
}

}  // namespace keel::spec
