// The FIFO queues of threads blocked on an endpoint or a notification (seL4 tcbEPAppend,
// tcbEPDequeue): intrusive through Tcb::ep_next/ep_prev, so a thread is on at most one.
#pragma once

#include "kernel/object/tcb.h"

namespace keel {

struct TcbQueue {
  Tcb* head = nullptr;
  Tcb* tail = nullptr;
  bool empty() const { return head == nullptr; }
};

inline TcbQueue tcb_queue_append(TcbQueue q, Tcb* t) {
  t->ep_prev = q.tail;
  t->ep_next = nullptr;
  if (q.tail != nullptr) {
    q.tail->ep_next = t;
  } else {
    q.head = t;
  }
  q.tail = t;
  return q;
}

inline TcbQueue tcb_queue_remove(TcbQueue q, Tcb* t) {
  if (t->ep_prev != nullptr) {
    t->ep_prev->ep_next = t->ep_next;
  } else {
    q.head = t->ep_next;
  }
  if (t->ep_next != nullptr) {
    t->ep_next->ep_prev = t->ep_prev;
  } else {
    q.tail = t->ep_prev;
  }
  t->ep_next = t->ep_prev = nullptr;
  return q;
}

}  // namespace keel
