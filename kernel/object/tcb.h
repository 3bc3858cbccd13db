// Thread control blocks. A TCB object (2^11 bytes) starts with its five slots, as in seL4;
// the Tcb structure follows at kTcbOffset. A thread cap names the object's first byte.
#pragma once

#include <keel/arch/user_context.h>

#include "kernel/api/object_type.h"
#include "kernel/cap/cap.h"
#include "kernel/cap/cte.h"
#include "kernel/object/thread_fault.h"

namespace keel {

enum class ThreadState : word_t {
  Inactive = 0,
  Running,
  Restart,
  BlockedOnReceive,
  BlockedOnSend,
  BlockedOnReply,
  BlockedOnNotification,
  IdleThreadState,
};

// The slots inside a TCB object.
enum TcbSlot : unsigned { kTcbCTable = 0, kTcbVTable, kTcbReply, kTcbCaller, kTcbBuffer, kTcbNumSlots };

inline constexpr word_t kTcbOffset = 256;

// What a thread blocked in IPC is blocked on and with (seL4 keeps these in its thread state):
// the endpoint or notification, and for a sender the badge and rights of the cap it used.
struct IpcBlock {
  paddr_t object = 0;
  word_t badge = 0;
  bool can_grant = false;        // sender: may transfer caps; receiver: its cap's Grant right
  bool can_grant_reply = false;  // sender: a Call may leave a reply cap
  bool is_call = false;
};
inline constexpr unsigned kTcbNameLength = 64;

struct Tcb {
  UserContext context;  // must stay first: the entry code saves registers at the Tcb pointer
  ThreadState state;
  word_t priority;
  word_t mcp;
  word_t domain;
  word_t time_slice;
  word_t flags;
  vaddr_t ipc_buffer;    // user address of the IPC buffer (0 = none)
  cptr_t fault_handler;  // looked up in the thread's own CSpace when a fault happens
  bool queued;           // in the ready queue of (domain, priority) (seL4 tcbQueued)
  Tcb* sched_next;
  Tcb* sched_prev;
  Tcb* ep_next;  // the endpoint or notification queue the thread is blocked on
  Tcb* ep_prev;
  IpcBlock blocked;  // meaningful only in the Blocked* states
  Fault fault;       // seL4 tcbFault: set while a fault is being sent or awaits its reply
  paddr_t bound_notification;
  char name[kTcbNameLength];

  Cte* slot(TcbSlot s) { return reinterpret_cast<Cte*>(reinterpret_cast<uint8_t*>(this) - kTcbOffset) + s; }
};
static_assert(kTcbNumSlots * sizeof(Cte) <= kTcbOffset);
static_assert(kTcbOffset + sizeof(Tcb) <= (word_t{1} << kTcbBits));

inline Tcb* tcb_from_object(paddr_t object) { return ptr_from_paddr<Tcb>(object + kTcbOffset); }
inline paddr_t object_of(const Tcb* t) { return paddr_of(t) - kTcbOffset; }

// Inactive or blocked in IPC: Resume restarts such a thread (seL4 isStopped).
bool is_stopped(const Tcb* t);
// seL4 suspend: the thread becomes Inactive and leaves its queues.
void suspend(Tcb* t);
// seL4 setupReplyMaster: the thread's master reply cap in its reply slot, if not there yet.
void setup_reply_master(Tcb* t);
// seL4 restart: a stopped thread re-executes the instruction that entered the kernel, and runs
// at once if it should preempt the current thread.
void restart(Tcb* t);

// The final cap to the TCB object is gone: the thread stops (seL4 unbinds its notification,
// suspends it and leaves every queue; its slots are then cleared through a Zombie).
void finalise_thread(paddr_t tcb_object);

}  // namespace keel
