// The abstract kernel state: objects by physical address, non-empty slots with their flags and
// derivation-tree parent, threads, and the current thread.
//
// Invariants (checked by check_invariants): every slot names an existing CNode or TCB object
// and an index inside it; every parent link names an existing slot and the links form a forest;
// an empty slot is simply absent (no cap, no flags, no links); every object-naming cap refers
// to a live object of its kind; and the VSpace and IRQ invariants of vspace.cc and irq.cc.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cap.h"
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

// What the spec knows of a thread. Its CSpace root, VSpace root, reply and caller caps and IPC
// buffer frame are the caps in the TCB's five slots (kTcbCTable..kTcbBuffer).
struct Thread {
  ThreadState state = ThreadState::Inactive;
  word_t ipc_buffer_vaddr = 0;  // seL4 tcbIPCBuffer
  cptr_t fault_handler = 0;     // looked up in the thread's own CSpace when it faults
  word_t priority = 0;
  word_t mcp = 0;  // the highest priority this thread may give (itself or others)
  word_t domain = 0;
  word_t time_slice = 0;  // ticks left before it goes to the back of its queue
  std::string name;
  friend bool operator==(const Thread&, const Thread&) = default;
};

struct Object {
  ObjectKind kind = ObjectKind::Endpoint;
  unsigned size_bits = 0;                  // log2 of the object's size in bytes
  bool is_device = false;                  // Frame
  unsigned radix = 0;                      // CNode: log2 of the number of slots
  Thread tcb;                              // Tcb only
  std::map<word_t, Pte> ptes;              // VSpace, PageTable: valid entries by index (vspace.h)
  std::map<word_t, paddr_t> asid_entries;  // AsidPool: ASID & 511 → assigned VSpace root
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

struct State {
  std::map<paddr_t, Object> objects;
  std::map<SlotRef, Slot> slots;      // only non-empty slots are present
  std::optional<paddr_t> cur_thread;  // the TCB object of the current thread; none = idle
  std::map<QueueKey, std::vector<paddr_t>> ready_queues;
  word_t cur_domain = 0;
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

// Well-formedness of a state; returns the problems found (empty if none).
std::vector<std::string> check_invariants(const State& s);

}  // namespace keel::spec
