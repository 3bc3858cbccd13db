// Starting a thread in the caller's address space, so that tests and programs all do it one way:
// stack, IPC buffer and TLS block set up, then Configure, SetPriority, WriteRegisters, SetTLSBase,
// Resume (the order seL4's own libraries use).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <keel/runtime.h>
#include <keel/sel4.hpp>

namespace keel {

// What a new thread gets. It runs entry(arg) on its own stack with its own IPC buffer and
// thread-local variables. The helper writes the TLS block into the stack from the caller, so the
// stack must be mapped at the same address in the caller's VSpace and in `vspace`.
struct ThreadSpec {
  Tcb tcb;                       // an Inactive TCB, e.g. from make_tcb
  seL4_IPCBuffer* ipc_buffer;    // 1 KiB aligned, mapped at this address in `vspace`...
  Frame ipc_frame;               // ...through this frame (threads may share a frame, not a buffer)
  void* stack;                   // [stack, stack + stack_size); unless tls_base is given, its top
  size_t stack_size;             // keel_tls_area_size() bytes become the thread's TLS block
  void (*entry)(seL4_Word arg);  // when it returns, the thread suspends itself through `tcb`
  seL4_Word arg = 0;
  seL4_Word priority = 0;
  Tcb authority = kRootTcb;   // its MCP bounds `priority` (a new TCB's own MCP is 0)
  CNode cspace = kRootCNode;  // `tcb` must name the thread here too, for the suspend at the end
  seL4_CPtr vspace = seL4_CapInitThreadVSpace;
  seL4_CPtr fault_ep = seL4_CapNull;  // none: a fault stops the thread (the kernel says so)
  uintptr_t tls_base = 0;             // 0: a fresh block at the stack top; else one made with keel_tls_init
  const char* name = nullptr;         // for the kernel's messages (seL4_DebugNameThread)
  bool resume = true;                 // false: leave it Inactive for a later seL4_TCB_Resume
};

struct ThreadStart {
  seL4_Error error = seL4_NoError;  // the first failing step's error
  const char* step = nullptr;       // that step ("Configure", ...), nullptr on success
  uintptr_t tls_base = 0;           // the thread's TPIDR_EL0
  uintptr_t stack_top = 0;          // its initial SP (16-byte aligned)
  bool ok() const { return error == seL4_NoError; }
};

// Sets up and (unless spec.resume is false) resumes the thread. Steps that already succeeded
// are not undone: on failure the TCB may be configured but is never resumed.
[[nodiscard]] ThreadStart start_thread(const ThreadSpec& spec);

// A TCB retyped from `untyped` into `slot` of the caller's root CNode.
[[nodiscard]] inline seL4_Error make_tcb(const Untyped& untyped, seL4_Word slot,
                                         const CNode& root = kRootCNode) {
  return untyped.retype_into_root(seL4_TCBObject, 0, root, slot);
}

// The root task's cap (bootinfo userImageFrames) to the page of its image that holds `addr`, so a
// static, 1 KiB-aligned seL4_IPCBuffer can serve as a thread's IPC buffer. Only for addresses
// inside the root task's own image.
Frame image_frame(const seL4_BootInfo* bi, const void* addr);

}  // namespace keel
