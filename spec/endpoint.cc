// Endpoints: sendIPC, receiveIPC and the cancel operations (seL4 endpoint.c; ipc.md §2).
#include "endpoint.h"

#include <algorithm>
#include <map>

#include "cdt.h"
#include "ipc_buffer.h"
#include "notification.h"
#include "reply.h"
#include "scheduler.h"
#include "transfer.h"

namespace keel::spec {

namespace {

Object& endpoint(State& s, paddr_t ep) { return s.objects.at(ep); }

// Takes the head of a non-empty endpoint queue; the endpoint goes Idle when it empties.
paddr_t dequeue_head(State& s, paddr_t ep) {
  Object& e = endpoint(s, ep);
  const paddr_t head = e.queue.front();
  e.queue.erase(e.queue.begin());
  if (e.queue.empty()) e.ep_state = EndpointState::Idle;
  return head;
}

// Appends a thread to the queue (seL4 tcbEPAppend) and sets the endpoint's state.
void enqueue_tail(State& s, paddr_t ep, paddr_t tcb, EndpointState st) {
  Object& e = endpoint(s, ep);
  e.queue.push_back(tcb);
  e.ep_state = st;
}

// After a Call's message has gone: the caller waits for the reply (seL4 setupCallerCap) if its
// cap had Grant or GrantReply, else it is left Inactive with no way to be answered.
void finish_call(State& s, paddr_t caller, bool can_grant, bool can_grant_reply, paddr_t receiver,
                 bool receiver_can_grant) {
  if (can_grant || can_grant_reply)
    setup_caller_cap(s, caller, receiver, receiver_can_grant);
  else
    set_thread_state(s, caller, ThreadState::Inactive);
}

// The threads of a detached queue restart, each at the head of its ready queue (seL4
// cancelAllIPC, cancelBadgedSends): they re-execute their svc when they next run.
void restart_queued(State& s, paddr_t tcb) {
  set_thread_state(s, tcb, ThreadState::Restart);
  sched_enqueue(s, tcb);
}

}  // namespace

void queue_remove(std::vector<paddr_t>& q, paddr_t tcb) {
  auto it = std::find(q.begin(), q.end(), tcb);
  if (it != q.end()) q.erase(it);
}

void send_ipc(State& s, bool blocking, bool do_call, word_t badge, bool can_grant, bool can_grant_reply,
              paddr_t thread, paddr_t ep) {
  if (endpoint(s, ep).ep_state != EndpointState::Recv) {
    if (!blocking) return;  // seL4: NBSend with no receiver waiting — the message is lost
    set_blocked_state(s, thread, ThreadState::BlockedOnSend,
                      IpcBlock{ep, badge, can_grant, can_grant_reply, do_call});
    enqueue_tail(s, ep, thread, EndpointState::Send);
    return;
  }
  const paddr_t dest = dequeue_head(s, ep);
  do_ipc_transfer(s, thread, ep, badge, can_grant, dest);
  const bool reply_can_grant = s.thread(dest)->blocked.can_grant;  // the receiver's Recv cap Grant
  set_thread_state(s, dest, ThreadState::Running);
  possible_switch_to(s, dest);
  if (do_call) finish_call(s, thread, can_grant, can_grant_reply, dest, reply_can_grant);
}

void receive_ipc(State& s, paddr_t thread, const Cap& cap, bool is_blocking) {
  const paddr_t ep = cap.ptr;
  // seL4: a bound notification with a pending signal is taken instead, even if senders wait
  if (auto ntfn = s.thread(thread)->bound_notification;
      ntfn && s.objects.at(*ntfn).ntfn_state == NotificationState::Active) {
    complete_signal(s, *ntfn, thread);
    return;
  }
  if (endpoint(s, ep).ep_state != EndpointState::Send) {
    if (!is_blocking) {
      reg_x(*s.thread(thread), 0) = 0;  // seL4 doNBRecvFailedTransfer: only the badge register
      return;
    }
    set_blocked_state(s, thread, ThreadState::BlockedOnReceive,
                      IpcBlock{.object = ep, .can_grant = cap.rights.grant});
    enqueue_tail(s, ep, thread, EndpointState::Recv);
    return;
  }
  const paddr_t sender = dequeue_head(s, ep);
  const IpcBlock sent = s.thread(sender)->blocked;
  do_ipc_transfer(s, sender, ep, sent.badge, sent.can_grant, thread);
  if (sent.is_call) {
    finish_call(s, sender, sent.can_grant, sent.can_grant_reply, thread, cap.rights.grant);
  } else {
    set_thread_state(s, sender, ThreadState::Running);
    possible_switch_to(s, sender);  // seL4: a higher-priority sender preempts the receiver at once
  }
}

// seL4 cancelIPC's BlockedOnReply case: the fault is forgotten and the reply cap that names the
// thread — the child of its master, wherever it was moved — is deleted.
static void cancel_reply(State& s, paddr_t tcb) {
  s.thread(tcb)->fault.reset();
  const SlotRef master{tcb, kTcbReply};
  for (const auto& [ref, sl] : s.slots) {
    if (sl.parent == master && sl.cap.type == CapType::Reply) {
      cte_delete(s, ref);
      return;
    }
  }
}

void cancel_ipc(State& s, paddr_t tcb) {
  Thread& t = *s.thread(tcb);
  switch (t.state) {
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReceive: {
      Object& e = endpoint(s, t.blocked.object);
      queue_remove(e.queue, tcb);
      if (e.queue.empty()) e.ep_state = EndpointState::Idle;
      set_thread_state(s, tcb, ThreadState::Inactive);  // the fault, if any, stays (ipc.md §2.8)
      return;
    }
    case ThreadState::BlockedOnNotification: cancel_signal(s, tcb, t.blocked.object); return;
    case ThreadState::BlockedOnReply: cancel_reply(s, tcb); return;
    case ThreadState::Inactive:
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::Idle: return;
  }
}

void cancel_all_ipc(State& s, paddr_t ep) {
  Object& e = endpoint(s, ep);
  if (e.ep_state == EndpointState::Idle) return;
  const std::vector<paddr_t> queue = e.queue;
  e.queue.clear();
  e.ep_state = EndpointState::Idle;
  for (paddr_t t : queue) restart_queued(s, t);
  reschedule_required(s);
}

void cancel_badged_sends(State& s, paddr_t ep, word_t badge) {
  Object& e = endpoint(s, ep);
  if (e.ep_state != EndpointState::Send) return;  // seL4: Idle and Recv are left alone
  const std::vector<paddr_t> queue = e.queue;
  e.queue.clear();
  e.ep_state = EndpointState::Idle;
  std::vector<paddr_t> kept;
  for (paddr_t t : queue) {
    if (s.thread(t)->blocked.badge == badge)
      restart_queued(s, t);
    else
      kept.push_back(t);
  }
  Object& after = endpoint(s, ep);
  after.queue = kept;
  if (!kept.empty()) after.ep_state = EndpointState::Send;
  reschedule_required(s);
}

}  // namespace keel::spec
