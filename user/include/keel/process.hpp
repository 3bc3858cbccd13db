// Starting a thread in a new address space (a process) from the root task: its own VSpace, which
// holds the root task's code read-only plus a fresh stack and IPC buffer, its own CSpace with only
// the caps it is given, and a fault endpoint there.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <keel/sel4.hpp>

namespace keel {

// A process's VSpace. The root task's code and read-only data (its image from the first page up
// to the end of the TLS template) sit at their linked addresses, read-only and executable, so a
// function of the root task runs there unchanged. Nothing else of the root task is mapped: its
// .data and .bss (apart from what shares the last of those pages) and its stack are out of reach.
// Below the stack lies an unmapped guard page, so an overflow VM-faults instead of writing the
// IPC buffer.
inline constexpr seL4_Word kProcessIpcBufferVa = 0x10000000;
inline constexpr seL4_Word kProcessStackPages = 2;
inline constexpr seL4_Word kProcessStackBase = kProcessIpcBufferVa + 2 * (seL4_Word{1} << seL4_PageBits);
inline constexpr seL4_Word kProcessStackTop =
    kProcessStackBase + kProcessStackPages * (seL4_Word{1} << seL4_PageBits);

// A process's CSpace: one CNode of 2^kProcessCNodeBits slots behind a guard of zeros, so the
// process names slot i with the plain CPtr i.
inline constexpr seL4_Word kProcessCNodeBits = 4;
// Its own TCB: when the entry function returns, the thread suspends itself through this cap.
inline constexpr seL4_CPtr kProcessTcbSlot = 1;

// Objects retyped from one untyped into a range of the caller's root CNode slots. Everything a
// process is made of lives here, so one walk over the range takes it apart again.
struct Arena {
  Untyped untyped{seL4_CapNull};
  seL4_CPtr first_slot = 0;  // [first_slot, end_slot) of the caller's root CNode, empty at the start
  seL4_CPtr next_slot = 0;   // start_process starts it at first_slot
  seL4_CPtr end_slot = 0;

  // The next free slot, or seL4_CapNull once the range is used up.
  seL4_CPtr take_slot() { return next_slot < end_slot ? next_slot++ : seL4_CapNull; }
};

// A cap the process gets in its CNode.
struct ProcessCap {
  seL4_CPtr src;   // in the caller's root CNode
  seL4_Word slot;  // in the process's CNode, i.e. the process's CPtr for it (not kProcessTcbSlot)
  seL4_CapRights_t rights = seL4_AllRights;
  seL4_Word badge = 0;  // non-zero: minted with this badge; zero: copied
};

struct ProcessSpec {
  Arena arena;               // 64 KiB of untyped, and slots for the image's pages plus 16, build the process
  void (*entry)(seL4_Word);  // a function of the root task's image; it sees only its own memory
  seL4_Word arg = 0;         // entry's argument
  const ProcessCap* caps = nullptr;
  size_t num_caps = 0;
  seL4_CPtr fault_ep = seL4_CapNull;    // the process's CPtr (seL4 looks it up in the faulter's CSpace)
  seL4_CPtr cnode_slot = seL4_CapNull;  // if set, the process's own CNode goes there: a receive path
  seL4_Word priority = 0;
  Tcb authority = kRootTcb;  // its MCP bounds `priority`
  seL4_CPtr asid_pool = seL4_CapInitThreadASIDPool;
  const char* name = nullptr;  // for the kernel's messages (seL4_DebugNameThread)
};

// A started process: its caps, all in the caller's root CNode.
struct Process {
  Arena arena;
  seL4_Error error = seL4_NoError;  // the first failing step's error
  const char* step = nullptr;       // that step ("Assign", "Configure", ...), nullptr on success
  seL4_CPtr vspace = seL4_CapNull;
  CNode cspace{seL4_CapNull, kProcessCNodeBits};  // index i is the process's CPtr i
  seL4_CPtr cnode_slot = seL4_CapNull;            // ProcessSpec::cnode_slot
  Tcb tcb{seL4_CapNull};
  bool ok() const { return error == seL4_NoError; }
};

// Builds the process and resumes its thread, which runs spec.entry(spec.arg) in its own VSpace
// and CSpace. Steps that already succeeded are not undone: on failure call destroy_process.
[[nodiscard]] Process start_process(const ProcessSpec& spec);

// Maps `frame` at `va` in `vspace`, making the page tables the walk lacks from `arena`. Works for
// any assigned VSpace, the caller's own included.
[[nodiscard]] seL4_Error map_page(Arena& arena, seL4_CPtr vspace, const Frame& frame, seL4_Word va,
                                  seL4_CapRights_t rights,
                                  seL4_ARM_VMAttributes attributes = seL4_ARM_Default_VMAttributes);

// A new object of `type` from the arena, its cap in *slot.
[[nodiscard]] seL4_Error make_object(Arena& arena, seL4_Word type, seL4_Word size_bits, seL4_CPtr* slot);

// Deletes every cap the arena holds, last made first, which unmaps and frees the process. The
// process's caps to its own TCB and CNode go first: while they exist, the TCB and the CNode hold
// each other, and deleting the caller's caps would not be final. The untyped itself is the
// caller's; Revoke it to reuse its memory. Returns the first error.
seL4_Error destroy_process(Process& p);

// seL4's name for an error ("FailedLookup"), for messages.
const char* error_name(seL4_Error e);

}  // namespace keel
