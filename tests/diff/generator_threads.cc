// The thread, IPC, exception and interrupt event generators of the random lockstep driver.
#include <algorithm>

#include "generator.h"
#include "generator_words.h"

namespace keel::diff {

using namespace gen;  // the boot slots and label words shared with generator.cc

// An IPC-buffer address for TCB_SetIPCBuffer: mostly the root task's own (so the buffer stays
// usable), some other 1 KiB-aligned ones, a few misaligned ones, rarely 0 (removal ends most
// useful work of the boot: every later message is clamped to 4 words without extra caps).
word_t Generator::ipc_buffer_vaddr(const GenContext& c) {
  const spec::Thread* root = c.state.thread(c.root_tcb);
  const word_t home = root != nullptr && root->ipc_buffer_vaddr != 0 ? root->ipc_buffer_vaddr : 0x10000;
  const word_t r = pick(100);
  if (r < 6) return 0;
  if (r < 60) return home;
  if (r < 80) return ((any_word() & spec::mask_bits(47)) | 0x400) & ~word_t{0x3ff};
  return home + choose(std::vector<word_t>{1, 8, 0x200, 0x3f8});
}

// TCB invocations: SetIPCBuffer on the root TCB or another thread, with a frame cap, another
// cap, an empty slot, missing words or caps; sometimes a label keel does not implement.
Event Generator::thread_op(const GenContext& c) {
  const std::vector<word_t> tcbs = root_slots_with(c, CapType::Thread);
  const bool root_tcb = c.state.cap_at({c.root_cnode, kTcbSlot}).type == CapType::Thread;
  cptr_t target = root_tcb && chance(70) ? kTcbSlot : (tcbs.empty() ? kTcbSlot : choose(tcbs));
  if (chance(3)) target = slot_in(c, c.root_cnode, c.root_radix);
  const std::vector<word_t> frames = root_slots_with(c, CapType::Frame);
  const bool home = c.state.cap_at({c.root_cnode, kIpcBufferSlot}).type == CapType::Frame;
  cptr_t src = home && chance(50) ? kIpcBufferSlot : (frames.empty() ? kIpcBufferSlot : choose(frames));
  if (chance(20)) src = slot_in(c, c.root_cnode, c.root_radix);
  if (chance(60)) return thread_life(c, tcbs);
  const word_t label = chance(92) ? lbl(Label::TCBSetIPCBuffer) : choose(std::vector<word_t>{0, 17, 1000});
  Event e = call_event(target, label, {ipc_buffer_vaddr(c)}, {src});
  spec::MessageInfo info = spec::MessageInfo::from_word(e.regs[1]);
  if (chance(5)) info.length = 0;
  if (chance(5)) info.extra_caps = 0;
  e.regs[1] = info.to_word();
  return with_syscall(e);
}

// A fault handler CPtr: mostly an endpoint the root CNode holds, sometimes nothing usable.
cptr_t Generator::fault_handler(const GenContext& c) {
  const std::vector<word_t> eps = root_slots_with(c, CapType::Endpoint);
  if (!eps.empty() && chance(60)) return choose(eps);
  return chance(70) ? 0 : pick(64);
}

word_t Generator::priority() {
  return chance(85) ? choose(std::vector<word_t>{0, 1, 100, 200, 254, 255})
                    : choose(std::vector<word_t>{256, word_t{1} << 32, any_word()});
}

// The life of other threads: configured into the root task's CSpace and VSpace, given
// priorities against an authority's MCP, started with WriteRegisters or Resume, suspended, their
// registers read and copied, moved between domains. Most target a retyped TCB (not the root).
Event Generator::thread_life(const GenContext& c, const std::vector<word_t>& tcbs) {
  std::vector<word_t> others;
  for (word_t t : tcbs)
    if (t != kTcbSlot) others.push_back(t);
  const cptr_t t = !others.empty() && chance(85) ? choose(others) : kTcbSlot;
  const cptr_t auth = chance(75) ? kTcbSlot : (tcbs.empty() ? kTcbSlot : choose(tcbs));
  std::vector<word_t> regs;
  const word_t n = chance(70) ? 3 : choose(std::vector<word_t>{0, 1, 4, 17, 36, 37});
  for (word_t i = 0; i < std::min<word_t>(n, 36); ++i) regs.push_back(chance(50) ? pick(16) : any_word());
  // Most of the time bring a thread towards running, so IPC finds partners: configure it, then
  // start it at a priority near the root task's.
  const spec::Cap& tcap = c.state.cap_at({c.root_cnode, t});
  const spec::Thread* th = tcap.type == CapType::Thread ? c.state.thread(tcap.ptr) : nullptr;
  if (th != nullptr && t != kTcbSlot && chance(60)) {
    if (!c.state.slot_at({tcap.ptr, spec::kTcbCTable}))
      return call_event(t, lbl(Label::TCBConfigure), {fault_handler(c), 0, 0, ipc_buffer_vaddr(c)},
                        {kRootCNodeSlot, kVSpaceSlot, kIpcBufferSlot});
    if (th->priority == 0)
      return call_event(t, lbl(Label::TCBSetPriority), {choose(std::vector<word_t>{100, 254, 255})},
                        {kTcbSlot});
    if (th->state == spec::ThreadState::Inactive) return call_event(t, lbl(Label::TCBResume), {});
  }
  const word_t r = pick(100);
  Event e;
  if (r < 18) {
    e = call_event(t, lbl(Label::TCBConfigure),
                   {fault_handler(c), chance(90) ? 0 : badge(), 0, chance(70) ? 0 : ipc_buffer_vaddr(c)},
                   {kRootCNodeSlot, chance(90) ? kVSpaceSlot : pick(20), kIpcBufferSlot});
  } else if (r < 30) {
    e = call_event(t, lbl(Label::TCBSetPriority), {priority()}, {auth});
  } else if (r < 35) {
    e = call_event(t, lbl(chance(50) ? Label::TCBSetMCPriority : Label::TCBSetSchedParams),
                   {priority(), priority()}, {auth});
  } else if (r < 50) {
    std::vector<word_t> mrs{pick(2), n};
    mrs.insert(mrs.end(), regs.begin(), regs.end());
    e = call_event(t, lbl(Label::TCBWriteRegisters), mrs);
  } else if (r < 58) {
    e = call_event(t, lbl(Label::TCBReadRegisters), {pick(2), n});
  } else if (r < 64) {
    e = call_event(t, lbl(Label::TCBCopyRegisters), {pick(16)}, {tcbs.empty() ? kTcbSlot : choose(tcbs)});
  } else if (r < 74) {
    e = call_event(t, lbl(Label::TCBResume), {});
  } else if (r < 82) {
    e = call_event(t, lbl(Label::TCBSuspend), {});
  } else if (r < 88) {
    e = call_event(t, lbl(Label::TCBSetTLSBase), {any_word()});
  } else if (r < 94) {
    e = call_event(t, lbl(Label::TCBSetFlags), {pick(4), pick(4)});
  } else if (r < 97) {
    e = call_event(kDomainSlot, lbl(Label::DomainSetSet), {pick(2)}, {t});
  } else {
    const std::vector<word_t> ntfns = root_slots_with(c, CapType::Notification);
    e = chance(30) || ntfns.empty() ? call_event(t, lbl(Label::TCBUnbindNotification), {})
                                    : call_event(t, lbl(Label::TCBBindNotification), {}, {choose(ntfns)});
  }
  truncate(e);
  return with_syscall(e);
}

// IPC by whichever thread runs, on the endpoints, notifications and reply caps the root CNode
// holds: every syscall, messages of every length, extra caps, and receive slots named in the
// buffer (an empty slot, an occupied one, a bad depth).
Event Generator::ipc_op(const GenContext& c) {
  std::vector<word_t> caps = root_slots_with(c, CapType::Endpoint);
  for (CapType t : {CapType::Notification, CapType::Reply})
    for (word_t i : root_slots_with(c, t)) caps.push_back(i);
  const cptr_t cap = caps.empty() || chance(5) ? slot_in(c, c.root_cnode, c.root_radix) : choose(caps);
  using S = spec::Syscall;
  S sys = choose(std::vector<S>{S::Send, S::Send, S::NBSend, S::Call, S::Call, S::Recv, S::Recv, S::Recv,
                                S::NBRecv, S::Reply, S::ReplyRecv, S::ReplyRecv});
  // A thread that blocks with nobody else ready ends the boot: then mostly do not block.
  if (c.state.ready_queues.empty() && chance(70))
    sys = choose(std::vector<S>{S::NBSend, S::NBRecv, S::Reply});
  std::vector<word_t> mrs(chance(70) ? pick(6) : choose(std::vector<word_t>{8, 13, 119, 120}));
  for (word_t& w : mrs) w = chance(70) ? pick(256) : any_word();
  std::vector<cptr_t> extra(chance(75) ? 0 : 1 + pick(3));
  for (cptr_t& x : extra)
    x = !caps.empty() && chance(50) ? choose(caps) : slot_in(c, c.root_cnode, c.root_radix);
  Event e = call_event(cap, chance(80) ? pick(4) : any_word() >> 12, mrs, extra, sys);
  if (chance(40)) {
    e.ipc[spec::kIpcBufferWords - 3] = chance(90) ? kRootCNodeSlot : slot_in(c, c.root_cnode, c.root_radix);
    e.ipc[spec::kIpcBufferWords - 2] = chance(70) ? first_free(c, c.root_cnode, c.root_radix, pick(4))
                                                  : slot_in(c, c.root_cnode, c.root_radix);
    e.ipc[spec::kIpcBufferWords - 1] = chance(90) ? 64 : pick(70);
  }
  return e;
}

// A retype of one object of a fixed-size type into the first free root slot, from a RAM
// untyped with room for it; none if there is no such untyped.
std::optional<Event> Generator::new_object(const GenContext& c, ObjectType t) {
  const word_t size = word_t{1} << (t == ObjectType::TCB ? 11 : 4);
  for (word_t ut : root_slots_with(c, CapType::Untyped)) {
    const spec::Cap& u = c.state.cap_at({c.root_cnode, ut});
    const word_t start = (u.free_index + size - 1) & ~(size - 1);
    if (!u.is_device && start + size <= (word_t{1} << u.size_bits))
      return call_event(ut, lbl(Label::UntypedRetype),
                        {ty(t), 0, 0, 0, first_free(c, c.root_cnode, c.root_radix, 0), 1}, {kRootCNodeSlot});
  }
  return std::nullopt;
}

// What a server and its clients do: a client Calls an endpoint a thread waits on, a thread
// holding a reply cap answers and waits again, and someone waits first; short messages, no
// caps. None when no thread runs, no untyped has room for the cast, or only a Recv would fit
// and it would end the boot.
std::optional<Event> Generator::conversation(const GenContext& c) {
  const std::vector<word_t> eps = root_slots_with(c, CapType::Endpoint);
  const std::vector<word_t> tcbs = root_slots_with(c, CapType::Thread);
  if (!c.state.cur_thread) return std::nullopt;
  // First the cast: an endpoint and two more threads, brought towards running.
  if (eps.empty() || tcbs.size() < 3)
    return new_object(c, eps.empty() ? ObjectType::Endpoint : ObjectType::TCB);
  for (word_t t : tcbs) {
    const spec::Thread* th = c.state.thread(c.state.cap_at({c.root_cnode, t}).ptr);
    if (th != nullptr && th->state == spec::ThreadState::Inactive && chance(30)) return thread_life(c, tcbs);
  }
  std::vector<word_t> waited_on;
  for (word_t s : eps) {
    const auto it = c.state.objects.find(c.state.cap_at({c.root_cnode, s}).ptr);
    if (it != c.state.objects.end() && it->second.ep_state == spec::EndpointState::Recv)
      waited_on.push_back(s);
  }
  const bool replies = c.state.cap_at({*c.state.cur_thread, spec::kTcbCaller}).type == CapType::Reply;
  std::vector<word_t> mrs(pick(spec::kMsgRegisters + 1));
  for (word_t& w : mrs) w = pick(256);
  using S = spec::Syscall;
  if (replies && (waited_on.empty() || chance(50)))
    return call_event(choose(eps), pick(4), mrs, {}, S::ReplyRecv);
  if (!waited_on.empty()) return call_event(choose(waited_on), pick(4), mrs, {}, S::Call);
  if (!c.state.ready_queues.empty()) return call_event(choose(eps), 0, {}, {}, S::Recv);
  return std::nullopt;
}

// A synchronous exception of the running thread: an undefined instruction, a data abort at a
// random or small address, an instruction abort (the address is then the pc).
Event Generator::exception(const GenContext& c) {
  // The root task usually has no fault handler: its fault ends the boot, so let it fault rarely.
  if (c.state.cur_thread == c.root_tcb && chance(80)) return ipc_op(c);
  const word_t r = pick(3);
  Event e = r == 0   ? exception_event(false, 0x02000000)
            : r == 1 ? exception_event(true, 0x92000000 | pick(64), chance(50) ? pick(0x10000) : any_word())
                     : exception_event(true, 0x82000000 | pick(64), 0, true);
  for (word_t& x : e.regs) x = chance(50) ? pick(16) : any_word();
  return e;
}

// An interrupt: mostly the kernel tick, else an IRQ someone handles, or one nobody does.
Event Generator::interrupt(const GenContext& c) {
  std::vector<word_t> handled;
  for (const auto& [irq, st] : c.state.irq_states)
    if (st == spec::IrqState::Signal) handled.push_back(irq);
  Event e;
  if (chance(50)) return tick_event();
  e.interrupt = !handled.empty() && chance(80) ? choose(handled) : 32 + pick(64);
  return e;
}

}  // namespace keel::diff
