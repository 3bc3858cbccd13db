// The IPC invariants of endpoints, notifications, reply caps and blocked threads (see
// endpoint.h, notification.h, ipc.h), checked for each cap the host's invariant walk finds.
#include "kernel/core/ipc.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/notification.h"

namespace keel {

namespace {

constexpr word_t kMaxQueue = word_t{1} << 20;  // bounds a walk along a corrupted queue

// Links agree both ways, every member is blocked on `object` in `state`; "" or the problem.
const char* check_queue(const Tcb* head, const Tcb* tail, paddr_t object, ThreadState state) {
  const Tcb* prev = nullptr;
  word_t n = 0;
  for (const Tcb* t = head; t != nullptr; prev = t, t = t->ep_next) {
    if (++n > kMaxQueue) return "an IPC queue is cyclic";
    if (t->ep_prev != prev) return "an IPC queue's links disagree";
    if (t->state != state) return "a thread in an IPC queue is not blocked the queue's way";
    if (t->blocked.object != object) return "a thread in an IPC queue is blocked on another object";
  }
  if (tail != prev) return "an IPC queue's tail is wrong";
  return nullptr;
}

bool queued_on(const Tcb* t, const Tcb* head) {
  for (const Tcb* x = head; x != nullptr; x = x->ep_next) {
    if (x == t) return true;
  }
  return false;
}

const char* check_endpoint(paddr_t p) {
  const Endpoint* ep = endpoint_at(p);
  const bool empty = ep->queue_head == nullptr;
  switch (ep->state()) {
    case EndpointState::Idle: return empty ? nullptr : "an idle endpoint has a queue";
    case EndpointState::Send:
      return empty ? "a sending endpoint has no queue"
                   : check_queue(ep->queue_head, ep->queue_tail(), p, ThreadState::BlockedOnSend);
    case EndpointState::Recv:
      return empty ? "a receiving endpoint has no queue"
                   : check_queue(ep->queue_head, ep->queue_tail(), p, ThreadState::BlockedOnReceive);
  }
  return "an endpoint in an unknown state";
}

const char* check_notification(paddr_t p) {
  const Notification* n = notification_at(p);
  if (n->bound_tcb() != nullptr && n->bound_tcb()->bound_notification != p) return "a binding is one-sided";
  if ((n->state() == NotificationState::Waiting) == (n->queue_head == nullptr)) {
    return "a notification's state disagrees with its queue";
  }
  return check_queue(n->queue_head, n->queue_tail, p, ThreadState::BlockedOnNotification);
}

const char* check_thread(const Tcb* t) {
  switch (t->state) {
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnReceive: {
      const Endpoint* ep = endpoint_at(t->blocked.object);
      return queued_on(t, ep->queue_head) ? nullptr : "a thread blocked on an endpoint is not in its queue";
    }
    case ThreadState::BlockedOnNotification:
      return queued_on(t, notification_at(t->blocked.object)->queue_head)
                 ? nullptr
                 : "a thread blocked on a notification is not in its queue";
    case ThreadState::Inactive:
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::BlockedOnReply:
    case ThreadState::IdleThreadState:
      return t->ep_next == nullptr && t->ep_prev == nullptr ? nullptr
                                                            : "a thread not blocked in IPC is queued";
  }
  return nullptr;
}

}  // namespace

const char* check_ipc_invariants_of(Cap cap) {
  const CapType t = cap.type();
  if (t == CapType::Endpoint) return check_endpoint(EndpointCap{cap}.ptr());
  if (t == CapType::Notification) return check_notification(NotificationCap{cap}.ptr());
  if (t == CapType::Thread) return check_thread(tcb_from_object(ThreadCap{cap}.ptr()));
  if (t == CapType::Reply && !ReplyCap{cap}.is_master() &&
      tcb_from_object(ReplyCap{cap}.tcb())->state != ThreadState::BlockedOnReply) {
    return "a reply cap names a thread not blocked on reply";
  }
  return nullptr;
}

}  // namespace keel
