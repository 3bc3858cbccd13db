// Test helpers for the spec scenarios: a root-task-like initial state and a syscall driver.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "interrupt.h"
#include "ipc_buffer.h"
#include "scheduler.h"
#include "step.h"

namespace keel::spec::test {

// Physical layout of the test world (any distinct, suitably aligned addresses would do).
inline constexpr paddr_t kRootCNode = 0x4000'0000;  // radix 12: 4096 slots of 32 bytes
inline constexpr paddr_t kRootTcb = 0x4002'0000;
inline constexpr paddr_t kIpcFrame = 0x4003'0000;
inline constexpr paddr_t kBootInfoFrame = 0x4003'1000;
inline constexpr paddr_t kVSpace = 0x4003'2000;
inline constexpr paddr_t kAsidPool = 0x4003'3000;
inline constexpr paddr_t kIrqNode = 0x4003'4000;        // the kernel's slots for IRQ notifications
inline constexpr paddr_t kUntyped = 0x8000'0000;        // 2^20 bytes of RAM
inline constexpr paddr_t kDeviceUntyped = 0x0900'0000;  // 2^12 bytes of device memory
inline constexpr unsigned kRootRadix = 12;
inline constexpr cptr_t kFirstFree = 18;            // slots 16, 17 hold the untypeds
inline constexpr word_t kRootEntry = 0x40'0000;     // where the root thread starts (its NextIP)
inline constexpr word_t kBootInfoVaddr = 0x1'1000;  // the root thread's x0 at start
inline constexpr word_t kRootIpcBuffer = 0x1'0000;  // the root thread's IPC buffer address

// The untypeds the test world hands out after the initial caps (kNumInitialCaps = 16).
enum TestSlot : cptr_t {
  kCapUntyped = 16,
  kCapDeviceUntyped = 17,
};

inline SlotRef root_slot(word_t i) { return SlotRef{kRootCNode, i}; }

inline State boot_state() {
  State s;
  Object cnode{ObjectKind::CNode, kRootRadix + kSlotBits, false, kRootRadix, {}};
  s.objects[kRootCNode] = cnode;
  Object tcb{ObjectKind::Tcb, kTcbBits, false, 0, {}};
  tcb.tcb.state = ThreadState::Running;
  tcb.tcb.regs[kRegSpsr] = kPstateUser;
  tcb.tcb.regs[reg_index_of_x(0)] = kBootInfoVaddr;
  tcb.tcb.next_ip = kRootEntry;
  tcb.tcb.priority = tcb.tcb.mcp = kNumPriorities - 1;  // seL4_MaxPrio
  tcb.tcb.time_slice = kTimeSlice;
  tcb.tcb.ipc_buffer_vaddr = kRootIpcBuffer;
  tcb.tcb.name = "rootserver";
  s.objects[kRootTcb] = tcb;
  for (paddr_t f : {kIpcFrame, kBootInfoFrame})
    s.objects[f] = Object{ObjectKind::Frame, kPageBits, false, 0, {}};
  s.objects[kVSpace] = Object{ObjectKind::VSpace, kVSpaceBits, false, 0, {}};
  s.objects[kAsidPool] = Object{ObjectKind::AsidPool, kAsidPoolBits, false, 0, {}};
  // Pool 0 serves ASIDs 0..511; the root task's VSpace has ASID 1. Its page tables are not
  // modelled here, so the boot frames' mappings are stale (harmless, as in seL4).
  s.asid_table[0] = kAsidPool;
  s.objects[kAsidPool].asid_entries[1] = kVSpace;
  auto put = [&](word_t i, Cap c) { s.slots[root_slot(i)] = Slot{c, true, true, std::nullopt}; };
  const Cap root = Cap::cnode(kRootCNode, kRootRadix, kWordBits - kRootRadix, 0);
  put(kCapInitThreadTCB, Cap::thread(kRootTcb));
  put(kCapInitThreadCNode, root);
  put(kCapInitThreadVSpace, Cap::vspace(kVSpace, Mapping{1, 0}));
  put(kCapIRQControl, Cap::irq_control());
  put(kCapASIDControl, Cap::asid_control());
  put(kCapInitThreadASIDPool, Cap::asid_pool(kAsidPool, 0));
  put(kCapBootInfoFrame,
      Cap::frame(kBootInfoFrame, kPageBits, VmRights::ReadWrite, false, Mapping{1, 0x11000}));
  const Cap ipc = Cap::frame(kIpcFrame, kPageBits, VmRights::ReadWrite, false, Mapping{1, 0x10000});
  put(kCapInitThreadIPCBuffer, ipc);
  put(kCapDomain, Cap::domain());
  put(kCapSMC, Cap::smc(0));
  put(kCapUntyped, Cap::untyped(kUntyped, 20, false, word_t{1} << 20));  // boot untypeds: fully used
  put(kCapDeviceUntyped, Cap::untyped(kDeviceUntyped, 12, true, word_t{1} << 12));
  s.slots[SlotRef{kRootTcb, kTcbCTable}] = Slot{root, false, false, root_slot(kCapInitThreadCNode)};
  s.slots[SlotRef{kRootTcb, kTcbVTable}] =
      Slot{Cap::vspace(kVSpace, Mapping{1, 0}), false, false, root_slot(kCapInitThreadVSpace)};
  s.slots[SlotRef{kRootTcb, kTcbReply}] = Slot{Cap::reply(kRootTcb, true, true), true, true, std::nullopt};
  s.slots[SlotRef{kRootTcb, kTcbBuffer}] = Slot{ipc, false, false, root_slot(kCapInitThreadIPCBuffer)};
  s.cur_thread = kRootTcb;
  // seL4 init_irqs: every IRQ inactive and masked but the kernel tick's.
  s.irq_node = kIrqNode;
  s.irq_states[kKernelTimerIrq] = IrqState::Timer;
  s.irq_unmasked.insert(kKernelTimerIrq);
  return s;
}

inline constexpr word_t kOk = 0;
inline word_t err(Error e) { return static_cast<word_t>(e); }

// What came back from a Call to a kernel object.
struct Reply {
  word_t label = 0;
  word_t length = 0;
  std::vector<word_t> words;  // MR0..MR(length-1)
};

inline Reply reply_of(const SyscallResult& r) {
  MessageInfo info = MessageInfo::from_word(r.regs[1]);
  Reply rep{info.label, info.length, {}};
  for (word_t i = 0; i < info.length; ++i) rep.words.push_back(i < 4 ? r.regs[2 + i] : r.ipc_buffer[i + 1]);
  return rep;
}

// Drives the spec like a root task: each call is one syscall by the current thread.
struct World {
  State s = boot_state();
  SmcOracle oracle;

  SyscallResult syscall(Syscall sys, cptr_t cptr, word_t label, const std::vector<word_t>& mrs,
                        const std::vector<cptr_t>& extra = {}) {
    return raw(event(sys, cptr, label, mrs, extra));
  }
  // One step with a prepared event (e.g. with receive-slot words set), invariants checked.
  SyscallResult raw(const SyscallEvent& e) {
    Step st = step(s, e);
    s = st.state;
    EXPECT_TRUE(check_invariants(s).empty()) << check_invariants(s).front();
    return st.result;
  }
  // The event of a syscall: x0 = cptr, x1 = the tag, MRs in x2..x5 and the buffer, extra-cap
  // CPtrs in caps_or_badges.
  SyscallEvent event(Syscall sys, cptr_t cptr, word_t label, const std::vector<word_t>& mrs,
                     const std::vector<cptr_t>& extra = {}) {
    SyscallEvent e;
    e.regs[0] = cptr;
    e.regs[1] = MessageInfo{label, 0, extra.size(), mrs.size()}.to_word();
    for (size_t i = 0; i < mrs.size(); ++i) {
      if (i < 4)
        e.regs[2 + i] = mrs[i];
      else
        e.ipc_buffer[i + 1] = mrs[i];
    }
    for (size_t i = 0; i < extra.size(); ++i) e.ipc_buffer[kIpcBufferCapsWord + i] = extra[i];
    e.regs[7] = static_cast<word_t>(static_cast<std::int64_t>(sys));
    e.smc_oracle = oracle;
    return e;
  }
  Reply call(cptr_t cptr, Label label, const std::vector<word_t>& mrs,
             const std::vector<cptr_t>& extra = {}) {
    SyscallResult r = syscall(Syscall::Call, cptr, static_cast<word_t>(label), mrs, extra);
    EXPECT_EQ(r.outcome, Outcome::Returned) << r.not_specified;
    return reply_of(r);
  }
  // CNode operations on the root CNode with full-depth (radix) indices.
  Reply copy(cptr_t dest, cptr_t src, word_t rights = 0xf) {
    return call(kCapInitThreadCNode, Label::CNodeCopy, {dest, 64, src, 64, rights}, {kCapInitThreadCNode});
  }
  Reply mint(cptr_t dest, cptr_t src, word_t badge, word_t rights = 0xf) {
    return call(kCapInitThreadCNode, Label::CNodeMint, {dest, 64, src, 64, rights, badge},
                {kCapInitThreadCNode});
  }
  Reply mutate(cptr_t dest, cptr_t src, word_t data) {
    return call(kCapInitThreadCNode, Label::CNodeMutate, {dest, 64, src, 64, data}, {kCapInitThreadCNode});
  }
  Reply move(cptr_t dest, cptr_t src) {
    return call(kCapInitThreadCNode, Label::CNodeMove, {dest, 64, src, 64}, {kCapInitThreadCNode});
  }
  Reply revoke(cptr_t slot) { return call(kCapInitThreadCNode, Label::CNodeRevoke, {slot, 64}); }
  Reply del(cptr_t slot) { return call(kCapInitThreadCNode, Label::CNodeDelete, {slot, 64}); }
  Reply retype(cptr_t ut, ObjectType t, word_t size_bits, cptr_t dest_offset, word_t n) {
    return call(ut, Label::UntypedRetype, {static_cast<word_t>(t), size_bits, 0, 0, dest_offset, n},
                {kCapInitThreadCNode});
  }
  const Cap& cap(cptr_t i) const { return s.cap_at(root_slot(i)); }

  // Threads. A new thread (Retype into `slot`): Inactive, priority 0, no CSpace.
  paddr_t new_thread(cptr_t slot) {
    EXPECT_EQ(retype(kCapUntyped, ObjectType::TCB, 0, slot, 1).label, kOk);
    return cap(slot).ptr;
  }
  // A thread sharing the root thread's CSpace (slot numbers mean the same to it), VSpace and IPC
  // buffer frame, at priority `prio`; still Inactive. Another frame cap (`buffer`) and fault
  // handler CPtr may be given.
  paddr_t configured_thread(cptr_t slot, word_t prio, cptr_t buffer = kCapInitThreadIPCBuffer,
                            cptr_t fault_handler = 0, word_t buffer_vaddr = kRootIpcBuffer) {
    const paddr_t t = new_thread(slot);
    EXPECT_EQ(call(slot, Label::TCBConfigure, {fault_handler, 0, 0, buffer_vaddr},
                   {kCapInitThreadCNode, kCapInitThreadVSpace, buffer})
                  .label,
              kOk);
    EXPECT_EQ(call(slot, Label::TCBSetPriority, {prio}, {kCapInitThreadTCB}).label, kOk);
    return t;
  }
  // The same, resumed: queued (or running, if above the caller) and starting at pc 0.
  paddr_t runnable_thread(cptr_t slot, word_t prio) {
    const paddr_t t = configured_thread(slot, prio);
    EXPECT_EQ(call(slot, Label::TCBResume, {}).label, kOk);
    return t;
  }
  // A thread stopped between two instructions: it ran from pc 0, made one syscall (lowering its
  // own priority from 100 to 10, below the root thread's new 50) and waits, queued and Running,
  // with FaultIP 0 (its svc) and NextIP 4. The root thread runs again.
  paddr_t thread_between_syscalls(cptr_t slot) {
    const paddr_t t = runnable_thread(slot, 100);
    EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBSetPriority, {50}, {kCapInitThreadTCB}).label, kOk);
    EXPECT_EQ(s.cur_thread, t);
    EXPECT_EQ(call(slot, Label::TCBSetPriority, {10}, {kCapInitThreadTCB}).label, kOk);  // made by t
    EXPECT_EQ(s.cur_thread, kRootTcb);
    return t;
  }
  // IPC objects and frames made by Retype into `slot`.
  paddr_t make(ObjectType type, cptr_t slot) {
    EXPECT_EQ(retype(kCapUntyped, type, 0, slot, 1).label, kOk);
    return cap(slot).ptr;
  }
  // A thread at `prio` with its own IPC buffer (a new frame in slot + 1), resumed (Restart,
  // queued) unless it outranks the current thread.
  paddr_t ipc_thread(cptr_t slot, word_t prio, cptr_t fault_handler = 0) {
    make(ObjectType::SmallPage, slot + 1);
    const paddr_t t = configured_thread(slot, prio, slot + 1, fault_handler);
    EXPECT_EQ(call(slot, Label::TCBResume, {}).label, kOk);
    return t;
  }
  // Makes `t` (runnable) the current thread, as a scheduler decision would: the current thread,
  // if runnable, goes to the back of its ready queue; `t` leaves its queue and, if in Restart,
  // goes on at its FaultIP.
  void run_as(paddr_t t) {
    if (s.cur_thread && is_runnable(*s.thread(*s.cur_thread))) sched_append(s, *s.cur_thread);
    sched_dequeue(s, t);
    s.cur_thread = t;
    Thread& th = thread(t);
    if (th.state == ThreadState::Restart) th.next_ip = th.regs[kRegPc], th.state = ThreadState::Running;
    EXPECT_EQ(th.state, ThreadState::Running);
  }
  SyscallResult syscall_as(paddr_t t, Syscall sys, cptr_t cptr, word_t label = 0,
                           const std::vector<word_t>& mrs = {}, const std::vector<cptr_t>& extra = {}) {
    run_as(t);
    return syscall(sys, cptr, label, mrs, extra);
  }
  // The words of a thread's IPC buffer as they are now (zeros if it has none).
  IpcBufferWords buffer_of(paddr_t t) const {
    auto b = lookup_ipc_buffer(s, t, false);
    return b ? read_ipc_buffer(s, *b) : IpcBufferWords{};
  }
  const Object& object(paddr_t p) const { return s.objects.at(p); }
  Thread& thread(paddr_t t) { return *s.thread(t); }
  word_t x(paddr_t t, unsigned n) { return thread(t).regs[reg_index_of_x(n)]; }
  // The ready queue of domain 0 at `prio`, head first (empty if absent).
  std::vector<paddr_t> queue(word_t prio) const {
    auto it = s.ready_queues.find({0, prio});
    return it == s.ready_queues.end() ? std::vector<paddr_t>{} : it->second;
  }

  // The difference from `before` ("" if none), leaving out what every kernel entry does to the
  // calling thread's registers (FaultIP, NextIP, x0..x7, the reply) and to the frame of its IPC
  // buffer (the event's words, the reply): what a failed call must leave unchanged.
  std::string changed_since(const State& before) const {
    State b = before;
    if (before.cur_thread && s.thread(*before.cur_thread) && b.thread(*before.cur_thread)) {
      Thread& then = *b.thread(*before.cur_thread);
      then.regs = s.thread(*before.cur_thread)->regs;
      then.next_ip = s.thread(*before.cur_thread)->next_ip;
      if (auto buf = lookup_ipc_buffer(before, *before.cur_thread, false); buf && s.objects.count(buf->frame))
        b.objects.at(buf->frame).words = s.objects.at(buf->frame).words;
    }
    return describe_difference(b, s);
  }
};

}  // namespace keel::spec::test
