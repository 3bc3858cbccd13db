// IPC0001..IPC0009: endpoint messages between threads: Send/Recv of every length in both start
// orders, Call answered by ReplyRecv or by Reply then Recv, NBSend and NBRecv, and the rights an
// endpoint cap needs (seL4 facts: docs/sel4-facts/ipc.md §1-§2; the rig: ipc_lab.h).
#include "ipc_lab.h"

namespace systest {
namespace {

using ipc::g;
using ipc::info;
using ipc::kPoison;
using ipc::message;
using ipc::note;
using ipc::ok;
using ipc::record;
using ipc::Regs;
using ipc::Rig;
using ipc::Tail;
using ipc::Want;

constexpr seL4_Word kBadge = 0x1234;

// --- IPC0001, IPC0002: Send and Recv ----------------------------------------------------------

constexpr seL4_Word kSendLengths[] = {0, 1, 4, 5, 120};
constexpr unsigned kNumSendLengths = sizeof(kSendLengths) / sizeof(kSendLengths[0]);

// cap[0]: the sender's badged endpoint cap; cap[1]: the receiver's.
void send_lengths(seL4_Word i) {
  for (unsigned k = 0; k < kNumSendLengths; ++k)
    ipc::sys_send(message(g.cap[0], 0x40 + k, kSendLengths[k], k));
  g.steps[i] = 1;
}

void receive_rounds(seL4_Word i) {
  for (seL4_Word k = 0; k < g.param[0]; ++k) record(i, ipc::sys_recv(g.cap[1]));
  g.steps[i] = 1;
}

void send_recv(Test& t, bool receiver_first, seL4_Word sender_prio) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, kBadge);
  g.cap[1] = ep;
  g.param[0] = kNumSendLengths;
  constexpr seL4_Word kSender = 0, kReceiver = 1;
  if (receiver_first) {
    rig.start(kReceiver, receive_rounds, 100);
    rig.run_above();
    t.expect_eq("messages received before the sender started", g.n_rec[kReceiver], 0);
    rig.start(kSender, send_lengths, sender_prio);
  } else {
    rig.start(kSender, send_lengths, sender_prio);
    rig.run_above();
    t.expect_eq("sender finished before the receiver started", g.steps[kSender], 0);
    rig.start(kReceiver, receive_rounds, 100);
  }
  rig.run_above();
  t.expect(g.steps[kSender] == 1 && g.steps[kReceiver] == 1,
           "sender prio %lu: sender done %lu, receiver done %lu", sender_prio, g.steps[kSender],
           g.steps[kReceiver]);
  t.expect_eq("messages received", g.n_rec[kReceiver], kNumSendLengths);
  for (unsigned k = 0; k < kNumSendLengths && k < g.n_rec[kReceiver]; ++k) {
    char what[64];
    snprintf(what, sizeof what, "sender prio %lu, length %lu", sender_prio, kSendLengths[k]);
    ipc::expect_message(t, what, g.rec[kReceiver][k], Want{kBadge, 0x40 + k, kSendLengths[k], k});
  }
}

void ipc0001_receiver_waits_first(Test& t) {
  send_recv(t, true, 90);
  send_recv(t, true, 110);
}

void ipc0002_sender_blocks_first(Test& t) {
  send_recv(t, false, 90);
  send_recv(t, false, 110);
}

// --- IPC0003, IPC0004: Call answered by ReplyRecv, or by Reply then Recv --------------------

constexpr seL4_Word kCallLengths[] = {0, 1, 2, 3, 4, 10, 120};
constexpr unsigned kNumCalls = sizeof(kCallLengths) / sizeof(kCallLengths[0]);
constexpr seL4_Word kReplyRound = 0x10;  // reply k carries word(kReplyRound + k, j)

// Even rounds call through the badged cap[0], odd ones through the unbadged cap[1].
void client_calls(seL4_Word i) {
  for (unsigned k = 0; k < kNumCalls; ++k) {
    const seL4_CPtr cap = k % 2 == 0 ? g.cap[0] : g.cap[1];
    record(i, ipc::sys_call(message(cap, 0x50 + k, kCallLengths[k], k)));
  }
  g.steps[i] = 1;
}

// param[1] = 0: ReplyRecv; 1: Reply, then Recv.
void server_replies(seL4_Word i) {
  Regs r = ipc::sys_recv(g.cap[2]);
  for (unsigned k = 0; k < kNumCalls; ++k) {
    record(i, r);
    const Regs reply = message(g.cap[2], 0x60 + k, kCallLengths[k], kReplyRound + k);
    if (g.param[1] == 0) {
      r = ipc::sys_reply_recv(reply);
    } else {
      ipc::sys_reply(reply);
      r = ipc::sys_recv(g.cap[2]);
    }
  }
}

void call_and_reply(Test& t, seL4_Word how, seL4_Word client_prio) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, kBadge);
  g.cap[1] = rig.mint(ep, seL4_AllRights, 0);
  g.cap[2] = ep;
  g.param[1] = how;
  constexpr seL4_Word kClient = 0, kServer = 1;
  rig.start(kServer, server_replies, 100);
  rig.run_above();
  rig.start(kClient, client_calls, client_prio);
  rig.run_above();
  t.expect(g.steps[kClient] == 1, "client prio %lu did not get all its replies", client_prio);
  t.expect_eq("requests the server received", g.n_rec[kServer], kNumCalls);
  t.expect_eq("replies the client received", g.n_rec[kClient], kNumCalls);
  for (unsigned k = 0; k < kNumCalls && k < g.n_rec[kServer] && k < g.n_rec[kClient]; ++k) {
    char what[80];
    snprintf(what, sizeof what, "client prio %lu, request of length %lu", client_prio, kCallLengths[k]);
    const seL4_Word badge = k % 2 == 0 ? kBadge : 0;
    ipc::expect_message(t, what, g.rec[kServer][k],
                        Want{badge, 0x50 + k, kCallLengths[k], k, 0, 0, Tail::kNone});
    snprintf(what, sizeof what, "client prio %lu, reply of length %lu", client_prio, kCallLengths[k]);
    ipc::expect_message(t, what, g.rec[kClient][k],
                        Want{0, 0x60 + k, kCallLengths[k], kReplyRound + k, 0, 0, Tail::kRegs});
  }
}

void ipc0003_call_reply_recv(Test& t) {
  call_and_reply(t, 0, 90);
  call_and_reply(t, 0, 110);
}

void ipc0004_call_reply_then_recv(Test& t) {
  call_and_reply(t, 1, 90);
  call_and_reply(t, 1, 110);
}

// --- IPC0005, IPC0006: NBSend and NBRecv ----------------------------------------------------

void receive_two(seL4_Word i) {
  for (seL4_Word k = 0; k < 2; ++k) {
    record(i, ipc::sys_recv(g.cap[1]));
    note(0x200 + k);
  }
}

void nbsend_three(seL4_Word) {
  for (seL4_Word k = 0; k < 3; ++k) {
    ipc::sys_nbsend(message(g.cap[0], 0x70 + k, 1, k));
    note(0x100 + k);
  }
}

void nbrecv_once(seL4_Word i) {
  record(i, ipc::sys_nbrecv(g.cap[1]));
  g.steps[i] = 1;
}

void expect_order(Test& t, const seL4_Word* want, seL4_Word n) {
  if (!t.expect_eq("events logged", g.order_len, n)) return;
  for (seL4_Word k = 0; k < n; ++k) {
    if (!t.expect(g.order[k] == want[k], "event %lu is 0x%lx, expected 0x%lx", k, g.order[k], want[k]))
      return;
  }
}

// A waiting higher-priority receiver gets each NBSend at once (it preempts the sender); once no
// receiver waits, the message is lost and the sender goes on.
void ipc0005_nbsend(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, kBadge);
  g.cap[1] = ep;
  rig.start(1, receive_two, 100);
  rig.run_above();
  rig.start(0, nbsend_three, 50);
  rig.run_above();
  const seL4_Word order[] = {0x200, 0x100, 0x201, 0x101, 0x102};
  expect_order(t, order, 5);
  for (unsigned k = 0; k < 2 && k < g.n_rec[1]; ++k) {
    ipc::expect_message(t, k == 0 ? "first NBSend" : "second NBSend", g.rec[1][k],
                        Want{kBadge, 0x70 + k, 1, k});
  }
  rig.start(2, nbrecv_once, 100);  // the third message must not be queued
  rig.run_above();
  if (t.expect_eq("NBRecv returned", g.n_rec[2], 1)) {
    ipc::expect_badge_only(t, "NBRecv after a lost NBSend", g.rec[2][0].r, 0);
  }
}

void ipc0006_nbrecv_empty(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  g.cap[1] = rig.make(seL4_EndpointObject);
  rig.start(0, nbrecv_once, 100);
  rig.run_above();
  if (t.expect_eq("NBRecv returned at once", g.steps[0], 1)) {
    ipc::expect_badge_only(t, "NBRecv on an empty endpoint", g.rec[0][0].r, 0);
  }
}

// --- IPC0007..IPC0009: rights -----------------------------------------------------------------

// cap[0] lacks Write, cap[1] has all rights.
void send_without_write(seL4_Word i) {
  ipc::sys_send(message(g.cap[0], 0x71, 1, 0));
  note(1);
  record(i, ipc::sys_call(message(g.cap[0], 0x72, 1, 1)));
  note(2);
  ipc::sys_send(message(g.cap[1], 0x73, 2, 2));
  note(3);
}

void ipc0007_no_write(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_NoWrite, 0x7);
  g.cap[1] = rig.mint(ep, seL4_AllRights, 0x8);
  g.param[0] = 2;
  rig.start(1, receive_rounds, 100);
  rig.run_above();
  // receive_rounds receives on cap[1]; a Send without Write must not reach it.
  rig.start(0, send_without_write, 50);
  rig.run_above();
  t.expect_eq("sender steps", g.order_len, 3);
  if (t.expect_eq("messages received (only the one through the cap with Write)", g.n_rec[1], 1)) {
    ipc::expect_message(t, "Send with Write", g.rec[1][0], Want{0x8, 0x73, 2, 2});
  }
  if (t.expect_eq("Call without Write returned", g.n_rec[0], 1)) {
    const Regs& r = g.rec[0][0].r;
    t.expect(r.x[0] == 0 && r.x[1] == info(seL4_InvalidCapability, 0, 1) && r.x[2] == 0,
             "Call without Write: x0 0x%lx, x1 0x%lx, x2 0x%lx; expected 0, InvalidCapability length 1, 0",
             r.x[0], r.x[1], r.x[2]);
    t.expect(r.x[3] == kPoison + 3 && r.x[4] == kPoison + 4 && r.x[5] == kPoison + 5,
             "Call without Write: x3..x5 changed");
  }
}

// A thread that never gets past its Recv: it must fault (cap[0] lacks Read).
void recv_without_read(seL4_Word i) {
  g.steps[i] = 1;
  ipc::sys_recv(g.cap[0]);
  g.steps[i] = 2;
}

// Receives one fault message on cap[2] and does not answer it.
void fault_catcher(seL4_Word i) { record(i, ipc::sys_recv(g.cap[2])); }

void ipc0008_no_read_faults(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject), fault_ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_CanWrite, 0);
  const seL4_CPtr handler = rig.mint(fault_ep, seL4_CapRights_new(1, 0, 0, 1), 0xfa);
  g.cap[2] = fault_ep;
  rig.start(1, fault_catcher, 100);
  rig.run_above();
  const seL4_CPtr faulter = rig.start(0, recv_without_read, 80, handler);
  rig.run_above();
  t.expect_eq("faulter steps (it must stop in its Recv)", g.steps[0], 1);
  if (!t.expect_eq("fault messages", g.n_rec[1], 1)) return;
  seL4_UserContext regs = {};
  ok(t, "ReadRegisters of the faulter", seL4_TCB_ReadRegisters(faulter, 0, 0, 1, &regs));
  const ipc::Record& m = g.rec[1][0];
  t.expect(m.r.x[0] == 0xfa && m.r.label() == seL4_Fault_CapFault && m.r.length() == 5,
           "fault message badge 0x%lx, label %lu, length %lu; expected 0xfa, CapFault, 5", m.r.x[0],
           m.r.label(), m.r.length());
  t.expect_eq("MR0 (restart pc)", m.r.x[2], regs.pc);
  t.expect_eq("MR1 (cptr)", m.r.x[3], g.cap[0]);
  t.expect_eq("MR2 (inRecvPhase)", m.r.x[4], 1);
  t.expect_eq("MR3 (lookup failure type)", m.r.x[5], seL4_MissingCapability);
  t.expect_eq("MR4 (bitsLeft)", m.msg[4], 0);
}

// Server: receives on cap[2] twice; after each, SaveCaller into cap[3] (error, tag in param).
void save_caller_twice(seL4_Word i) {
  for (seL4_Word k = 0; k < 2; ++k) {
    record(i, ipc::sys_recv(g.cap[2]));
    g.param[2 * k] = seL4_CNode_SaveCaller(ipc::kRoot, g.cap[3], ipc::kDepth);
    g.param[2 * k + 1] = seL4_DebugCapIdentify(g.cap[3]);
  }
}

void call_once(seL4_Word i) {
  record(i, ipc::sys_call(message(g.cap[0], 0x90, 2, 0)));
  g.steps[i] = 1;
}

// The message arrives but no reply cap is made: the caller is left Inactive, and Resume runs
// its Call again (IPCRIGHTS0004).
void ipc0009_call_without_grant(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_CanWrite, 0x9);
  g.cap[2] = ep;
  g.cap[3] = rig.take();
  rig.start(1, save_caller_twice, 100);
  rig.run_above();
  const seL4_CPtr client = rig.start(0, call_once, 80);
  rig.run_above();
  if (!t.expect_eq("messages received", g.n_rec[1], 1)) return;
  ipc::expect_message(t, "Call without Grant", g.rec[1][0], Want{0x9, 0x90, 2, 0});
  t.expect_eq("SaveCaller error", g.param[0], seL4_NoError);
  t.expect_eq("SaveCaller slot's cap tag (no reply cap)", g.param[1], seL4_CapTag_Null);
  t.expect_eq("client returned from its Call", g.steps[0], 0);
  ok(t, "Resume of the client", seL4_TCB_Resume(client));
  rig.run_above();
  if (t.expect_eq("messages received after Resume (the Call runs again)", g.n_rec[1], 2)) {
    ipc::expect_message(t, "the Call again", g.rec[1][1], Want{0x9, 0x90, 2, 0});
  }
  t.expect_eq("client returned from its Call", g.steps[0], 0);
}

const TestCase kCases[] = {
    {"IPC0001 Send+Recv, receiver waiting first: lengths 0, 1, 4, 5, 120, badge, every word",
     ipc0001_receiver_waits_first},
    {"IPC0002 Send+Recv, sender blocked first: the same, sender priority below and above",
     ipc0002_sender_blocks_first},
    {"IPC0003 Call+ReplyRecv: lengths 0..4, 10, 120 both ways, badge or 0 in x0, reply x0 = 0",
     ipc0003_call_reply_recv},
    {"IPC0004 Call answered by Reply, then Recv", ipc0004_call_reply_then_recv},
    {"IPC0005 NBSend reaches a waiting higher-priority receiver at once, else is lost", ipc0005_nbsend},
    {"IPC0006 NBRecv on an empty endpoint returns badge 0 at once, x1..x5 untouched", ipc0006_nbrecv_empty},
    {"IPC0007 without Write: Send dropped silently, Call gets InvalidCapability", ipc0007_no_write},
    {"IPC0008 Recv without Read: cap fault to the fault endpoint, inRecvPhase 1", ipc0008_no_read_faults},
    {"IPC0009 Call without Grant/GrantReply: delivered, no reply cap, caller Inactive until Resume",
     ipc0009_call_without_grant},
};

}  // namespace

Suite ipc_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
