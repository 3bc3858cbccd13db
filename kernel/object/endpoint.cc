// Endpoints: synchronous sends and receives, their queues, and cancelling them (seL4
// endpoint.c).
#include "kernel/object/endpoint.h"

#include "kernel/core/arch_hooks.h"
#include "kernel/core/ipc.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/notification.h"
#include "kernel/object/tcb_queue.h"

namespace keel {

namespace {

TcbQueue queue_of(const Endpoint* ep) { return TcbQueue{ep->queue_head, ep->queue_tail()}; }

// Stores the queue; an empty one leaves the endpoint idle.
void set_queue(Endpoint* ep, TcbQueue q, EndpointState s) {
  ep->set(q.head, q.tail, q.empty() ? EndpointState::Idle : s);
}

void block(Tcb* t, ThreadState state, IpcBlock how, Endpoint* ep, EndpointState ep_state) {
  t->blocked = how;
  set_thread_state(t, state);
  set_queue(ep, tcb_queue_append(queue_of(ep), t), ep_state);
}

// After a Call's message is delivered: a reply cap if the sender's cap allowed one; without
// one the caller is left Inactive (resuming it re-runs the Call).
void finish_call(Tcb* sender, bool can_grant, bool can_grant_reply, Tcb* receiver, bool reply_can_grant) {
  if (can_grant || can_grant_reply) {
    setup_caller_cap(sender, receiver, reply_can_grant);
  } else {
    set_thread_state(sender, ThreadState::Inactive);
  }
}

}  // namespace

Tcb* dequeue_head(Endpoint* ep) {
  Tcb* t = ep->queue_head;
  const EndpointState s = ep->state();
  set_queue(ep, tcb_queue_remove(queue_of(ep), t), s);
  return t;
}

void block_receive(Tcb* receiver, EndpointCap cap) {
  block(receiver, ThreadState::BlockedOnReceive,
        IpcBlock{.object = cap.ptr(), .can_grant = cap.rights().grant}, endpoint_at(cap.ptr()),
        EndpointState::Recv);
}

void send_ipc(bool blocking, bool is_call, word_t badge, bool can_grant, bool can_grant_reply, Tcb* sender,
              paddr_t ep_ptr) {
  Endpoint* ep = endpoint_at(ep_ptr);
  if (ep->state() != EndpointState::Recv) {
    if (!blocking) return;  // seL4: NBSend with nobody waiting drops the message
    block(sender, ThreadState::BlockedOnSend, IpcBlock{ep_ptr, badge, can_grant, can_grant_reply, is_call},
          ep, EndpointState::Send);
    return;
  }
  Tcb* dest = dequeue_head(ep);
  do_ipc_transfer(sender, ep_ptr, badge, can_grant, dest);
  const bool reply_can_grant = dest->blocked.can_grant;
  set_thread_state(dest, ThreadState::Running);
  possible_switch_to(dest);
  if (is_call) finish_call(sender, can_grant, can_grant_reply, dest, reply_can_grant);
}

void receive_ipc(Tcb* receiver, Cap cap, bool blocking) {
  const EndpointCap epc{cap};
  Endpoint* ep = endpoint_at(epc.ptr());
  if (receiver->bound_notification != 0 && complete_signal(receiver->bound_notification, receiver)) return;
  if (ep->state() != EndpointState::Send) {
    if (blocking) {
      block_receive(receiver, epc);
    } else {
      receiver->context.regs[kBadgeRegister] = 0;  // seL4 doNBRecvFailedTransfer
    }
    return;
  }
  Tcb* sender = dequeue_head(ep);
  const IpcBlock how = sender->blocked;
  do_ipc_transfer(sender, epc.ptr(), how.badge, how.can_grant, receiver);
  if (how.is_call) {
    finish_call(sender, how.can_grant, how.can_grant_reply, receiver, epc.rights().grant);
  } else {
    set_thread_state(sender, ThreadState::Running);
    possible_switch_to(sender);
  }
}

void blocked_cancel_ipc(Tcb* t) {
  Endpoint* ep = endpoint_at(t->blocked.object);
  set_queue(ep, tcb_queue_remove(queue_of(ep), t), ep->state());
  set_thread_state(t, ThreadState::Inactive);
}

Outcome invoke_endpoint(const Invocation& inv) {
  const auto decode = [](const Invocation& i) -> Result<EndpointCap> {
    const EndpointCap ep{i.cap};
    if (!ep.rights().write) return SyscallError::invalid_capability(0);  // seL4: no send right
    return ep;
  };
  const auto perform = [&inv](EndpointCap ep) -> Outcome {
    const CapRights r = ep.rights();
    send_ipc(inv.is_blocking, inv.is_call, ep.badge(), r.grant, r.grant_reply, inv.thread, ep.ptr());
    return PerformStatus::Done;
  };
  return decode_then_perform(inv, decode, perform);
}

void finalise_endpoint(paddr_t ep_ptr) {
  Endpoint* ep = endpoint_at(ep_ptr);
  if (ep->state() == EndpointState::Idle) return;
  Tcb* head = ep->queue_head;
  ep->set(nullptr, nullptr, EndpointState::Idle);
  restart_all_queued(head);
  reschedule_required();
}

void cancel_badged_sends(paddr_t ep_ptr, word_t badge) {
  Endpoint* ep = endpoint_at(ep_ptr);
  if (ep->state() != EndpointState::Send) return;
  TcbQueue q = queue_of(ep);
  ep->set(nullptr, nullptr, EndpointState::Idle);
  for (Tcb* t = q.head; t != nullptr;) {
    Tcb* next = t->ep_next;
    if (t->blocked.badge == badge) {
      set_thread_state(t, ThreadState::Restart);
      tcb_sched_enqueue(t);
      if (!mutant(Mutant::CancelLeavesSender)) q = tcb_queue_remove(q, t);
    }
    t = next;
  }
  set_queue(ep, q, EndpointState::Send);
  reschedule_required();
}

}  // namespace keel
