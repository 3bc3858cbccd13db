// IPC0016..IPC0020: notifications (badges ORed, Wait, Poll, preemption by Signal), bound
// notifications waking an endpoint Recv, and CNode_CancelBadgedSends restarting one badge's
// senders (docs/sel4-facts/ipc.md §2.9, §4).
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
using ipc::Want;

void expect_order(Test& t, const seL4_Word* want, seL4_Word n) {
  if (!t.expect_eq("events logged", g.order_len, n)) return;
  for (seL4_Word k = 0; k < n; ++k) {
    if (!t.expect(g.order[k] == want[k], "event %lu is 0x%lx, expected 0x%lx", k, g.order[k], want[k]))
      return;
  }
}

// --- IPC0016, IPC0017: signals ------------------------------------------------------------------

// Waits on cap[1 + i % 2] (Wait = Recv on a notification), then notes 0x200 + i.
void wait_once(seL4_Word i) {
  record(i, ipc::sys_recv(g.cap[1 + i % 2]));
  note(0x200 + i);
}

void ipc0016_signal_wait_poll(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ntfn = rig.make(seL4_NotificationObject);
  const seL4_CPtr one = rig.mint(ntfn, seL4_AllRights, 0x1), six = rig.mint(ntfn, seL4_AllRights, 0x6);
  ipc::expect_badge_only(t, "Poll on an idle notification", ipc::sys_nbrecv(ntfn), 0);
  seL4_Signal(one);
  seL4_Signal(six);
  ipc::expect_badge_only(t, "Poll after signals 0x1 and 0x6", ipc::sys_nbrecv(ntfn), 0x7);
  ipc::expect_badge_only(t, "Poll again", ipc::sys_nbrecv(ntfn), 0);
  g.cap[1] = ntfn;
  rig.start(0, wait_once, 100);
  rig.run_above();
  t.expect_eq("Wait returned with no signal", g.n_rec[0], 0);
  seL4_Signal(six);
  t.expect_eq("the waiter ran before the root task dropped its priority", g.n_rec[0], 0);
  rig.run_above();
  if (t.expect_eq("Wait returned after the signal", g.n_rec[0], 1)) {
    ipc::expect_badge_only(t, "Wait", g.rec[0][0].r, 0x6);
  }
  ipc::expect_badge_only(t, "Poll after the waiter took the signal", ipc::sys_nbrecv(ntfn), 0);
}

// Signals cap[0] (waited on by thread 0, above) then cap[3] (waited on by thread 1, below).
void signal_both(seL4_Word) {
  seL4_Signal(g.cap[0]);
  note(0x100);
  seL4_Signal(g.cap[3]);
  note(0x101);
}

void ipc0017_signal_preempts(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr high = rig.make(seL4_NotificationObject), low = rig.make(seL4_NotificationObject);
  g.cap[1] = high;
  g.cap[2] = low;
  g.cap[0] = rig.mint(high, seL4_AllRights, 0x3);
  g.cap[3] = rig.mint(low, seL4_AllRights, 0x4);
  rig.start(0, wait_once, 100);
  rig.start(1, wait_once, 40);
  rig.run_above();
  rig.start(2, signal_both, 50);
  rig.run_above();
  // The waiter above the signaller runs at once; the one below only once the signaller is done.
  const seL4_Word order[] = {0x200, 0x100, 0x101, 0x201};
  expect_order(t, order, 4);
  if (g.n_rec[0] == 1) ipc::expect_badge_only(t, "higher waiter", g.rec[0][0].r, 0x3);
  if (g.n_rec[1] == 1) ipc::expect_badge_only(t, "lower waiter", g.rec[1][0].r, 0x4);
}

// --- IPC0018, IPC0019: bound notifications -------------------------------------------------------

// Bound to the notification; receives twice on the endpoint cap[1].
void bound_receiver(seL4_Word i) {
  record(i, ipc::sys_recv(g.cap[1]));
  record(i, ipc::sys_recv(g.cap[1]));
}

void send_one(seL4_Word i) {
  ipc::sys_send(message(g.cap[0], 0x19, 1, 0));
  g.steps[i] = 1;
}

// The endpoint in cap[1] and a badge-0x2 cap to it in cap[0]; returns a badge-0x9 cap to a
// notification bound to thread 0.
seL4_CPtr set_up_bound(Rig& rig) {
  const seL4_CPtr ep = rig.make(seL4_EndpointObject), ntfn = rig.make(seL4_NotificationObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, 0x2);
  g.cap[1] = ep;
  ok(rig.t(), "BindNotification", seL4_TCB_BindNotification(rig.tcb(0), ntfn));
  return rig.mint(ntfn, seL4_AllRights, 0x9);
}

void ipc0018_bound_signal_wakes_recv(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr signal = set_up_bound(rig);
  rig.start(0, bound_receiver, 100);
  rig.run_above();
  t.expect_eq("Recv returned with nothing sent", g.n_rec[0], 0);
  seL4_Signal(signal);
  rig.run_above();
  if (t.expect_eq("Recv returned after the signal", g.n_rec[0], 1)) {
    ipc::expect_badge_only(t, "Recv woken by the bound notification", g.rec[0][0].r, 0x9);
  }
  ipc::sys_nbsend(message(g.cap[0], 0x18, 1, 0));
  rig.run_above();
  if (t.expect_eq("Recv returned after the NBSend", g.n_rec[0], 2)) {
    ipc::expect_message(t, "message after the signal", g.rec[0][1], Want{0x2, 0x18, 1, 0});
  }
}

void ipc0019_pending_signal_first(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr signal = set_up_bound(rig);
  rig.start(1, send_one, 90);
  rig.run_above();
  t.expect_eq("sender returned with no receiver", g.steps[1], 0);
  seL4_Signal(signal);
  rig.start(0, bound_receiver, 100);
  rig.run_above();
  if (!t.expect_eq("receives", g.n_rec[0], 2)) return;
  ipc::expect_badge_only(t, "first Recv (the pending signal, though a sender is queued)", g.rec[0][0].r, 0x9);
  ipc::expect_message(t, "second Recv (the queued sender)", g.rec[0][1], Want{0x2, 0x19, 1, 0});
  t.expect_eq("sender done", g.steps[1], 1);
}

// --- IPC0020: CancelBadgedSends -----------------------------------------------------------------

// Calls through cap[i] (thread 0 through the copy of the cap being cancelled).
void call_badged(seL4_Word i) {
  record(i, ipc::sys_call(message(g.cap[i], 0x20 + i, 1, i)));
  g.steps[i] = 1;
}

void receive_then_poll(seL4_Word i) {
  record(i, ipc::sys_recv(g.cap[2]));
  record(i, ipc::sys_nbrecv(g.cap[2]));
}

// Two callers badged 0x11 and 0x22 blocked on the endpoint; revoking the 0x11 cap's copies and
// cancelling its badge restarts only the first, whose Call then finds an empty slot
// (CANCEL_BADGED_SENDS_0001); the second is still delivered.
void ipc0020_cancel_badged_sends(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  const seL4_CPtr cancelled = rig.mint(ep, seL4_AllRights, 0x11);
  g.cap[0] = rig.take();
  ok(t, "Copy", seL4_CNode_Copy(kRoot, g.cap[0], kDepth, kRoot, cancelled, kDepth, seL4_AllRights));
  g.cap[1] = rig.mint(ep, seL4_AllRights, 0x22);
  g.cap[2] = ep;
  rig.start(0, call_badged, 90);
  rig.start(1, call_badged, 90);
  rig.run_above();
  t.expect(g.steps[0] == 0 && g.steps[1] == 0, "a caller returned with no receiver");
  ok(t, "Revoke of the 0x11 cap", seL4_CNode_Revoke(kRoot, cancelled, kDepth));
  ok(t, "CancelBadgedSends 0x11", seL4_CNode_CancelBadgedSends(kRoot, cancelled, kDepth));
  rig.run_above();
  t.expect(g.steps[0] == 1 && g.steps[1] == 0, "after the cancel: caller 0x11 done %lu, caller 0x22 done %lu",
           g.steps[0], g.steps[1]);
  if (g.n_rec[0] == 1) {
    const Regs& r = g.rec[0][0].r;
    t.expect(r.x[0] == 0 && r.x[1] == info(seL4_InvalidCapability, 0, 1) && r.x[2] == 0,
             "re-run Call on the revoked slot: x0 0x%lx, x1 0x%lx, x2 0x%lx; expected InvalidCapability",
             r.x[0], r.x[1], r.x[2]);
  }
  rig.start(2, receive_then_poll, 100);
  rig.run_above();
  if (t.expect_eq("receives", g.n_rec[2], 2)) {
    ipc::expect_message(t, "the 0x22 caller", g.rec[2][0], Want{0x22, 0x21, 1, 1});
    ipc::expect_badge_only(t, "NBRecv after it (nothing else queued)", g.rec[2][1].r, 0);
  }
}

const TestCase kCases[] = {
    {"IPC0016 signals OR their badges; Poll of an idle notification gives 0; Wait blocks until a signal",
     ipc0016_signal_wait_poll},
    {"IPC0017 Signal to a higher-priority waiter preempts the signaller; to a lower one it does not",
     ipc0017_signal_preempts},
    {"IPC0018 a signal to its bound notification wakes a thread in endpoint Recv with x0 = badge",
     ipc0018_bound_signal_wakes_recv},
    {"IPC0019 Recv by a bound thread returns a pending signal before a queued sender",
     ipc0019_pending_signal_first},
    {"IPC0020 CancelBadgedSends restarts only that badge's senders; the other is still delivered",
     ipc0020_cancel_badged_sends},
};

}  // namespace

Suite ipc_ntfn_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
