// The scripted scenarios: SMC mint/call/revoke, CNode errors, retype until memory runs out,
// deleting a CNode that holds caps, debug syscalls, self-destruction, IPC buffers, two threads,
// VSpaces (the IPC, fault, IRQ and SGI stories are in ipc_scenarios.cc).
#include "scenarios.h"

#include "scenario_events.h"

namespace keel::diff {

using namespace script;  // the shared event words and the IPC, fault, IRQ and SGI stories

namespace {

std::vector<Event> smc_story(const BootLayout& b) {
  const word_t f = b.first_free, g = f + 1, h = f + 2;
  return {mint(f, kSmc, kPsciVersion), smc_call(f, kPsciVersion),
          // x0 one bit off the badge: past the low 32 bits, the SVE hint, the fast-call bit.
          smc_call(f, kPsciVersion ^ (word_t{1} << 32)), smc_call(f, kPsciVersion ^ (word_t{1} << 63)),
          smc_call(f, kPsciVersion ^ (word_t{1} << 16)), smc_call(f, kPsciVersion ^ (word_t{1} << 31)),
          smc_call(f, kPsciFeatures), smc_call(f, kPsciVersion, 4),
          call_event(f, 0, {kPsciVersion, 0, 0, 0, 0, 0, 0, 0}),
          mint(g, f, 5),    // seL4: a badged SMC cap cannot be minted again
          mutate(g, f, 9),  // nor mutated
          copy(g, f), smc_call(g, kPsciVersion), smc_call(g, kPsciVersion, 8, Syscall::Send),
          smc_call(kSmc, 0xc2000001), mint(h, kSmc, kPsciFeatures), smc_call(h, kPsciFeatures),
          mint(h + 1, kSmc, 0), smc_call(h + 1, 0x12345678), revoke(kSmc), smc_call(f, kPsciVersion),
          smc_call(g, kPsciVersion), smc_call(h, kPsciFeatures), move(f, kSmc), smc_call(f, 0x84000006),
          move(kSmc, f), smc_call(kSmc, kPsciVersion, 7)};
}

std::vector<Event> cnode_errors(const BootLayout& b) {
  const word_t f = b.first_free, g = f + 1;
  const word_t cl = lbl(Label::CNodeCopy);
  return {
      copy(kSmc, kRoot),                                                // DeleteFirst
      copy(f, g),                                                       // source empty
      call_event(kRoot, cl, {f, 0, kSmc, 64, 0xf}, {kRoot}),            // RangeError depth 0
      call_event(kRoot, cl, {f, 65, kSmc, 64, 0xf}, {kRoot}),           // RangeError depth 65
      call_event(kRoot, cl, {f, 63, kSmc, 64, 0xf}, {kRoot}),           // GuardMismatch
      call_event(kRoot, cl, {f, 64, kSmc, 12, 0xf}, {kRoot}),           // source depth too small
      call_event(kRoot, cl, {f << 1 | 1, 64, kSmc, 64, 0xf}, {kRoot}),  // guard bits set
      // The root CNode's guard (0) off by one, in the destination and in the source.
      call_event(kRoot, cl, {word_t{1} << b.root_radix | f, 64, kSmc, 64, 0xf}, {kRoot}),
      call_event(kRoot, cl, {f, 64, word_t{1} << b.root_radix | kSmc, 64, 0xf}, {kRoot}),
      call_event(kRoot, cl, {f, 64, kSmc, 64}, {kRoot}),      // truncated
      call_event(kRoot, cl, {f, 64, kSmc, 64, 0xf}),          // no extra cap
      call_event(kRoot, cl, {f, 64, kSmc, 64, 0xf}, {kSmc}),  // extra cap not a CNode
      call_event(kRoot, cl, {f}, {kRoot}),                    // length 1
      call_event(kRoot, 26, {f, 64}),                         // not a CNode label
      call_event(kRoot, lbl(Label::CNodeRotate), {f, 64, 0, kSmc, 64, 0, kSmc, 64}, {kRoot, kRoot}),
      call_event(kRoot, lbl(Label::CNodeRotate), {f, 64, 0, kSmc, 64, 0, kIrqControl, 64}, {kRoot, kRoot}),
      mint(f, kIrqControl, 0),  // IRQ control does not derive
      copy(f, kSmc, 0), copy(g, f), mint(g + 1, f, 3),
      call_event(kRoot, lbl(Label::CNodeRotate), {f, 64, 1, g, 64, 2, g + 1, 64}, {kRoot, kRoot}),
      call_event(kRoot, lbl(Label::CNodeRotate), {g, 64, 0, f, 64, 0, g, 64}, {kRoot, kRoot}),  // swap
      call_event(kRoot, lbl(Label::CNodeSaveCaller), {g + 5, 64}),
      call_event(kRoot, lbl(Label::CNodeCancelBadgedSends), {kSmc, 64}),
      retype(b.ram_untyped, ObjectType::Endpoint, 0, g + 6, 1), copy(g + 7, b.ram_untyped),  // RevokeFirst
      call_event(kRoot, lbl(Label::CNodeCancelBadgedSends), {g + 6, 64}), mint(g + 8, g + 6, 0x55),
      call_event(kRoot, lbl(Label::CNodeCancelBadgedSends), {g + 8, 64}), copy(g + 9, 9), revoke(kIpcBuffer),
      del(g + 20), revoke(g + 21), call_event(kRoot, cl, {f, 64, kSmc, 64, 0xf}, {kRoot}, Syscall::Send),
      call_event(kRoot, cl, {g + 10, 64, kSmc, 64, 0xf}, {kRoot}, Syscall::NBSend),
      call_event(0xdead, cl, {f, 64, kSmc, 64, 0xf}, {kRoot}, Syscall::NBSend),  // dropped
      call_event(g + 30, cl, {f, 64}),                                           // null cap
      call_event(kRoot, cl, {g + 11, 64, kSmc, 64, 0xf}, {0xdead}, Syscall::NBSend),
      call_event(kRoot, cl, {g + 11, 64, kSmc, 64, 0xf}, {0xdead})};  // cap fault
}

std::vector<Event> retype_until_oom(const BootLayout& b) {
  const word_t f = b.first_free, u = b.ram_untyped;
  std::vector<Event> ev{retype(b.device_untyped, ObjectType::TCB, 0, f, 1),  // device: frames only
                        retype(u, ObjectType::HugePage, 0, f, 1),            // too big
                        retype(u, ObjectType::Untyped, 3, f, 1),
                        retype(u, ObjectType::CapTable, 0, f, 1),
                        retype(u, ObjectType::Endpoint, 0, f, 0),
                        retype(u, ObjectType::Endpoint, 0, f, 257),
                        retype(u, ObjectType::Endpoint, 0, 4095, 2),
                        retype(u, ObjectType::Endpoint, 0, 5000, 1),
                        retype(u, static_cast<ObjectType>(10), 0, f, 1),
                        retype(u, ObjectType::Untyped, 48, f, 1),
                        retype(u, ObjectType::Endpoint, 0, kSmc, 1),       // DeleteFirst
                        retype(u, ObjectType::Endpoint, 0, f, 1, 77, 64),  // node lookup fails
                        retype(u, ObjectType::Untyped, 12, f, 1)};
  const word_t child = f;
  for (word_t i = 0; i < 5; ++i) ev.push_back(retype(child, ObjectType::Endpoint, 0, f + 1 + 64 * i, 64));
  ev.push_back(retype(child, ObjectType::Notification, 0, f + 400, 1));  // NotEnoughMemory
  ev.push_back(revoke(child));
  ev.push_back(retype(child, ObjectType::Notification, 0, f + 1, 3));
  ev.push_back(retype(child, ObjectType::TCB, 0, f + 4, 1));
  ev.push_back(retype(child, ObjectType::Endpoint, 0, f + 5, 2));
  ev.push_back(retype(child, ObjectType::CapTable, 6, f + 7, 1));
  ev.push_back(retype(child, ObjectType::SmallPage, 0, f + 8, 1));
  ev.push_back(del(f + 4));
  ev.push_back(retype(child, ObjectType::SmallPage, 0, f + 9, 1));
  ev.push_back(revoke(u));
  ev.push_back(retype(u, ObjectType::SmallPage, 0, f, 2));
  ev.push_back(retype(u, ObjectType::PageTable, 0, f + 2, 1));
  ev.push_back(retype(u, ObjectType::VSpace, 0, f + 3, 1));
  ev.push_back(retype(b.device_untyped, ObjectType::SmallPage, 0, f + 4, 1));
  ev.push_back(retype(b.device_untyped, ObjectType::Untyped, 4, f + 5, 1));
  return ev;
}

std::vector<Event> cnode_deletion(const BootLayout& b) {
  const word_t f = b.first_free, g = f + 1, u = b.ram_untyped;
  const word_t cl = lbl(Label::CNodeCopy);
  return {retype(u, ObjectType::CapTable, 3, f, 1),
          call_event(f, cl, {1, 3, kSmc, 64, 0xf}, {kRoot}),              // into the new CNode
          call_event(f, cl, {2, 3, kRoot, 64, 0xf}, {kRoot}),             // a cap to the root CNode
          call_event(f, cl, {3, 3, f, 64, 0xf}, {kRoot}),                 // a cap to itself
          retype(u, ObjectType::Endpoint, 0, 4, 2, f, 64),                // objects made straight into it
          mint(g, kRoot, 0),                                              // the root CNode with no guard
          call_event(g, cl, {f << 3 | 6, 15, f << 3 | 4, 15, 0x3}, {g}),  // two-level addresses
          call_event(g, lbl(Label::CNodeMint), {f << 3 | 7, 15, f << 3 | 5, 15, 0xf, 42}, {g}),
          debug_event(Syscall::DebugCapIdentify, f),
          del(f),  // not final: it holds a cap to itself
          copy(g + 1, g),
          del(g),
          revoke(u),  // the unreachable CNode goes too
          retype(u, ObjectType::CapTable, 2, f, 1),
          call_event(f, cl, {0, 2, kSmc, 64, 0xf}, {kRoot}),
          del(f),
          retype(u, ObjectType::CapTable, 4, f, 2),
          call_event(f, lbl(Label::CNodeMove), {3, 4, f + 1, 64}, {kRoot}),
          del(f)};
}

// seL4 leaves the final cap to a CNode or TCB found inside a CNode being deleted as a cyclic
// Zombie in that object's first slot; revoking the untyped ends it.
std::vector<Event> nested_zombies(const BootLayout& b) {
  const word_t f = b.first_free, u = b.ram_untyped;
  const word_t cl = lbl(Label::CNodeCopy), mv = lbl(Label::CNodeMove);
  return {retype(u, ObjectType::CapTable, 4, f, 2),
          retype(u, ObjectType::TCB, 0, f + 2, 1),
          call_event(f + 1, cl, {5, 4, kSmc, 64, 0xf}, {kRoot}),  // B holds an SMC copy
          call_event(f, mv, {3, 4, f + 1, 64}, {kRoot}),          // A holds the only cap to B
          call_event(f, mv, {4, 4, f + 2, 64}, {kRoot}),          // and the only cap to the TCB
          del(f),                                                 // B and the TCB become Zombies
          copy(f, kSmc),
          retype(u, ObjectType::Endpoint, 0, f + 1, 1),
          copy(f + 2, u),  // RevokeFirst
          revoke(u),
          retype(u, ObjectType::Endpoint, 0, f + 3, 1),
          revoke(kSmc)};
}

std::vector<Event> debug_story(const BootLayout& b) {
  Event name = debug_event(Syscall::DebugNameThread, kTcb);
  name.ipc[1] = 0x7065747370636f6c;  // "lockstep"
  return {debug_event(Syscall::DebugPutChar, 'h'),
          debug_event(Syscall::DebugPutChar, 'i'),
          debug_event(Syscall::DebugCapIdentify, kRoot),
          debug_event(Syscall::DebugCapIdentify, kSmc),
          debug_event(Syscall::DebugCapIdentify, b.first_free),
          debug_event(Syscall::DebugCapIdentify, ~word_t{0}),
          name,
          debug_event(Syscall::Yield),
          debug_event(Syscall::DebugHalt)};
}

// TCB_SetIPCBuffer's checks in seL4's order: words and cap present, then derive, then a
// non-device frame, then alignment; address 0 removes the buffer whatever the cap.
std::vector<Event> set_ipc_buffer_errors(const BootLayout& b) {
  const word_t f = b.first_free, home = b.ipc_buffer_vaddr;
  return {set_ipc_buffer(kTcb, home, {}),                                   // no extra cap
          call_event(kTcb, lbl(Label::TCBSetIPCBuffer), {}, {kIpcBuffer}),  // no word
          set_ipc_buffer(kTcb, home, {kSmc}),                               // not a frame
          set_ipc_buffer(kTcb, home + 0x200, {kSmc}),                       // the cap before alignment
          set_ipc_buffer(kTcb, home, {f + 10}),                             // empty slot
          set_ipc_buffer(kTcb, home + 8, {kIpcBuffer}),                     // AlignmentError
          set_ipc_buffer(kTcb, home + 0x3ff, {kBootInfo}),                  // AlignmentError
          set_ipc_buffer(kTcb, home, {kAsidPool}),                          // derives, not a frame
          set_ipc_buffer(kTcb, home, {kIrqControl}),                        // derives to null
          retype(b.ram_untyped, ObjectType::Endpoint, 0, f, 1),
          set_ipc_buffer(kTcb, home + 1, {b.ram_untyped}),  // derive first: RevokeFirst
          retype(b.device_untyped, ObjectType::SmallPage, 0, f + 1, 1),
          set_ipc_buffer(kTcb, home, {f + 1}),  // a device frame
          get_address(f + 1),
          set_ipc_buffer(kTcb, home, {kIpcBuffer}),  // re-installs the same frame
          set_ipc_buffer(kTcb, home, {kIpcBuffer}, Syscall::Send),
          call_event(kTcb, 0, {home}, {kIpcBuffer}),
          set_ipc_buffer(kTcb, 0, {kSmc}),  // removal ignores the cap
          smc_call(kSmc, kPsciVersion)};
}

// The issue-5 story: the thread removes its own IPC buffer; its SMC call is then truncated (the
// message is clamped to 4 words) and it cannot put the buffer back, because the frame cap would
// travel as an extra cap and extra caps are read from the IPC buffer.
std::vector<Event> ipc_buffer_removed(const BootLayout& b) {
  Event yield = debug_event(Syscall::Yield, 0x1111);
  for (unsigned i = 1; i < 7; ++i) yield.regs[i] = 0x1111 * (i + 1);  // Yield writes none of them
  return {set_ipc_buffer(kTcb, 0, {kIpcBuffer}),
          smc_call(kSmc, kPsciVersion),
          set_ipc_buffer(kTcb, b.ipc_buffer_vaddr, {kIpcBuffer}),
          smc_call(kSmc, kPsciVersion),
          copy(b.first_free, kSmc),  // CNode operations are truncated too
          get_address(kIpcBuffer),   // a one-word reply still fits in registers
          debug_event(Syscall::DebugCapIdentify, kIpcBuffer),
          yield};
}

// The buffer moves inside its frame, to the boot-info frame, to a read-only and a kernel-only copy.
std::vector<Event> ipc_buffer_moves(const BootLayout& b) {
  const word_t f = b.first_free, home = b.ipc_buffer_vaddr;
  return {get_address(kIpcBuffer), get_address(kBootInfo), get_address(b.image_frame),
          get_address(b.image_frame, Syscall::Send),
          // Labels of other cap types: IllegalOperation.
          call_event(kBootInfo, lbl(Label::ARMSMCCall), {0}),
          call_event(kIpcBuffer, lbl(Label::ARMPageTableMap), {0x1000, 3}, {kVSpace}),
          call_event(b.image_frame, lbl(Label::ARMVSpaceClean_Data), {}),
          set_ipc_buffer(kTcb, home + 0x400, {kIpcBuffer}), smc_call(kSmc, kPsciVersion),
          set_ipc_buffer(kTcb, 0x7000'0000, {kBootInfo}), smc_call(kSmc, 0xc2000001), copy(f, kIpcBuffer),
          set_ipc_buffer(kTcb, home, {f}),  // a sibling of slot 10's children
          del(f), get_address(kIpcBuffer),
          mint(f + 1, kIpcBuffer, 0, 0x2),  // read-only: the kernel may not write replies past x5
          set_ipc_buffer(kTcb, home, {f + 1}), smc_call(kSmc, kPsciVersion), copy(f + 2, kSmc),
          mint(f + 3, kIpcBuffer, 0, 0x1),  // write-only masks to kernel-only: no buffer at all
          set_ipc_buffer(kTcb, home, {f + 3}), smc_call(kSmc, kPsciVersion),
          set_ipc_buffer(kTcb, home, {kIpcBuffer})};
}

// Another thread's buffer: a retyped frame, whose last cap ends up in the thread; replacing it
// destroys the frame; revoking the source takes the buffer caps of both threads.
// Two threads share the CPU: a second thread in the root task's CSpace and VSpace, at the root's
// priority, started with WriteRegisters; the tick rotates them; the second thread makes its own
// syscalls (each event is issued by whichever thread is current); priorities, Yield, a
// higher-priority Resume preempting, Suspend, and the thread's deletion.
std::vector<Event> two_threads(const BootLayout& b) {
  const word_t f = b.first_free, u = b.ram_untyped_16k;
  const auto tcb = [](cptr_t t, Label l, std::vector<word_t> mrs, std::vector<cptr_t> caps = {}) {
    return call_event(t, lbl(l), mrs, caps);
  };
  std::vector<Event> e = {
      retype(u, ObjectType::TCB, 0, f, 1),
      tcb(f, Label::TCBConfigure, {0, 0, 0, 0}, {kRoot, kVSpace, kIpcBuffer}),
      tcb(f, Label::TCBSetPriority, {255}, {kTcb}),
      tcb(f, Label::TCBWriteRegisters, {1, 3, 0x400000, 0x8000, 0}),  // resume: queued behind the root
      tcb(kTcb, Label::TCBSetPriority, {254}, {f}),                   // f's MCP is 0: RangeError
  };
  for (int i = 0; i < 5; ++i) e.push_back(tick_event());         // the root's slice ends: f runs
  e.push_back(debug_event(Syscall::DebugCapIdentify, kTcb));     // by f
  e.push_back(debug_event(Syscall::Yield));                      // f gives the root its turn
  e.push_back(tcb(kTcb, Label::TCBSetPriority, {100}, {kTcb}));  // the root lowers itself: f runs
  e.push_back(tcb(f, Label::TCBSuspend, {}));                    // f suspends itself: the root runs
  e.push_back(tcb(f, Label::TCBReadRegisters, {0, 36}));
  e.push_back(tcb(f, Label::TCBSetPriority, {101}, {kTcb}));
  e.push_back(tcb(f, Label::TCBResume, {}));                  // higher than the root: preempts at once
  e.push_back(tcb(kTcb, Label::TCBSetPriority, {254}, {f}));  // f has no IPC buffer: no extra cap
  e.push_back(del(f));                                        // f deletes itself: the root runs
  e.push_back(debug_event(Syscall::DebugCapIdentify, f));
  return e;
}

std::vector<Event> other_thread_buffer(const BootLayout& b) {
  const word_t f = b.first_free, u = b.ram_untyped_16k;
  return {retype(u, ObjectType::TCB, 0, f, 1),
          retype(u, ObjectType::SmallPage, 0, f + 1, 1),
          set_ipc_buffer(f, 0x2000, {f + 1}),
          get_address(f + 1),
          del(f + 1),                               // the thread holds the last cap to the frame
          set_ipc_buffer(f, 0x3000, {kIpcBuffer}),  // which is destroyed now
          set_ipc_buffer(f, 0, {kSmc}),
          set_ipc_buffer(f, 0x2400, {kIpcBuffer}),
          call_event(f, 12, {}),  // Resume: it has no CSpace or VSpace yet, but runs when chosen
          copy(f + 2, f),
          del(f),
          set_ipc_buffer(f + 2, 0x2800, {kIpcBuffer}),
          retype(u, ObjectType::SmallPage, 0, f + 3, 1),
          set_ipc_buffer(f + 2, 0x2800, {f + 3}),
          revoke(u),  // the TCB and the frame go
          retype(u, ObjectType::TCB, 0, f, 1),
          set_ipc_buffer(f, 0x2c00, {kIpcBuffer}),
          revoke(kIpcBuffer),  // both threads lose their buffer cap
          smc_call(kSmc, kPsciVersion),
          set_ipc_buffer(f, 0x2c00, {kIpcBuffer})};
}

}  // namespace

Event page_map(cptr_t frame, cptr_t vspace, word_t vaddr, word_t rights = 3, word_t attributes = 3) {
  return call_event(frame, lbl(Label::ARMPageMap), {vaddr, rights, attributes}, {vspace});
}
Event table_map(cptr_t pt, cptr_t vspace, word_t vaddr) {
  return call_event(pt, lbl(Label::ARMPageTableMap), {vaddr, 3}, {vspace});
}

// A second VSpace: an ASID, tables at each level, a page mapped, remapped, overwritten, copied,
// unmapped through stale and live caps, a page table removed, a new ASID pool, and revoke.
std::vector<Event> vspace_story(const BootLayout& b) {
  const word_t u = b.ram_untyped_64k, f = b.first_free, vs = f, frame = f + 4, other = f + 5,
               copy_slot = f + 6;
  const word_t va = 0x10000000;
  return {retype(u, ObjectType::VSpace, 0, vs, 1),
          page_map(frame, vs, va),  // an empty slot: the cap is null
          call_event(kAsidPool, lbl(Label::ARMASIDPoolAssign), {}, {vs}),
          retype(u, ObjectType::PageTable, 0, f + 1, 3),
          table_map(f + 1, vs, va),
          table_map(f + 2, vs, va),
          table_map(f + 3, vs, va),
          table_map(f + 3, vs, va),  // already mapped
          retype(u, ObjectType::SmallPage, 0, frame, 2),
          page_map(frame, vs, 0x800000000000),  // beyond seL4_UserTop
          page_map(frame, vs, va),
          page_map(frame, vs, va, 2, 7),  // remap read-only, execute-never
          page_map(other, vs, va),        // overwrites: `frame` is now stale
          page_map(frame, vs, va + 0x1000),
          copy(copy_slot, frame),
          page_map(copy_slot, vs, va + 0x1000),
          call_event(frame, lbl(Label::ARMPageUnmap), {}),
          call_event(other, lbl(Label::ARMPageClean_Data), {0, 0x100}),
          call_event(vs, lbl(Label::ARMVSpaceClean_Data), {va + 0x800, va + 0x1800}),
          del(copy_slot),
          call_event(f + 3, lbl(Label::ARMPageTableUnmap), {}),
          page_map(other, vs, va),  // its table is gone: FailedLookup, 21 bits left
          retype(u, ObjectType::Untyped, 12, f + 7, 1),
          call_event(kAsidControl, lbl(Label::ARMASIDControlMakePool), {f + 8, 64}, {f + 7, kRoot}),
          retype(u, ObjectType::VSpace, 0, f + 9, 1),
          call_event(f + 8, lbl(Label::ARMASIDPoolAssign), {}, {f + 9}),
          del(vs),
          revoke(u)};
}

BootLayout boot_layout(const LockstepConfig& cfg) {
  Lockstep ls(cfg);
  BootLayout b;
  const spec::State& s = ls.state();
  for (word_t i = 16; b.first_free == 0; ++i)
    if (!s.slot_at({ls.root_cnode(), i})) b.first_free = i;
  b.root_radix = s.cap_at({ls.root_cnode(), kRoot}).radix;
  b.ram_untyped_bits = 64;
  for (const auto& [r, sl] : s.slots) {
    if (r.object != ls.root_cnode() || sl.cap.type != spec::CapType::Untyped) continue;
    if (sl.cap.is_device && b.device_untyped == 0) b.device_untyped = r.index;
    if (!sl.cap.is_device && sl.cap.size_bits >= 12 && sl.cap.size_bits < b.ram_untyped_bits)
      b.ram_untyped = r.index, b.ram_untyped_bits = sl.cap.size_bits;
  }
  unsigned bits_16k = 64, bits_64k = 64;
  for (const auto& [r, sl] : s.slots) {
    if (r.object != ls.root_cnode()) continue;
    if (r.index >= 16 && sl.cap.type == spec::CapType::Frame && b.image_frame == 0) b.image_frame = r.index;
    if (sl.cap.type != spec::CapType::Untyped || sl.cap.is_device) continue;
    if (sl.cap.size_bits >= 14 && sl.cap.size_bits < bits_16k)
      b.ram_untyped_16k = r.index, bits_16k = sl.cap.size_bits;
    if (sl.cap.size_bits >= 16 && sl.cap.size_bits < bits_64k)
      b.ram_untyped_64k = r.index, bits_64k = sl.cap.size_bits;
  }
  if (const spec::Thread* t = s.thread(ls.root_tcb())) b.ipc_buffer_vaddr = t->ipc_buffer_vaddr;
  return b;
}

std::vector<Scenario> scenarios(const LockstepConfig& cfg) {
  const BootLayout b = boot_layout(cfg);
  Event unknown = raw_syscall_event(0);
  Event name_bad = debug_event(Syscall::DebugNameThread, kSmc);
  return {
      {"SmcMintCallRevoke", smc_story(b)},
      {"CNodeErrors", cnode_errors(b)},
      {"RetypeUntilOutOfMemory", retype_until_oom(b)},
      {"DeleteCNodeHoldingCaps", cnode_deletion(b)},
      {"NestedCNodeAndTcbBecomeZombies", nested_zombies(b)},
      {"DebugSyscalls", debug_story(b)},
      {"UnknownSyscallFaults", {debug_event(Syscall::DebugPutChar, 'x'), unknown}},
      {"NameThreadOnNonTcbHalts", {name_bad}},
      {"RootTaskDeletesItsTcb", {copy(b.first_free, kTcb), del(kTcb), del(b.first_free)}},
      {"RootTaskLosesItsCSpace", {revoke(kRoot), copy(b.first_free, kSmc)}},
      {"NoIpcBuffer",
       {revoke(kIpcBuffer), copy(b.first_free, kSmc),
        call_event(kRoot, lbl(Label::CNodeMint), {b.first_free + 1, 64, kSmc, 64, 0xf, 3}, {kRoot}),
        smc_call(kSmc, kPsciVersion), debug_event(Syscall::DebugCapIdentify, kSmc)}},
      {"SetIpcBufferChecksInOrder", set_ipc_buffer_errors(b)},
      {"IpcBufferRemovedCannotBeRestoredByTheThread", ipc_buffer_removed(b)},
      {"IpcBufferMovesAndGetAddress", ipc_buffer_moves(b)},
      {"OtherThreadsIpcBuffer", other_thread_buffer(b)},
      {"TwoThreadsShareTheCpu", two_threads(b)},
      {"IpcSendRecvCallReplyAndSignals", ipc_story(b)},
      {"FastpathCallsAndReplyRecvsAndWhatItDeclines", fastpath_story(b)},
      {"ReplyCapsSavedDeletedAndWithoutGrant", reply_story(b)},
      {"CallWithoutGrantAndResume", reply_cancel_story(b)},
      {"CapTransferGrantUnwrapAndStops", cap_transfer_story(b)},
      {"FaultsToAHandlerAndTheirReplies", fault_story(b)},
      {"CancelBadgedSendsAndEndpointDeletion", cancel_story(b)},
      {"VSpaceMapRemapUnmapAndAsids", vspace_story(b)},
      {"IrqHandlerLifecycle", irq_story(b)},
      {"IrqWakesTheWaitingDriver", irq_wakes_driver(b)},
      {"SgiSignalIssueDeliverRevoke", sgi_story(b)},
      // The root task alone: its time slice runs out on the fifth tick and is refilled, and it
      // runs on; a Yield in between does not refill it.
      {"TicksRunDownTheTimeSlice",
       {tick_event(), tick_event(), debug_event(Syscall::Yield), tick_event(), tick_event(), tick_event(),
        tick_event(), debug_event(Syscall::DebugCapIdentify, kSmc)}},
  };
}

}  // namespace keel::diff
