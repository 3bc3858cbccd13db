// The abstraction function: kernel slots, MDB list and objects read into spec::State.
#include "abstraction.h"

#include <cstring>
#include <map>
#include <vector>

#include "arch/aarch64/object/asid.h"
#include "arch/aarch64/vspace/vspace.h"
#include "constants.h"
#include "host/host_machine.h"
#include "host/sanitizer.h"
#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/cte.h"
#include "kernel/core/kernel_state.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/notification.h"
#include "kernel/object/tcb.h"

namespace keel::diff {

namespace {

constexpr int kTcbKind = -1;  // the radix field of a container that is a TCB

struct Container {
  paddr_t object = 0;
  int radix = kTcbKind;
  bool is_tcb() const { return radix == kTcbKind; }
  Cte* slots() const {
    return is_tcb() ? tcb_from_object(object)->slot(kTcbCTable) : ptr_from_paddr<Cte>(object);
  }
  word_t count() const { return is_tcb() ? word_t{kTcbNumSlots} : word_t{1} << radix; }
};

std::string hex(word_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The container a cap names (CNode or TCB), if any.
std::optional<Container> named_container(const Cap& c) {
  if (c.type() == CapType::CNode) return Container{CNodeCap{c}.ptr(), int(CNodeCap{c}.radix())};
  if (c.type() == CapType::Thread) return Container{ThreadCap{c}.ptr(), kTcbKind};
  // A (cyclic) Zombie keeps its CNode or TCB, and the caps still in it, alive.
  if (c.type() == CapType::Zombie) {
    const ZombieCap z{c};
    return Container{z.ptr(), z.is_tcb() ? kTcbKind : int(z.radix())};
  }
  return std::nullopt;
}

spec::VmRights abstract_vm_rights(VmRights r) {
  switch (r) {
    case VmRights::ReadOnly: return spec::VmRights::ReadOnly;
    case VmRights::ReadWrite: return spec::VmRights::ReadWrite;
    case VmRights::KernelOnly: return spec::VmRights::KernelOnly;
  }
  return spec::VmRights::KernelOnly;
}

spec::CapRights abstract_rights(CapRights r) { return {r.write, r.read, r.grant, r.grant_reply}; }

template <class TableView>
std::optional<spec::Mapping> table_mapping(const TableView& v) {
  if (!v.is_mapped()) return std::nullopt;
  return spec::Mapping{v.mapped_asid(), v.mapped_vaddr()};
}

// A valid descriptor as the spec sees it: a next-level table, or a page with its rights and
// attributes (seL4 makeUserPagePTE in reverse).
spec::Pte abstract_pte(arch::pte_t e) {
  if (arch::pte_is_table(e)) return spec::Pte::table(arch::pte_addr(e));
  const bool cacheable = ((e >> arch::kPteAttrShift) & 7) == arch::kAttrNormal;
  const word_t attributes =
      (cacheable ? spec::kAttrCacheable : 0) | ((e & arch::kPteUxn) ? spec::kAttrExecuteNever : 0);
  return spec::Pte::page(arch::pte_addr(e), abstract_vm_rights(arch::pte_rights(e)), attributes);
}

spec::LookupFault abstract_lookup(const LookupFault& f) {
  return {static_cast<spec::LookupFailureType>(static_cast<word_t>(f.type)), f.bits_left, f.bits_found,
          f.guard_found};
}

std::optional<spec::Fault> abstract_fault(const Fault& f) {
  using K = spec::Fault::Kind;
  spec::Fault out;
  switch (f.type) {
    case FaultType::NullFault: return std::nullopt;
    case FaultType::CapFault:
      out.kind = K::CapFault, out.address = f.address, out.in_receive_phase = f.in_receive_phase;
      out.lookup = abstract_lookup(f.lookup);
      return out;
    case FaultType::UnknownSyscall: out.kind = K::UnknownSyscall, out.syscall = f.code; return out;
    case FaultType::UserException: out.kind = K::UserException, out.code = f.code; return out;
    case FaultType::VMFault:
      out.kind = K::VMFault, out.address = f.address, out.code = f.code, out.instruction = f.instruction;
      return out;
  }
  return std::nullopt;
}

// What a blocked thread waits with: only the fields seL4 keeps for its state.
spec::IpcBlock abstract_block(const Tcb* t) {
  const IpcBlock& b = t->blocked;
  switch (t->state) {
    case ThreadState::BlockedOnSend: return {b.object, b.badge, b.can_grant, b.can_grant_reply, b.is_call};
    case ThreadState::BlockedOnReceive: return {.object = b.object, .can_grant = b.can_grant};
    case ThreadState::BlockedOnNotification: return {.object = b.object};
    case ThreadState::Inactive:
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::BlockedOnReply:
    case ThreadState::IdleThreadState: return {};
  }
  return {};
}

// An endpoint's or notification's queue, head first; links must agree both ways.
std::vector<paddr_t> abstract_queue(const Tcb* head) {
  std::vector<paddr_t> q;
  const Tcb* prev = nullptr;
  for (const Tcb* t = head; t != nullptr && q.size() < 4096; prev = t, t = t->ep_next) {
    q.push_back(t->ep_prev == prev ? object_of(t) : 0);  // 0: a broken link the spec never has
  }
  return q;
}

spec::Object abstract_endpoint(paddr_t p) {
  spec::Object o;
  o.kind = spec::ObjectKind::Endpoint, o.size_bits = kEndpointBits;
  const Endpoint* ep = endpoint_at(p);
  o.ep_state = static_cast<spec::EndpointState>(static_cast<word_t>(ep->state()));  // same order
  o.queue = abstract_queue(ep->queue_head);
  if (!o.queue.empty() && ep->queue_tail() != tcb_from_object(o.queue.back())) o.queue.push_back(0);
  return o;
}

spec::Object abstract_notification(paddr_t p) {
  spec::Object o;
  o.kind = spec::ObjectKind::Notification, o.size_bits = kNotificationBits;
  const Notification* n = notification_at(p);
  if (const Tcb* t = n->bound_tcb()) o.bound_tcb = object_of(t);
  o.ntfn_state = static_cast<spec::NotificationState>(static_cast<word_t>(n->state()));  // same order
  // The word means something only while active; seL4 leaves a stale one behind otherwise.
  if (n->state() == NotificationState::Active) o.ntfn_word = n->word;
  o.queue = abstract_queue(n->queue_head);
  if (!o.queue.empty() && n->queue_tail != tcb_from_object(o.queue.back())) o.queue.push_back(0);
  return o;
}

// A frame's memory as the spec holds it: its non-zero words (device frames: none).
std::map<word_t, word_t> frame_words(paddr_t base, unsigned size_bits) {
  std::map<word_t, word_t> words;
  const word_t* w = ptr_from_paddr<word_t>(base);
  for (word_t i = 0; i < (word_t{1} << size_bits) / sizeof(word_t); ++i)
    if (w[i] != 0) words[i] = w[i];
  return words;
}

spec::Thread abstract_thread(paddr_t object) {
  const Tcb* t = tcb_from_object(object);
  spec::Thread th;
  th.state = static_cast<spec::ThreadState>(static_cast<word_t>(t->state));  // same order
  th.ipc_buffer_vaddr = t->ipc_buffer;
  th.fault_handler = t->fault_handler;
  th.priority = t->priority;
  th.mcp = t->mcp;
  th.domain = t->domain;
  th.time_slice = t->time_slice;
  for (unsigned i = 0; i < kUserContextWords; ++i) th.regs[i] = t->context.regs[kUserContextRegs[i]];
  th.next_ip = t->context.regs[NextIP];
  th.flags = t->flags;
  if (t->bound_notification != 0) th.bound_notification = t->bound_notification;
  th.name.assign(t->name, strnlen(t->name, kTcbNameLength));
  th.blocked = abstract_block(t);
  th.fault = abstract_fault(t->fault);
  return th;
}

// The object a cap names, as the spec describes it.
std::optional<std::pair<paddr_t, spec::Object>> named_object(const Cap& c) {
  using K = spec::ObjectKind;
  auto obj = [](K k, unsigned bits) {
    spec::Object o;
    o.kind = k, o.size_bits = bits;
    return o;
  };
  switch (c.type()) {
    case CapType::Endpoint: return std::pair{EndpointCap{c}.ptr(), abstract_endpoint(EndpointCap{c}.ptr())};
    case CapType::Notification:
      return std::pair{NotificationCap{c}.ptr(), abstract_notification(NotificationCap{c}.ptr())};
    case CapType::CNode: {
      spec::Object o = obj(K::CNode, CNodeCap{c}.radix() + kSlotBits);
      o.radix = CNodeCap{c}.radix();
      return std::pair{CNodeCap{c}.ptr(), o};
    }
    case CapType::Thread: {
      spec::Object o = obj(K::Tcb, kTcbBits);
      o.tcb = abstract_thread(ThreadCap{c}.ptr());
      return std::pair{ThreadCap{c}.ptr(), o};
    }
    case CapType::Zombie: {
      const ZombieCap z{c};
      spec::Object o = obj(z.is_tcb() ? K::Tcb : K::CNode, z.is_tcb() ? kTcbBits : z.radix() + kSlotBits);
      if (z.is_tcb())
        o.tcb = abstract_thread(z.ptr());
      else
        o.radix = z.radix();
      return std::pair{z.ptr(), o};
    }
    case CapType::Frame: {
      spec::Object o = obj(K::Frame, frame_size_bits(FrameCap{c}.size()));
      o.is_device = FrameCap{c}.is_device();
      if (!o.is_device) o.words = frame_words(FrameCap{c}.ptr(), o.size_bits);
      return std::pair{FrameCap{c}.ptr(), o};
    }
    case CapType::PageTable: return std::pair{PageTableCap{c}.ptr(), obj(K::PageTable, kPageTableBits)};
    case CapType::VSpace: return std::pair{VSpaceCap{c}.ptr(), obj(K::VSpace, kVSpaceBits)};
    case CapType::AsidPool: return std::pair{AsidPoolCap{c}.ptr(), obj(K::AsidPool, kAsidPoolBits)};
    case CapType::Null:
    case CapType::Untyped:
    case CapType::Reply:
    case CapType::IrqControl:
    case CapType::IrqHandler:
    case CapType::Domain:
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal: return std::nullopt;
  }
  return std::nullopt;
}

class Walker {
 public:
  explicit Walker(AbstractionRoots& roots) : roots_(roots) {}
  Abstraction run();

 private:
  bool add(Container c);
  void discover();
  void prune();
  void index_slots();
  std::optional<spec::SlotRef> slot_ref(paddr_t slot) const;
  void derive_parents();
  void collect_objects();
  void read_vspaces();
  void read_ready_queues();
  void read_queue(word_t domain, word_t prio);
  void read_irqs();
  void fail(const std::string& why) {
    if (out_.error.empty()) out_.error = why;
  }

  AbstractionRoots& roots_;
  Abstraction out_;
  std::map<paddr_t, Container> containers_;
  size_t num_slots_ = 0;
};

bool Walker::add(Container c) {
  auto [it, fresh] = containers_.emplace(c.object, c);
  if (!fresh && it->second.radix != c.radix) {
    fail("two containers at " + hex(c.object) + " (radix " + std::to_string(it->second.radix) + " and " +
         std::to_string(c.radix) + ")");
  }
  return fresh;
}

// Every container reachable from the starting set through CNode and thread caps.
void Walker::discover() {
  std::vector<Container> work;
  auto push = [&](Container c) {
    if (add(c)) work.push_back(c);
  };
  push(Container{roots_.root_cnode, int(roots_.root_radix)});
  push(Container{roots_.root_tcb, kTcbKind});
  if (ks.irq_node != nullptr) push(Container{paddr_of(ks.irq_node), int(kIrqNodeSlotBits)});
  // The containers alive after the last step. One that died since holds no object (its memory
  // is poisoned under ASan) and is left out; a cap that still names it reaches it below.
  for (const auto& [p, r] : roots_.known) {
    const Container c{p, r};
    if (!host::any_poisoned(c.slots(), c.count() * sizeof(Cte))) push(c);
  }
  while (!work.empty() && out_.ok()) {
    Container c = work.back();
    work.pop_back();
    for (word_t i = 0; i < c.count(); ++i)
      if (auto n = named_container(c.slots()[i].cap)) push(*n);
  }
}

// Keeps the containers some cap in a kept container names (greatest fixpoint), and the
// kernel's IRQ node, which no cap names.
void Walker::prune() {
  for (;;) {
    std::set<paddr_t> named;
    if (ks.irq_node != nullptr) named.insert(paddr_of(ks.irq_node));
    for (const auto& [p, c] : containers_)
      for (word_t i = 0; i < c.count(); ++i)
        if (auto n = named_container(c.slots()[i].cap)) named.insert(n->object);
    bool changed = false;
    for (auto it = containers_.begin(); it != containers_.end();) {
      if (named.count(it->first) == 0) {
        it = containers_.erase(it);
        changed = true;
      } else {
        ++it;
      }
    }
    if (!changed) return;
  }
}

void Walker::index_slots() {
  roots_.known.clear();
  for (const auto& [p, c] : containers_) {
    roots_.known.insert({p, c.radix});
    num_slots_ += c.count();
  }
}

// The name of the slot at physical address `slot`, if it lies in a live container.
std::optional<spec::SlotRef> Walker::slot_ref(paddr_t slot) const {
  auto it = containers_.upper_bound(slot);
  if (it == containers_.begin()) return std::nullopt;
  --it;
  const paddr_t first = paddr_of(it->second.slots());
  if (slot < first || (slot - first) % sizeof(Cte) != 0 || (slot - first) / sizeof(Cte) >= it->second.count())
    return std::nullopt;
  return spec::SlotRef{it->first, (slot - first) / sizeof(Cte)};
}

// Walks each MDB list from its head; a stack holds the slots whose descendant run is still open.
void Walker::derive_parents() {
  size_t visited = 0, non_empty = 0;
  for (const auto& [p, c] : containers_) {
    for (word_t i = 0; i < c.count(); ++i) {
      const Cte* head = &c.slots()[i];
      if (head->cap.is_null()) continue;
      ++non_empty;
      if (head->mdb.prev() != 0) continue;
      std::vector<const Cte*> open;
      for (const Cte* x = head; x != nullptr && out_.ok(); x = cte_at(x->mdb.next())) {
        const std::optional<spec::SlotRef> ref = slot_ref(paddr_of(x));
        if (!ref) return fail("MDB link to a slot outside every live CNode/TCB: " + hex(paddr_of(x)));
        if (x->cap.is_null()) return fail("MDB list runs through the empty slot " + spec::to_string(*ref));
        if (++visited > num_slots_) return fail("MDB list has a cycle");
        size_t k = 0;
        while (k < open.size() && is_mdb_parent_of(open[k], x)) ++k;
        for (size_t j = k; j < open.size(); ++j)
          if (is_mdb_parent_of(open[j], x))
            return fail("MDB is not a tree at " + spec::to_string(*ref) +
                        ": a nested run outlives its parent");
        open.resize(k);
        spec::Slot s{abstract_cap(x->cap), x->mdb.revocable(), x->mdb.revocable(), std::nullopt};
        if (k > 0) s.parent = slot_ref(paddr_of(open[k - 1]));
        out_.state.slots[*ref] = s;
        open.push_back(x);
      }
    }
  }
  if (out_.ok() && visited != non_empty)
    fail("MDB lists reach " + std::to_string(visited) + " of " + std::to_string(non_empty) +
         " non-empty slots");
}

void Walker::collect_objects() {
  for (const auto& [ref, s] : out_.state.slots) {
    const Cte* cte = nullptr;
    const Container& c = containers_.at(ref.object);
    cte = &c.slots()[ref.index];
    auto named = named_object(cte->cap);
    if (!named) continue;
    auto [it, fresh] = out_.state.objects.emplace(named->first, named->second);
    if (!fresh && !(it->second == named->second))
      return fail("caps disagree about the object at " + hex(named->first) + ": " +
                  spec::to_string(it->second) + " vs " + spec::to_string(named->second));
  }
}

// The ASID table, the pools' entries and every valid entry of every VSpace root and page table
// that a cap names.
void Walker::read_vspaces() {
  for (word_t i = 0; i < (word_t{1} << arch::kNumAsidPoolsBits); ++i) {
    if (arch::g_asid_table[i] != 0) out_.state.asid_table[i] = arch::g_asid_table[i];
  }
  for (auto& [addr, o] : out_.state.objects) {
    if (o.kind == spec::ObjectKind::AsidPool) {
      const arch::AsidPool* pool = ptr_from_paddr<arch::AsidPool>(addr);
      for (word_t i = 0; i < (word_t{1} << arch::kAsidPoolIndexBits); ++i) {
        if (pool->vspace[i] != 0) o.asid_entries[i] = pool->vspace[i];
      }
    } else if (o.kind == spec::ObjectKind::VSpace || o.kind == spec::ObjectKind::PageTable) {
      const arch::pte_t* table = ptr_from_paddr<arch::pte_t>(addr);
      for (word_t i = 0; i < (word_t{1} << arch::kIndexBits); ++i) {
        if (table[i] & arch::kPteValid) o.ptes[i] = abstract_pte(table[i]);
      }
    }
  }
}

// One ready queue: forward and backward links must agree, every member must be a known thread
// marked queued, and the bitmap bit must say exactly whether the queue is empty.
void Walker::read_queue(word_t domain, word_t prio) {
  const ThreadQueue& q = ks.ready_queues[domain][prio];
  const bool bit = (ks.ready_l2[domain][prio / 64] >> (prio % 64)) & 1;
  const bool l1 = (ks.ready_l1[domain] >> (prio / 64)) & 1;
  if (bit != (q.head != nullptr) || (bit && !l1))
    fail("ready bitmap disagrees at priority " + std::to_string(prio));
  std::vector<paddr_t> members;
  const Tcb* prev = nullptr;
  for (const Tcb* t = q.head; t != nullptr; prev = t, t = t->sched_next) {
    const paddr_t obj = object_of(t);
    if (out_.state.thread(obj) == nullptr || members.size() > out_.state.objects.size()) {
      fail("ready queue " + std::to_string(prio) + " holds an unknown thread " + hex(obj));
      return;
    }
    if (t->sched_prev != prev || !t->queued) fail("ready queue " + std::to_string(prio) + " is mislinked");
    members.push_back(obj);
  }
  if (q.tail != prev) fail("ready queue " + std::to_string(prio) + " has a wrong tail");
  if (!members.empty()) out_.state.ready_queues[{domain, prio}] = members;
}

void Walker::read_ready_queues() {
  for (word_t d = 0; d < config::kNumDomains; ++d) {
    for (word_t p = 0; p < config::kNumPriorities; ++p) read_queue(d, p);
    for (word_t i = 0; i < kL2Words; ++i)
      if (((ks.ready_l1[d] >> i) & 1) != (ks.ready_l2[d][i] != 0)) fail("ready bitmap level 1 disagrees");
  }
  out_.state.cur_domain = ks.cur_domain;
  for (word_t i = 0; i < config::kNumDomainSchedules; ++i) {
    out_.state.domain_schedule[i] = {ks.domain_schedule[i].domain, ks.domain_schedule[i].length};
  }
  out_.state.domain_schedule_index = ks.domain_schedule_index;
  out_.state.domain_schedule_start = ks.domain_schedule_start;
  out_.state.domain_time = ks.domain_time;
  if (ks.action != SchedulerAction::ResumeCurrentThread) fail("a scheduler action is left pending");
}

// The IRQ table, where the kernel keeps the IRQs' notification caps, and the interrupt
// controller's masks and trigger modes as the host machine holds them.
static_assert(int(spec::IrqState::Signal) == int(IrqState::Signal) &&
              int(spec::IrqState::Reserved) == int(IrqState::Reserved));
static_assert(host::HostMachine::kNumIrqs == kNumIrqs && spec::kMaxIrq == config::kMaxIrq);

void Walker::read_irqs() {
  out_.state.irq_node = ks.irq_node != nullptr ? paddr_of(ks.irq_node) : 0;
  const host::HostMachine* m = host::HostMachine::current();
  for (word_t irq = 0; irq < kNumIrqs; ++irq) {
    if (ks.irq_state[irq] != IrqState::Inactive)
      out_.state.irq_states[irq] = static_cast<spec::IrqState>(ks.irq_state[irq]);  // same order
    if (m != nullptr && !m->irq_masked[irq]) out_.state.irq_unmasked.insert(irq);
    if (m != nullptr && m->irq_edge[irq]) out_.state.irq_edge_triggered.insert(irq);
  }
}

Abstraction Walker::run() {
  discover();
  if (!out_.ok()) return out_;
  prune();
  index_slots();
  derive_parents();
  if (!out_.ok()) return out_;
  collect_objects();
  if (!out_.ok()) return out_;
  read_vspaces();
  read_ready_queues();
  read_irqs();
  // The idle thread is no object: the spec calls it "no current thread".
  if (ks.cur_thread != nullptr && ks.cur_thread != ks.idle_thread) {
    const paddr_t cur = object_of(ks.cur_thread);
    if (out_.state.thread(cur) != nullptr) out_.state.cur_thread = cur;
  }
  out_.state.halted = ks.halted;
  return out_;
}

}  // namespace

spec::Cap abstract_cap(const Cap& c) {
  switch (c.type()) {
    case CapType::Null: return spec::Cap::null();
    case CapType::Untyped: {
      UntypedCap u{c};
      return spec::Cap::untyped(u.ptr(), u.size_bits(), u.is_device(), u.free_index());
    }
    case CapType::Endpoint:
      return spec::Cap::endpoint(EndpointCap{c}.ptr(), EndpointCap{c}.badge(),
                                 abstract_rights(EndpointCap{c}.rights()));
    case CapType::Notification: {
      NotificationCap n{c};
      return spec::Cap::notification(n.ptr(), n.badge(), n.rights().write, n.rights().read);
    }
    case CapType::Reply:
      return spec::Cap::reply(ReplyCap{c}.tcb(), ReplyCap{c}.is_master(), ReplyCap{c}.can_grant());
    case CapType::CNode: {
      CNodeCap n{c};
      return spec::Cap::cnode(n.ptr(), n.radix(), n.guard_size(), n.guard());
    }
    case CapType::Thread: return spec::Cap::thread(ThreadCap{c}.ptr());
    case CapType::IrqControl: return spec::Cap::irq_control();
    case CapType::IrqHandler: return spec::Cap::irq_handler(IrqHandlerCap{c}.irq());
    case CapType::Zombie: {
      ZombieCap z{c};
      return spec::Cap::zombie(z.ptr(), z.is_tcb(), z.radix());
    }
    case CapType::Domain: return spec::Cap::domain();
    case CapType::Frame: {
      FrameCap f{c};
      std::optional<spec::Mapping> m;
      if (f.is_mapped()) m = spec::Mapping{f.mapped_asid(), f.mapped_vaddr()};
      return spec::Cap::frame(f.ptr(), frame_size_bits(f.size()), abstract_vm_rights(f.rights()),
                              f.is_device(), m);
    }
    case CapType::PageTable:
      return spec::Cap::page_table(PageTableCap{c}.ptr(), table_mapping(PageTableCap{c}));
    case CapType::VSpace: return spec::Cap::vspace(VSpaceCap{c}.ptr(), table_mapping(VSpaceCap{c}));
    case CapType::AsidControl: return spec::Cap::asid_control();
    case CapType::AsidPool: return spec::Cap::asid_pool(AsidPoolCap{c}.ptr(), AsidPoolCap{c}.asid_base());
    case CapType::Smc: return spec::Cap::smc(SmcCap{c}.badge());
    case CapType::SgiSignal: return spec::Cap::sgi_signal(SgiSignalCap{c}.id(), SgiSignalCap{c}.target());
  }
  return spec::Cap::null();
}

Abstraction abstract_state(AbstractionRoots& roots) { return Walker(roots).run(); }

}  // namespace keel::diff
