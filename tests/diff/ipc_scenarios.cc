// Scripted IPC, fault, IRQ and SGI scenarios: send/receive/call/reply between two threads, signals,
// cap transfer, faults to a handler, badged-send cancellation, IRQ handlers and SGI signals.
#include "scenario_events.h"

namespace keel::diff::script {

namespace {

// IPC between the root task and a second thread f+1 (priority 100, its own IPC buffer f+5):
// every event is issued by whichever thread runs, so each step below names who that is.
Event ipc(Syscall sys, cptr_t cap, word_t label = 0, const std::vector<word_t>& mrs = {},
          const std::vector<cptr_t>& extra = {}) {
  return call_event(cap, label, mrs, extra, sys);
}

// A receive whose buffer names the root CNode's slot `slot` for a transferred cap.
Event recv_into(Syscall sys, cptr_t cap, word_t slot) {
  Event e = ipc(sys, cap);
  e.ipc[spec::kIpcBufferWords - 3] = kRoot;
  e.ipc[spec::kIpcBufferWords - 2] = slot;
  e.ipc[spec::kIpcBufferWords - 1] = 64;
  return e;
}

Event irq_event(word_t irq) {
  Event e;
  e.interrupt = irq;
  return e;
}

Event irq_get(word_t irq, word_t dest, std::vector<cptr_t> cnode = {kRoot}) {
  return call_event(kIrqControl, lbl(Label::IRQIssueIRQHandler), {irq, dest, 64}, cnode);
}

Event issue_sgi(const std::vector<word_t>& mrs, std::vector<cptr_t> cnode = {kRoot}) {
  return call_event(kIrqControl, lbl(Label::ARMIRQIssueSGISignal), mrs, cnode);
}

}  // namespace

std::vector<Event> ipc_setup(const BootLayout& b) {
  const word_t f = b.first_free, u = b.ram_untyped_16k;
  return {retype(u, ObjectType::Endpoint, 0, f, 1),
          retype(u, ObjectType::TCB, 0, f + 1, 1),
          retype(u, ObjectType::Notification, 0, f + 2, 1),
          retype(u, ObjectType::SmallPage, 0, f + 5, 1),
          call_event(f + 1, lbl(Label::TCBConfigure), {0, 0, 0, 0x2000}, {kRoot, kVSpace, f + 5}),
          call_event(f + 1, lbl(Label::TCBSetPriority), {100}, {kTcb}),
          call_event(f + 1, lbl(Label::TCBWriteRegisters), {1, 1, 0x400000}),
          mint(f + 3, f, 0x42),
          mint(f + 4, f + 2, 0x10)};
}

std::vector<Event> ipc_story(const BootLayout& b) {
  const word_t f = b.first_free, ep = f, badged = f + 3, ntfn = f + 2, ntfn_badged = f + 4;
  std::vector<Event> e = ipc_setup(b);
  const std::vector<Event> story = {
      ipc(Syscall::Recv, ep),                             // root waits: f+1 runs
      ipc(Syscall::Send, badged, 7, {1, 2, 3, 4, 5, 6}),  // by f+1: root wakes, preempts
      ipc(Syscall::Recv, ep),                             // root waits again
      ipc(Syscall::Call, ep, 9, {10, 20}),                // by f+1: root gets a reply cap
      ipc(Syscall::Reply, 0, 0, {77, 88, 99, 1, 2}),      // root answers, runs on
      ipc(Syscall::Recv, ep),                             // f+1 runs
      ipc(Syscall::Call, badged, 1, {5}),                 // by f+1
      ipc(Syscall::ReplyRecv, ep, 0, {6}),                // root replies and waits: f+1 runs
      ipc(Syscall::NBSend, ep, 3, {8}),                   // by f+1: delivered, root preempts
      ipc(Syscall::NBRecv, ep),                           // root: nothing queued
      ipc(Syscall::Send, ntfn),                           // root signals: Active, word 0
      ipc(Syscall::Send, ntfn_badged),                    // word 0x10
      mint(f + 6, ntfn, 0x1),
      ipc(Syscall::Send, f + 6),           // word 0x11: badges are OR-ed
      ipc(Syscall::Recv, ntfn),            // root gets 0x11
      ipc(Syscall::Recv, ntfn),            // root waits: f+1 runs
      ipc(Syscall::Call, ntfn_badged),     // by f+1: root wakes, f+1 gets 0, 0
      ipc(Syscall::NBRecv, ntfn),          // root: 0
      ipc(Syscall::Send, ep, 2, {1}),      // root queues on ep: f+1 runs
      ipc(Syscall::Send, badged, 4, {2}),  // f+1 queues behind it: idle
  };
  e.insert(e.end(), story.begin(), story.end());
  return e;
}

// A Call leaves a reply cap that SaveCaller moves and a Send through it answers; Recv deletes a
// pending one; a Call without Grant leaves the caller Inactive; Suspend and Resume cancel.
std::vector<Event> reply_story(const BootLayout& b) {
  const word_t f = b.first_free, ep = f;
  std::vector<Event> e = ipc_setup(b);
  const std::vector<Event> story = {
      ipc(Syscall::Recv, ep),  // f+1 runs
      ipc(Syscall::Call, ep, 1, {1}),
      call_event(kRoot, lbl(Label::CNodeSaveCaller), {f + 6, 64}),
      ipc(Syscall::Reply, 0),                // the caller slot is empty now: nothing
      ipc(Syscall::Send, f + 6, 5, {9, 8}),  // through the saved cap: f+1 runs again later
      mint(f + 7, ep, 0, 0x1),               // write only
      ipc(Syscall::Recv, ep),                // f+1 runs
      ipc(Syscall::Call, ep, 2, {3}),        // by f+1, a reply cap to root
      ipc(Syscall::Recv, ep),                // root's Recv deletes it: f+1 stays blocked; idle
  };
  e.insert(e.end(), story.begin(), story.end());
  return e;
}

std::vector<Event> reply_cancel_story(const BootLayout& b) {
  const word_t f = b.first_free, ep = f;
  std::vector<Event> e = ipc_setup(b);
  const std::vector<Event> story = {
      mint(f + 7, ep, 0, 0x1),                                      // write only
      ipc(Syscall::Recv, ep),                                       // f+1 runs
      ipc(Syscall::Call, f + 7, 1, {1}),                            // no Grant: f+1 Inactive
      call_event(kRoot, lbl(Label::CNodeSaveCaller), {f + 6, 64}),  // nothing to save
      call_event(f + 1, lbl(Label::TCBResume), {}),                 // it will re-run its Call
      ipc(Syscall::Recv, ep),                                       // f+1 runs
      ipc(Syscall::Call, f + 7, 1, {2}),                            // delivered, Inactive again
      call_event(f + 1, lbl(Label::TCBResume), {}),
      ipc(Syscall::Recv, f + 2),       // root waits on the notification: f+1 runs
      ipc(Syscall::Call, ep, 1, {1}),  // by f+1: queued; nobody can run any more
  };
  e.insert(e.end(), story.begin(), story.end());
  return e;
}

// Caps in messages: with Grant one arrives in the receive slot, without it none; a cap to the
// endpoint itself arrives as its badge.
std::vector<Event> cap_transfer_story(const BootLayout& b) {
  const word_t f = b.first_free, ep = f;
  std::vector<Event> e = ipc_setup(b);
  const std::vector<Event> story = {
      mint(f + 7, ep, 0, 0x3),  // no Grant
      recv_into(Syscall::Recv, ep, f + 8),
      ipc(Syscall::Send, ep, 1, {1}, {f + 2}),  // by f+1: the notification cap arrives in f+8
      recv_into(Syscall::Recv, ep, f + 9),
      ipc(Syscall::Send, f + 7, 1, {}, {f + 2}),            // without Grant: nothing
      recv_into(Syscall::Recv, ep, f + 8),                  // f+8 is occupied: no slot
      ipc(Syscall::Send, ep, 1, {}, {f + 3, f + 2, kSmc}),  // badge 0x42 unwrapped, no slot for the rest
      recv_into(Syscall::Recv, ep, f + 9),
      ipc(Syscall::Send, ep, 1, {}, {f + 2, kSmc, f + 3}),  // one cap, then the loop stops
      recv_into(Syscall::Recv, ep, f + 10),
      ipc(Syscall::Send, ep, 1, {}, {kIrqControl}),  // derives to null: stops
      recv_into(Syscall::Recv, ep, f + 10),
      ipc(Syscall::Send, ep, 1, {}, {f + 60}),  // an empty slot: not a cap fault at transfer
  };
  e.insert(e.end(), story.begin(), story.end());
  return e;
}

// Faults go to the fault endpoint f+3 (badge 0x42): an unknown syscall, a cap fault, a reply
// that restarts, one that stops; a handler cap without Grant is a double fault.
std::vector<Event> fault_story(const BootLayout& b) {
  const word_t f = b.first_free, ep = f;
  std::vector<Event> e = ipc_setup(b);
  const std::vector<Event> story = {
      call_event(f + 1, lbl(Label::TCBSetSpace), {f + 3, 0, 0}, {kRoot, kVSpace}),
      ipc(Syscall::Recv, ep),       // f+1 runs
      raw_syscall_event(0xc1, 17),  // by f+1: unknown syscall, delivered
      ipc(Syscall::Reply, 0, 0, {1, 2, 3, 4, 5, 6, 7, 8, 0x400008, 0x9000, 0, 0xf00003c5}),
      ipc(Syscall::Recv, ep),          // f+1 runs from 0x400008
      ipc(Syscall::Recv, f + 60),      // by f+1: a cap fault (empty slot), delivered
      ipc(Syscall::Reply, 0, 1),       // a cap fault restarts whatever the label
      ipc(Syscall::Send, ep, 2, {1}),  // root queues: f+1 runs
      ipc(Syscall::Recv, ep),          // by f+1: gets it; root runs
      call_event(kTcb, lbl(Label::TCBSetPriority), {10}, {kTcb}),  // f+1 runs
      raw_syscall_event(0xc2),         // by f+1: nobody waits, the fault queues; root runs
      ipc(Syscall::Recv, ep),          // root takes the queued fault
      ipc(Syscall::Reply, 0, 1, {5}),  // label 1: f+1 stays Inactive with x0 = 5
      mint(f + 7, ep, 0, 0x1),
      call_event(f + 1, lbl(Label::TCBSetSpace), {f + 7, 0, 0}, {kRoot, kVSpace}),
      call_event(f + 1, lbl(Label::TCBResume), {}),  // f+1 runs at once
      raw_syscall_event(0xc3),                       // double fault: no Grant on its handler cap
      debug_event(Syscall::DebugCapIdentify, ep),    // by the root again
  };
  e.insert(e.end(), story.begin(), story.end());
  return e;
}

// Queued threads when a badge is cancelled and when their endpoint goes: the root task drops
// below f+1 (100) and a third thread f+6 (50), so each runs until it blocks.
std::vector<Event> cancel_story(const BootLayout& b) {
  const word_t f = b.first_free, u = b.ram_untyped_16k, ep = f;
  std::vector<Event> e = ipc_setup(b);
  const std::vector<Event> story = {
      retype(u, ObjectType::TCB, 0, f + 6, 1),
      call_event(f + 6, lbl(Label::TCBConfigure), {0, 0, 0, 0}, {kRoot, kVSpace, kIpcBuffer}),
      call_event(f + 6, lbl(Label::TCBSetPriority), {50}, {kTcb}),
      call_event(f + 6, lbl(Label::TCBWriteRegisters), {1, 1, 0x400000}),
      call_event(kTcb, lbl(Label::TCBSetPriority), {10}, {kTcb}),          // f+1 runs
      ipc(Syscall::Send, f + 3, 1, {1}),                                   // by f+1, badge 0x42: f+6 runs
      ipc(Syscall::Send, ep, 2, {2}),                                      // by f+6, unbadged: root runs
      call_event(kRoot, lbl(Label::CNodeCancelBadgedSends), {f + 3, 64}),  // f+1 restarts, runs
      ipc(Syscall::Send, f + 3, 1, {1}),                                   // by f+1: queued again
      revoke(ep),                                                          // root: the badged copy goes
      del(ep),  // the last cap: f+6 and f+1 restart and run into cap faults
  };
  e.insert(e.end(), story.begin(), story.end());
  return e;
}

// A driver waiting on its IRQ's notification: with nothing runnable the kernel idles, and
// the interrupt wakes the root task with the handler's badge; until Ack it stays masked.
std::vector<Event> irq_wakes_driver(const BootLayout& b) {
  const word_t f = b.first_free, ntfn = f + 1, badged = f + 2;
  const word_t ack = lbl(Label::IRQAckIRQ), set = lbl(Label::IRQSetIRQHandler);
  return {irq_get(40, f),
          retype(b.ram_untyped, ObjectType::Notification, 0, ntfn, 1),
          mint(badged, ntfn, 0x5),
          call_event(f, set, {}, {badged}),
          call_event(ntfn, 0, {}, {}, Syscall::Recv),  // the root waits: the kernel idles
          irq_event(40),                               // wakes it with badge 5
          call_event(f, ack, {}),
          call_event(ntfn, 0, {}, {}, Syscall::Recv),
          irq_event(41),  // nobody's IRQ: masked, the kernel idles on
          irq_event(40),
          call_event(ntfn, 0, {}, {}, Syscall::NBRecv),  // masked until Ack: nothing pending
          call_event(f, ack, {})};
}

// SGIs: IssueSGISignal's errors in seL4's order, an SGI to this core with nobody handling its
// IRQ, then bound through an IRQ handler to a badged notification (delivered, masked until Ack),
// an SGI to another CPU interface (nothing arrives), copies, Mint, any label, revoke.
std::vector<Event> sgi_story(const BootLayout& b) {
  const word_t f = b.first_free, ntfn = f + 1, badged = f + 2, handler = f + 3, other = f + 4, dup = f + 5;
  const word_t ack = lbl(Label::IRQAckIRQ), set = lbl(Label::IRQSetIRQHandler);
  return {issue_sgi({5, 0, f}),                       // truncated
          issue_sgi({5, 0, f, 64}, {}),               // no CNode
          issue_sgi({16, 8, f, 64}),                  // RangeError 0..15 before the target
          issue_sgi({~word_t{0}, 0, f, 64}),          // the full word counts
          issue_sgi({15, 8, f, 64}),                  // InvalidArgument 1
          issue_sgi({5, 0, f, 64}, {kSmc}),           // not a CNode
          issue_sgi({5, 0, f, 65}),                   // RangeError 1..64
          issue_sgi({5, 7, kSmc, 64}),                // DeleteFirst
          issue_sgi({5, 0, f, 64}),                   // issued
          debug_event(Syscall::DebugCapIdentify, f),  // 27
          call_event(f, 0, {}),                       // IRQ 5 is nobody's: masked again
          retype(b.ram_untyped, ObjectType::Notification, 0, ntfn, 1),
          mint(badged, ntfn, 0x55),
          irq_get(5, handler),
          call_event(handler, set, {}, {badged}),
          call_event(f, 1000, {1, 2, 3}, {}, Syscall::Send),  // any label: delivered, badge 0x55
          call_event(ntfn, 0, {}, {}, Syscall::NBRecv),
          call_event(f, 0, {}, {}, Syscall::NBSend),  // SGIs cannot be masked: again
          call_event(handler, ack, {}),
          call_event(ntfn, 0, {}, {}, Syscall::NBRecv),
          issue_sgi({5, 1, other, 64}),  // CPU interface 1: not this core
          call_event(other, 0, {}),
          mint(dup, f, 0x99, 0),  // no badge, no rights: a copy
          call_event(dup, 0, {}),
          issue_sgi({5, 0, dup + 1, 64}),  // another original for SGI 5
          revoke(dup + 1),                 // not the parent of f or dup
          call_event(dup, 0, {}),
          revoke(f),  // dup was f's child
          call_event(dup, 0, {}),
          revoke(kIrqControl),  // every SGI cap and the handler
          call_event(f, 0, {}),
          call_event(ntfn, 0, {}, {}, Syscall::NBRecv)};
}

// An IRQ handler's life: IRQControl_Get's errors in seL4's order, delivery masking the IRQ
// until Ack, a notification bound, replaced and cleared, copies deleted down to the last (which
// frees the IRQ and masks it), GetTrigger, a revoke of IRQControl, and IRQs nobody owns.
std::vector<Event> irq_story(const BootLayout& b) {
  const word_t f = b.first_free, ntfn = f + 1, copy_slot = f + 2;
  const word_t ack = lbl(Label::IRQAckIRQ), set = lbl(Label::IRQSetIRQHandler);
  const word_t clear = lbl(Label::IRQClearIRQHandler);
  return {call_event(kIrqControl, lbl(Label::IRQIssueIRQHandler), {40, f}, {kRoot}),  // truncated
          irq_get(40, f, {}),                                                         // no CNode
          irq_get(160, f),                                                            // RangeError
          irq_get(27, f),                                                             // the timer
          irq_get(40, f, {kSmc}),                                                     // not a CNode
          irq_get(40, kSmc),                                                          // DeleteFirst
          irq_get(40, f),
          irq_get(40, f + 5),  // RevokeFirst: issued
          irq_event(40),       // undelivered, masked
          call_event(f, ack, {}),
          retype(b.ram_untyped, ObjectType::Notification, 0, ntfn, 1),
          call_event(f, set, {}),
          call_event(f, set, {}, {kSmc}),
          call_event(f, set, {}, {ntfn}),
          irq_event(40),
          tick_event(),
          call_event(f, ack, {}),
          copy(copy_slot, f),
          del(f),
          irq_event(40),
          call_event(copy_slot, clear, {}),
          call_event(copy_slot, set, {}, {ntfn}),
          del(ntfn),  // the IRQ's slot now holds the notification's last cap
          irq_event(41),
          irq_event(300),
          call_event(copy_slot, lbl(Label::IRQIssueIRQHandler), {}),  // not a handler label
          del(copy_slot),                                             // frees IRQ 40, masks it
          call_event(kIrqControl, lbl(Label::ARMIRQIssueIRQHandlerTrigger), {40, 1, f, 64}, {kRoot}),
          call_event(kIrqControl, lbl(Label::ARMIRQIssueIRQHandlerTrigger), {41, 0, f + 3, 64}, {kRoot}),
          call_event(kIrqControl, lbl(Label::ARMIRQIssueSGISignal), {1, 0, f + 4, 64}, {kRoot}),
          irq_event(41),
          revoke(kIrqControl),
          irq_get(41, f),
          call_event(f, ack, {})};
}

// Calls and ReplyRecvs between the root task (priority 255), A = f+1 (100) and B = f+9 (200,
// started on the way): the fastpath takes the short, cap-free ones whose woken thread runs at
// once, and leaves every other case to the slow path (ipc.md §6).
std::vector<FastpathStep> fastpath_steps(const BootLayout& b) {
  const word_t f = b.first_free, ep = f, tcb_b = f + 9;
  return {
      {ipc(Syscall::Recv, ep), false},                  // root waits: A runs
      {ipc(Syscall::Call, ep, 1, {1, 2, 3, 4}), true},  // A: four words, root runs
      {call_event(tcb_b, lbl(Label::TCBWriteRegisters), {1, 1, 0x400000}), false},  // B ready
      {ipc(Syscall::ReplyRecv, ep, 0, {5}), false},          // root answers A, but B outranks A
      {ipc(Syscall::Recv, ep), false},                       // B queues behind root: A runs
      {ipc(Syscall::Call, ep, 2, {7}), true},                // A wakes root
      {ipc(Syscall::ReplyRecv, ep), true},                   // root answers A and queues behind B
      {ipc(Syscall::Call, ep, 3, {1}), true},                // A wakes B
      {ipc(Syscall::ReplyRecv, ep, 0, {2, 3}), true},        // B answers A and queues
      {ipc(Syscall::Call, ep, 4, {1, 2, 3, 4, 5}), false},   // A: five words need the buffer
      {ipc(Syscall::ReplyRecv, ep, 0, {}, {kRoot}), false},  // root replies with a cap
      {ipc(Syscall::Call, f + 3, 5), true},                  // A through the badged copy wakes B
      {mint(f + 7, ep, 0, 0x3), false},                      // B (sharing root's CSpace): no Grant
      {ipc(Syscall::ReplyRecv, ep), true},                   // B answers A and queues
      {ipc(Syscall::Call, f + 7, 6, {1}), false},            // A: a Call that leaves no reply cap
      {mint(f + 8, ep, 0, 0x1), false},                      // root: a cap without Read
      {ipc(Syscall::ReplyRecv, f + 8), false},               // no reply cap, a receive that faults
  };
}

std::vector<Event> fastpath_story(const BootLayout& b) {
  const word_t f = b.first_free, tcb_b = f + 9;
  std::vector<Event> e = ipc_setup(b);
  e.push_back(retype(b.ram_untyped_16k, ObjectType::TCB, 0, tcb_b, 1));
  e.push_back(call_event(tcb_b, lbl(Label::TCBConfigure), {0, 0, 0, 0x2000}, {kRoot, kVSpace, f + 5}));
  e.push_back(call_event(tcb_b, lbl(Label::TCBSetPriority), {200}, {kTcb}));
  for (const FastpathStep& s : fastpath_steps(b)) e.push_back(s.event);
  return e;
}

}  // namespace keel::diff::script
