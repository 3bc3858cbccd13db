// IPC0010..IPC0015: caps in messages (transfer with and without Grant, unwrapping of the
// endpoint's own caps) and non-MCS reply caps (SaveCaller, Send on a saved reply cap, Reply with
// nothing to answer, a second Recv dropping the pending caller) (docs/sel4-facts/ipc.md §2.5, §3).
#include "ipc_lab.h"

namespace systest {
namespace {

using ipc::g;
using ipc::info;
using ipc::kDepth;
using ipc::kRoot;
using ipc::message;
using ipc::note;
using ipc::ok;
using ipc::record;
using ipc::Regs;
using ipc::Rig;
using ipc::Tail;
using ipc::Want;

constexpr seL4_Word kNtfnBadge = 0x55, kSelfBadge = 0x77;
constexpr seL4_CapRights_t kNoGrant = seL4_CapRights_new(1, 0, 1, 1);

// --- IPC0010..IPC0012: cap transfer -----------------------------------------------------------

// Receives once on cap[1] with the receive slot cap[3].
void receive_with_slot(seL4_Word i) {
  ipc::set_receive_slot(g.cap[3]);
  record(i, ipc::sys_recv(g.cap[1]));
}

// Sends one word through cap[0] with param[0] extra caps cap[4], cap[5].
void send_caps(seL4_Word i) {
  seL4_SetCap(0, g.cap[4]);
  seL4_SetCap(1, g.cap[5]);
  ipc::sys_send(message(g.cap[0], 0xa0, 1, 0, g.param[0]));
  g.steps[i] = 1;
}

// The endpoint in cap[1], a notification badged kNtfnBadge in cap[4], a receive slot in cap[3];
// returns the unbadged notification.
seL4_CPtr set_up_transfer(Rig& rig, seL4_CapRights_t sender_rights, seL4_Word extra_caps) {
  const seL4_CPtr ep = rig.make(seL4_EndpointObject), ntfn = rig.make(seL4_NotificationObject);
  g.cap[0] = rig.mint(ep, sender_rights, 0xa);
  g.cap[1] = ep;
  g.cap[3] = rig.take();
  g.cap[4] = rig.mint(ntfn, seL4_AllRights, kNtfnBadge);
  g.param[0] = extra_caps;
  return ntfn;
}

void run_transfer(Rig& rig) {
  rig.start(1, receive_with_slot, 100);
  rig.run_above();
  rig.start(0, send_caps, 80);
  rig.run_above();
}

// The received cap is a working copy of the badged notification: a signal through it reaches
// the original with the badge.
void expect_received_notification(Test& t, seL4_CPtr slot, seL4_CPtr ntfn) {
  if (!t.expect_eq("cap tag in the receive slot", seL4_DebugCapIdentify(slot), seL4_CapTag_Notification))
    return;
  seL4_Signal(slot);
  seL4_Word word = 0;
  (void)seL4_Poll(ntfn, &word);
  t.expect_eq("signal through the received cap", word, kNtfnBadge);
}

void ipc0010_grant_transfers_one_cap(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ntfn = set_up_transfer(rig, seL4_AllRights, 1);
  run_transfer(rig);
  if (!t.expect_eq("messages received", g.n_rec[1], 1)) return;
  ipc::expect_message(t, "message with a cap", g.rec[1][0], Want{0xa, 0xa0, 1, 0, 1, 0});
  expect_received_notification(t, g.cap[3], ntfn);
}

void ipc0011_no_grant_no_cap(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  set_up_transfer(rig, kNoGrant, 1);
  run_transfer(rig);
  if (!t.expect_eq("messages received", g.n_rec[1], 1)) return;
  ipc::expect_message(t, "message without Grant", g.rec[1][0], Want{0xa, 0xa0, 1, 0, 0, 0});
  t.expect_eq("cap tag in the receive slot", seL4_DebugCapIdentify(g.cap[3]), seL4_CapTag_Null);
  t.expect_eq("caps_or_badges[0] (untouched)", g.rec[1][0].caps_or_badges[0], ipc::kBufPoison + 0x100);
}

// Caps [the endpoint itself badged kSelfBadge, the notification]: the first is unwrapped to its
// badge, the second transferred.
void ipc0012_unwrap_own_endpoint(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ntfn = set_up_transfer(rig, seL4_AllRights, 2);
  g.cap[5] = g.cap[4];
  g.cap[4] = rig.mint(g.cap[1], seL4_AllRights, kSelfBadge);
  run_transfer(rig);
  if (!t.expect_eq("messages received", g.n_rec[1], 1)) return;
  const ipc::Record& r = g.rec[1][0];
  ipc::expect_message(t, "message with [own endpoint, notification]", r, Want{0xa, 0xa0, 1, 0, 2, 1});
  t.expect_eq("caps_or_badges[0] (the unwrapped badge)", r.caps_or_badges[0], kSelfBadge);
  t.expect_eq("caps_or_badges[1] (untouched)", r.caps_or_badges[1], ipc::kBufPoison + 0x101);
  expect_received_notification(t, g.cap[3], ntfn);
}

// --- IPC0013..IPC0015: reply caps -------------------------------------------------------------

void call_and_record(seL4_Word i) {
  record(i, ipc::sys_call(message(g.cap[0], 0xc0, 3, 0)));
  g.steps[i] = 1;
}

// Saves the caller into cap[3], tries a Reply with the caller slot now empty, then answers
// through the saved cap with a Send.
void save_then_send(seL4_Word i) {
  record(i, ipc::sys_recv(g.cap[1]));
  g.param[0] = seL4_CNode_SaveCaller(kRoot, g.cap[3], kDepth);
  g.param[1] = seL4_DebugCapIdentify(g.cap[3]);
  ipc::sys_reply(message(0, 0xdd, 1, 9));
  ipc::sys_send(message(g.cap[3], 0xd0, 2, 5));
  g.param[3] = seL4_DebugCapIdentify(g.cap[3]);
}

void ipc0013_save_caller_then_send(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, 0xc);
  g.cap[1] = ep;
  g.cap[3] = rig.take();
  rig.start(1, save_then_send, 100);
  rig.run_above();
  rig.start(0, call_and_record, 80);
  rig.run_above();
  if (!t.expect_eq("calls received", g.n_rec[1], 1)) return;
  ipc::expect_message(t, "the call", g.rec[1][0], Want{0xc, 0xc0, 3, 0});
  t.expect_eq("SaveCaller error", g.param[0], seL4_NoError);
  t.expect_eq("saved cap's tag", g.param[1], seL4_CapTag_Reply);
  t.expect_eq("saved slot's tag after the Send on it (used up)", g.param[3], seL4_CapTag_Null);
  if (t.expect_eq("replies the caller received", g.n_rec[0], 1)) {
    ipc::expect_message(t, "reply through the saved cap", g.rec[0][0],
                        Want{0, 0xd0, 2, 5, 0, 0, Tail::kNone});
  }
}

// Reply with nothing to answer: every register comes back as it went in.
void reply_to_nobody(seL4_Word i) {
  record(i, ipc::sys_reply(Regs{{0x1111, info(0x5, 0, 2), 0x2222, 0x3333, 0x4444, 0x5555}}));
  g.steps[i] = 1;
}

void ipc0014_reply_without_caller(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  rig.start(0, reply_to_nobody, 100);
  rig.run_above();
  if (!t.expect_eq("Reply returned", g.steps[0], 1)) return;
  const Regs want{{0x1111, info(0x5, 0, 2), 0x2222, 0x3333, 0x4444, 0x5555}};
  for (unsigned k = 0; k < 6; ++k) {
    t.expect(g.rec[0][0].r.x[k] == want.x[k], "x%u after Reply = 0x%lx, expected 0x%lx", k,
             g.rec[0][0].r.x[k], want.x[k]);
  }
}

// Receives on cap[1] three times; after the second message (a plain Send) it tries a Reply and
// a SaveCaller (param[0], param[1]).
void server_forgets(seL4_Word i) {
  record(i, ipc::sys_recv(g.cap[1]));
  record(i, ipc::sys_recv(g.cap[1]));
  ipc::sys_reply(message(0, 0xee, 1, 7));
  g.param[0] = seL4_CNode_SaveCaller(kRoot, g.cap[3], kDepth);
  g.param[1] = seL4_DebugCapIdentify(g.cap[3]);
  record(i, ipc::sys_recv(g.cap[1]));
}

void plain_send(seL4_Word i) {
  ipc::sys_send(message(g.cap[0], 0xe0, 1, 1));
  g.steps[i] = 1;
}

// Runs below the caller: if the caller had been woken it would have run first.
void watcher(seL4_Word i) {
  g.param[4] = g.steps[0];
  g.steps[i] = 1;
}

void ipc0015_recv_drops_pending_caller(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, 0xc);
  g.cap[1] = ep;
  g.cap[3] = rig.take();
  rig.start(1, server_forgets, 100);
  rig.run_above();
  rig.start(0, call_and_record, 80);
  rig.run_above();
  t.expect_eq("server received the call", g.n_rec[1], 1);
  rig.start(2, plain_send, 70);
  rig.start(3, watcher, 60);
  rig.run_above();
  t.expect_eq("server received the send", g.n_rec[1], 2);
  t.expect_eq("SaveCaller after the second Recv", g.param[0], seL4_NoError);
  t.expect_eq("saved cap's tag (the caller cap was deleted)", g.param[1], seL4_CapTag_Null);
  t.expect(g.steps[3] == 1 && g.param[4] == 0, "watcher ran %lu, saw the caller done %lu", g.steps[3],
           g.param[4]);
  t.expect_eq("caller returned (it must stay blocked)", g.steps[0], 0);
  t.expect_eq("replies the caller received", g.n_rec[0], 0);
}

const TestCase kCases[] = {
    {"IPC0010 with Grant one cap arrives in the receive slot, extraCaps 1, and works",
     ipc0010_grant_transfers_one_cap},
    {"IPC0011 without Grant the message arrives, no cap, slot empty", ipc0011_no_grant_no_cap},
    {"IPC0012 a cap to the endpoint itself is unwrapped to its badge; the next cap is transferred",
     ipc0012_unwrap_own_endpoint},
    {"IPC0013 SaveCaller moves the reply cap; Reply then finds nothing; Send on the saved cap answers",
     ipc0013_save_caller_then_send},
    {"IPC0014 Reply with an empty caller slot does nothing and changes no register",
     ipc0014_reply_without_caller},
    {"IPC0015 a second Recv deletes the pending caller cap; the caller stays blocked",
     ipc0015_recv_drops_pending_caller},
};

}  // namespace

Suite ipc_cap_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
