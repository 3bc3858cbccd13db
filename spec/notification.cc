// The binding of a notification to a thread: two links kept in step.
#include "notification.h"

namespace keel::spec {

void bind_notification(State& s, paddr_t tcb, paddr_t ntfn) {
  s.objects.at(ntfn).bound_tcb = tcb;
  s.thread(tcb)->bound_notification = ntfn;
}

void unbind_notification(State& s, paddr_t tcb) {
  Thread* t = s.thread(tcb);
  if (t == nullptr || !t->bound_notification) return;
  auto n = s.objects.find(*t->bound_notification);
  if (n != s.objects.end()) n->second.bound_tcb.reset();
  t->bound_notification.reset();
}

void unbind_maybe_notification(State& s, paddr_t ntfn) {
  auto n = s.objects.find(ntfn);
  if (n == s.objects.end() || !n->second.bound_tcb) return;
  unbind_notification(s, *n->second.bound_tcb);
}

}  // namespace keel::spec
