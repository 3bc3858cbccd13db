// The abstract kernel state: objects by physical address, non-empty slots with their flags and
// derivation-tree parent, threads, and the current thread.
//
// Invariants (checked by check_invariants): every slot names an existing CNode or TCB object
// and an index inside it; every parent link names an existing slot and the links form a forest;
// an empty slot is simply absent (no cap, no flags, no links); every object-naming cap refers
// to a live object of its kind; a thread's bound notification and the notification's bound
// thread name each other; a frame's word map holds no zero and no offset outside the frame (a
// device frame's and any other object's map is empty); the IPC invariants of endpoint.cc
// (queues and thread states agree, an object's state agrees with its queue, an Active
// notification has no waiters, blocking fields are at their defaults where not meaningful, every
// non-master reply cap names a thread BlockedOnReply, is a child of its master, one per thread);
// the VSpace, IRQ, scheduler and domain invariants of vspace.cc, irq.cc and scheduler.cc.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cap.h"
#include "constants.h"
#include "vspace.h"

namespace keel::spec {

// Kinds of typed objects. Untyped memory is not an object: an untyped region and the first
// object retyped from it share an address, so untyped regions are described by untyped caps
// (pointer, size, free index) and their children in the derivation tree, as in seL4.
enum class ObjectKind { Tcb, Endpoint, Notification, CNode, Frame, PageTable, VSpace, AsidPool };
const char* to_string(ObjectKind k);

enum class ThreadState {
  Inactive,
  Running,
  Restart,
  BlockedOnReceive,
  BlockedOnSend,
  BlockedOnReply,
  BlockedOnNotification,
  Idle,
};
const char* to_string(ThreadState s);

// A fault as the kernel keeps it in the faulting thread's TCB until it is answered (seL4
// tcbFault, with tcbLookupFailure for a cap fault). The enumerator values are seL4_FaultType,
// the label of the fault message.
struct Fault {
  enum class Kind : word_t { CapFault = 1, UnknownSyscall = 2, UserException = 3, VMFault = 5 };
  Kind kind = Kind::CapFault;
  cptr_t address = 0;             // CapFault: the CPtr that failed; VMFault: the faulting address
  bool in_receive_phase = false;  // CapFault
  LookupFault lookup;             // CapFault (seL4 tcbLookupFailure)
  word_t syscall = 0;             // UnknownSyscall: x7
  word_t code = 0;                // UserException: the ESR; VMFault: the FSR (ESR bits 31:0)
  bool instruction = false;       // VMFault: an instruction abort (else a data abort)
  friend bool operator==(const Fault&, const Fault&) = default;
};
const char* to_string(Fault::Kind k);

// What seL4 keeps in the thread state of a thread blocked in IPC. Meaningful fields by state
// (all others stay at their defaults, and in every other state all of them do):
//   BlockedOnSend          object (the endpoint), badge, can_grant, can_grant_reply, is_call
//   BlockedOnReceive       object (the endpoint), can_grant (the Grant right of its Recv cap)
//   BlockedOnNotification  object (the notification)
//   BlockedOnReply         none (the reply cap in the receiver's slot names the caller)
struct IpcBlock {
  paddr_t object = 0;
  word_t badge = 0;
  bool can_grant = false;
  bool can_grant_reply = false;
  bool is_call = false;
  friend bool operator==(const IpcBlock&, const IpcBlock&) = default;
};

// What the spec knows of a thread. Its CSpace root, VSpace root, reply and caller caps and IPC
// buffer frame are the caps in the TCB's five slots (kTcbCTable..kTcbBuffer).
//
// Registers: `regs` in seL4_UserContext order (constants.h kReg*, reg_index_of_x); regs[kRegPc]
// is seL4's FaultIP, the instruction the thread restarts at, and `next_ip` seL4's NextIP, where
// a Running thread resumes. A syscall entry sets FaultIP := NextIP (the svc) and NextIP += 4;
// a thread leaving Restart to run sets NextIP := FaultIP (it re-executes that svc).
struct Thread {
  ThreadState state = ThreadState::Inactive;
  std::array<word_t, kNumContextRegs> regs{};
  word_t next_ip = 0;
  word_t flags = 0;             // seL4 tcbFlags (kTcbFlagFpuDisabled)
  word_t ipc_buffer_vaddr = 0;  // seL4 tcbIPCBuffer
  cptr_t fault_handler = 0;     // looked up in the thread's own CSpace when it faults
  word_t priority = 0;
  word_t mcp = 0;  // the highest priority this thread may give (itself or others)
  word_t domain = 0;
  word_t time_slice = 0;                      // ticks left before it goes to the back of its queue
  std::optional<paddr_t> bound_notification;  // seL4 tcbBoundNotification
  std::string name;
  IpcBlock blocked;            // meaningful only in the Blocked* states (see IpcBlock)
  std::optional<Fault> fault;  // seL4 tcbFault: set when a fault is sent to a handler, cleared
                               // only by the fault reply or by cancelling a BlockedOnReply
  friend bool operator==(const Thread&, const Thread&) = default;
};

// seL4 endpoint and notification states (enumerator order = seL4's numbers).
enum class EndpointState { Idle, Send, Recv };
enum class NotificationState { Idle, Waiting, Active };
const char* to_string(EndpointState s);
const char* to_string(NotificationState s);

struct Object {
  ObjectKind kind = ObjectKind::Endpoint;
  unsigned size_bits = 0;                  // log2 of the object's size in bytes
  bool is_device = false;                  // Frame
  unsigned radix = 0;                      // CNode: log2 of the number of slots
  Thread tcb;                              // Tcb only
  std::map<word_t, Pte> ptes;              // VSpace, PageTable: valid entries by index (vspace.h)
  std::map<word_t, paddr_t> asid_entries;  // AsidPool: ASID & 511 → assigned VSpace root
  std::optional<paddr_t> bound_tcb;        // Notification: seL4 ntfnBoundTCB
  // Endpoint: Idle with an empty queue, or Send/Recv with the blocked senders/receivers.
  EndpointState ep_state = EndpointState::Idle;
  // Notification: Idle (no waiters, word 0), Waiting (waiters queued, word 0) or Active (no
  // waiters, `ntfn_word` pending; it may be 0).
  NotificationState ntfn_state = NotificationState::Idle;
  word_t ntfn_word = 0;
  std::vector<paddr_t> queue;  // Endpoint or Notification: the blocked threads, head first (FIFO)
  // Frame: the non-zero 64-bit words of its memory by word offset from the frame's base (a new
  // frame is zeroed: empty). Device frames stay empty: the kernel never reads or writes them.
  std::map<word_t, word_t> words;
  friend bool operator==(const Object&, const Object&) = default;
};

// A non-empty slot: the cap, seL4's MDB flags and the explicit derivation-tree parent.
struct Slot {
  Cap cap;
  bool revocable = false;     // seL4 mdbRevocable (l4v: is_original_cap)
  bool first_badged = false;  // seL4 mdbFirstBadged
  std::optional<SlotRef> parent;
  friend bool operator==(const Slot&, const Slot&) = default;
};

// seL4 irq_state_t (no IPI state: one core).
enum class IrqState { Inactive, Signal, Timer, Reserved };
const char* to_string(IrqState s);

// A ready queue is named by (domain, priority); only non-empty queues are present, head first.
using QueueKey = std::pair<word_t, word_t>;

// One entry of the domain schedule (seL4 dschedule_t); domain 0 with length 0 is the end marker.
struct DomainScheduleEntry {
  word_t domain = 0;
  word_t length = 0;  // ticks
  bool is_end_marker() const { return domain == 0 && length == 0; }
  friend bool operator==(const DomainScheduleEntry&, const DomainScheduleEntry&) = default;
};
using DomainSchedule = std::array<DomainScheduleEntry, kNumDomainSchedules>;
// The boot schedule: domain 0 for the longest duration, then end markers.
inline DomainSchedule boot_domain_schedule() {
  DomainSchedule d{};
  d[0] = DomainScheduleEntry{0, kMaxDomainDuration};
  return d;
}

struct State {
  std::map<paddr_t, Object> objects;
  std::map<SlotRef, Slot> slots;      // only non-empty slots are present
  std::optional<paddr_t> cur_thread;  // the TCB object of the current thread; none = idle
  std::map<QueueKey, std::vector<paddr_t>> ready_queues;
  word_t cur_domain = 0;
  // The domain schedule (seL4 ksDomSchedule, ksDomScheduleIdx, ksDomScheduleStart,
  // ksDomainTime); the defaults are the boot values.
  DomainSchedule domain_schedule = boot_domain_schedule();
  word_t domain_schedule_index = 0;
  word_t domain_schedule_start = 0;
  word_t domain_time = kMaxDomainDuration;  // ticks left in the current domain
  // Decided during a kernel entry and carried out by schedule() at its end (seL4
  // ksSchedulerAction); between entries it is always "resume the current thread".
  bool choose_new_thread = false;
  std::optional<paddr_t> switch_candidate;
  // Interrupts (irq.h): each IRQ's state (absent = Inactive); the kernel's slot for each IRQ's
  // notification cap is SlotRef{irq_node, irq}; masks and triggers are interrupt-controller state.
  std::map<word_t, IrqState> irq_states;
  paddr_t irq_node = 0;
  std::set<word_t> irq_unmasked, irq_edge_triggered;
  std::map<word_t, paddr_t> asid_table;  // ASID >> 9 → the ASID pool object (seL4 armKSASIDTable)
  bool halted = false;                   // the kernel has stopped (DebugHalt)
  friend bool operator==(const State&, const State&) = default;

  // The cap in a slot; null for an empty or non-existent slot.
  const Cap& cap_at(SlotRef s) const;
  const Slot* slot_at(SlotRef s) const;
  bool slot_exists(SlotRef s) const;  // the object exists and the index is inside it
  Thread* thread(paddr_t tcb);
  const Thread* thread(paddr_t tcb) const;
};

// A readable account of the first difference between two states ("" if they are equal).
// With compare_first_badged = false the MDB first_badged flags are ignored (see README: the
// kernel also sets the flag on the list successor of a deleted slot, which the spec does not
// model).
std::string describe_difference(const State& a, const State& b, bool compare_first_badged = true);
std::string to_string(const Slot& s);
std::string to_string(const Object& o);
std::string to_string(const std::map<QueueKey, std::vector<paddr_t>>& queues);
std::string to_string(const DomainSchedule& d);

// Well-formedness of a state; returns the problems found (empty if none).
std::vector<std::string> check_invariants(const State& s);

}  // namespace keel::spec
