// Thread lifetime: suspending, restarting and finalising a thread (seL4 thread.c, tcb.c).
#include "kernel/object/tcb.h"

#include "kernel/core/fpu.h"
#include "kernel/core/ipc.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/mutation.h"
#include "kernel/object/notification.h"

namespace keel {

bool is_stopped(const Tcb* t) {
  switch (t->state) {
    case ThreadState::Inactive:
    case ThreadState::BlockedOnReceive:
    case ThreadState::BlockedOnSend:
    case ThreadState::BlockedOnNotification:
    case ThreadState::BlockedOnReply: return true;
    case ThreadState::Running:
    case ThreadState::Restart:
    case ThreadState::IdleThreadState: return false;
  }
  return false;
}

void suspend(Tcb* t) {
  cancel_ipc(t);
  // A running thread's restart PC may be stale (it entered the kernel through a syscall that
  // completes): make it resume after the instruction, whichever way it is restarted.
  if (t->state == ThreadState::Running) t->context.regs[FaultIP] = t->context.regs[NextIP];
  set_thread_state(t, ThreadState::Inactive);
  if (!mutant(Mutant::SuspendLeavesQueued)) tcb_sched_dequeue(t);
}

void setup_reply_master(Tcb* t) {
  Cte* slot = t->slot(kTcbReply);
  if (!slot->cap.is_null()) return;
  // An original with no parent, like a boot cap.
  slot->cap = ReplyCap::make(object_of(t), true, true);
  slot->mdb = MdbNode{};
  slot->mdb.set_revocable(true);
  slot->mdb.set_first_badged(true);
}

void restart(Tcb* t) {
  if (!is_stopped(t)) return;
  cancel_ipc(t);
  setup_reply_master(t);
  set_thread_state(t, ThreadState::Restart);
  tcb_sched_enqueue(t);
  possible_switch_to(t);
}

void finalise_thread(paddr_t tcb_object) {
  Tcb* t = tcb_from_object(tcb_object);
  unbind_notification(t);
  suspend(t);
  fpu_release(t);
}

}  // namespace keel
