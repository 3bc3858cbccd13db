// keel::start_process: a thread in an address space and CSpace of its own (see keel/process.hpp).
#include <keel/process.hpp>

#include <keel/runtime.h>
#include <keel/thread.hpp>

// Linker-script symbols (root_task.ld): the image's first byte and the end of the TLS template,
// the last thing before the root task's writable data.
extern "C" char __image_start[];     // NOLINT(readability-identifier-naming): linker symbol
extern "C" char __keel_tdata_end[];  // NOLINT(readability-identifier-naming): linker symbol

// keel::start_thread's first code (thread.cc): stores the IPC buffer pointer, runs entry(arg),
// then suspends the thread through `self`.
extern "C" [[noreturn]] void keel_thread_entry(seL4_Word arg, void (*entry)(seL4_Word),
                                               seL4_IPCBuffer* ipc_buffer, seL4_CPtr self);

// The first code a process runs. Its TLS block lies at the top of its own stack, which the root
// task has no mapping of, so the thread fills the block in itself; TPIDR_EL0 already points there
// (SetTLSBase), and nothing thread-local is touched before keel_tls_init has written it.
extern "C" [[noreturn]] void keel_process_entry(seL4_Word arg, void (*entry)(seL4_Word),
                                                seL4_IPCBuffer* ipc_buffer, seL4_CPtr self) {
  keel_tls_init(__builtin_thread_pointer());
  keel_thread_entry(arg, entry, ipc_buffer, self);
}

namespace keel {
namespace {

constexpr seL4_Word kPageBytes = seL4_Word{1} << seL4_PageBits;
constexpr int kMaxTablesPerMap = 3;  // levels 1, 2 and 3 below the VSpace root
// Stack and IPC buffer hold data only: never executable.
constexpr auto kDataAttributes =
    static_cast<seL4_ARM_VMAttributes>(seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);

bool step(Process& p, const char* what, seL4_Error e) {
  if (e != seL4_NoError && p.error == seL4_NoError) {
    p.error = e;
    p.step = what;
  }
  return e == seL4_NoError;
}

seL4_Word page_down(uintptr_t a) { return a & ~(kPageBytes - 1); }
seL4_Word page_up(uintptr_t a) { return page_down(a + kPageBytes - 1); }

// One page of the image, through a read-only copy of the root task's frame cap (a copy arrives
// unmapped, so the frame can be mapped a second time).
bool map_image_page(Process& p, const seL4_BootInfo* bi, uintptr_t va) {
  const seL4_CPtr copy = p.arena.take_slot();
  if (copy == seL4_CapNull) return step(p, "root CNode slots", seL4_NotEnoughMemory);
  const Frame own = image_frame(bi, reinterpret_cast<void*>(va));
  if (!step(p, "Copy image frame", kRootCNode.copy(copy, kRootCNode, own.cptr(), seL4_CanRead))) {
    p.arena.next_slot = copy;  // as in make_object: the empty slot stays out of the teardown
    return false;
  }
  return step(p, "Map image frame", map_page(p.arena, p.vspace, Frame{copy}, va, seL4_CanRead));
}

// The image's code, read-only data and TLS template: all a process needs of it.
bool map_image(Process& p) {
  const seL4_BootInfo* bi = keel_bootinfo();
  const uintptr_t end = page_up(reinterpret_cast<uintptr_t>(__keel_tdata_end));
  for (uintptr_t va = page_down(reinterpret_cast<uintptr_t>(__image_start)); va < end; va += kPageBytes) {
    if (!map_image_page(p, bi, va)) return false;
  }
  return true;
}

// A zeroed frame mapped read-write (never executable) at va; its cap in *frame.
bool map_fresh(Process& p, seL4_Word va, seL4_CPtr* frame, const char* what) {
  return step(p, what, make_object(p.arena, seL4_ARM_SmallPageObject, 0, frame)) &&
         step(p, what, map_page(p.arena, p.vspace, Frame{*frame}, va, seL4_ReadWrite, kDataAttributes));
}

bool make_address_space(Process& p, const ProcessSpec& s, seL4_CPtr* ipc_frame) {
  if (!step(p, "Retype VSpace", make_object(p.arena, seL4_ARM_VSpaceObject, 0, &p.vspace)) ||
      !step(p, "Assign", seL4_ARM_ASIDPool_Assign(s.asid_pool, p.vspace)) || !map_image(p) ||
      !map_fresh(p, kProcessIpcBufferVa, ipc_frame, "IPC buffer")) {
    return false;
  }
  for (seL4_Word i = 0; i < kProcessStackPages; ++i) {
    seL4_CPtr frame = seL4_CapNull;
    if (!map_fresh(p, kProcessStackBase + i * kPageBytes, &frame, "stack")) return false;
  }
  return true;
}

bool make_cspace(Process& p, const ProcessSpec& s) {
  seL4_CPtr cnode = seL4_CapNull;
  if (!step(p, "Retype CNode", make_object(p.arena, seL4_CapTableObject, kProcessCNodeBits, &cnode))) {
    return false;
  }
  p.cspace = CNode{cnode, kProcessCNodeBits};
  for (size_t i = 0; i < s.num_caps; ++i) {
    const ProcessCap& c = s.caps[i];
    const seL4_Error e = c.badge == 0 ? p.cspace.copy(c.slot, kRootCNode, c.src, c.rights)
                                      : p.cspace.mint(c.slot, kRootCNode, c.src, c.rights, c.badge);
    if (!step(p, c.badge == 0 ? "Copy cap" : "Mint cap", e)) return false;
  }
  p.cnode_slot = s.cnode_slot;
  return s.cnode_slot == seL4_CapNull ||
         step(p, "Copy CNode", p.cspace.copy(s.cnode_slot, kRootCNode, cnode, seL4_AllRights));
}

seL4_UserContext initial_registers(const ProcessSpec& s, seL4_Word sp) {
  seL4_UserContext regs = {};  // spsr 0: the kernel makes it EL0 with only F masked
  regs.pc = reinterpret_cast<seL4_Word>(&keel_process_entry);
  regs.sp = sp;
  regs.x0 = s.arg;
  regs.x1 = reinterpret_cast<seL4_Word>(s.entry);
  regs.x2 = kProcessIpcBufferVa;
  regs.x3 = kProcessTcbSlot;
  return regs;
}

bool start_thread_in(Process& p, const ProcessSpec& s, seL4_CPtr ipc_frame) {
  seL4_CPtr tcb = seL4_CapNull;
  if (!step(p, "Retype TCB", make_object(p.arena, seL4_TCBObject, 0, &tcb))) return false;
  p.tcb = Tcb{tcb};
  // The TLS block takes the top of the stack; the stack proper starts below it, 16-aligned.
  const seL4_Word tls_base = (kProcessStackTop - keel_tls_area_size()) & ~seL4_Word{15};
  const seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - kProcessCNodeBits).words[0];
  seL4_UserContext regs = initial_registers(s, tls_base);
  if (!step(p, "Copy TCB", p.cspace.copy(kProcessTcbSlot, kRootCNode, tcb, seL4_AllRights)) ||
      !step(p, "Configure",
            seL4_TCB_Configure(tcb, s.fault_ep, p.cspace.cptr(), guard, p.vspace, 0, kProcessIpcBufferVa,
                               ipc_frame)) ||
      !step(p, "SetPriority", p.tcb.set_priority(s.authority, s.priority)) ||
      !step(p, "WriteRegisters",
            seL4_TCB_WriteRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs)) ||
      !step(p, "SetTLSBase", seL4_TCB_SetTLSBase(tcb, tls_base))) {
    return false;
  }
  if (s.name != nullptr) p.tcb.set_name(s.name);
  return step(p, "Resume", p.tcb.resume());
}

}  // namespace

seL4_Error make_object(Arena& arena, seL4_Word type, seL4_Word size_bits, seL4_CPtr* slot) {
  *slot = arena.take_slot();
  if (*slot == seL4_CapNull) return seL4_NotEnoughMemory;  // no slot left in the range
  const seL4_Error e = arena.untyped.retype_into_root(type, size_bits, kRootCNode, *slot);
  if (e != seL4_NoError) {
    arena.next_slot = *slot;  // the slot stays empty: destroy_process must not delete what is there
    *slot = seL4_CapNull;
  }
  return e;
}

// As libsel4utils does: a FailedLookup from Page_Map means a table is missing where the walk
// stopped, and mapping a new table at the same address fills exactly that gap.
seL4_Error map_page(Arena& arena, seL4_CPtr vspace, const Frame& frame, seL4_Word va, seL4_CapRights_t rights,
                    seL4_ARM_VMAttributes attributes) {
  for (int tables = 0;; ++tables) {
    const seL4_Error e = seL4_ARM_Page_Map(frame.cptr(), vspace, va, rights, attributes);
    if (e != seL4_FailedLookup || tables == kMaxTablesPerMap) return e;
    seL4_CPtr pt = seL4_CapNull;
    const seL4_Error made = make_object(arena, seL4_ARM_PageTableObject, 0, &pt);
    if (made != seL4_NoError) return made;
    const seL4_Error mapped = seL4_ARM_PageTable_Map(pt, vspace, va, seL4_ARM_Default_VMAttributes);
    if (mapped != seL4_NoError) return mapped;
  }
}

Process start_process(const ProcessSpec& s) {
  Process p;
  p.arena = s.arena;
  p.arena.next_slot = p.arena.first_slot;
  seL4_CPtr ipc_frame = seL4_CapNull;
  if (make_cspace(p, s) && make_address_space(p, s, &ipc_frame)) start_thread_in(p, s, ipc_frame);
  return p;
}

seL4_Error destroy_process(Process& p) {
  seL4_Error first = seL4_NoError;
  const auto note = [&first](seL4_Error e) {
    if (first == seL4_NoError) first = e;
  };
  // The caps that make the TCB and the CNode reachable from the CNode itself go first (see
  // process.hpp); deleting an empty slot is no error.
  if (p.cspace.cptr() != seL4_CapNull) {
    note(p.cspace.remove(kProcessTcbSlot));
    if (p.cnode_slot != seL4_CapNull) note(p.cspace.remove(p.cnode_slot));
  }
  for (seL4_CPtr s = p.arena.next_slot; s > p.arena.first_slot; --s) note(kRootCNode.remove(s - 1));
  p.arena.next_slot = p.arena.first_slot;
  return first;
}

const char* error_name(seL4_Error e) {
  static constexpr const char* kNames[] = {"NoError",          "InvalidArgument",  "InvalidCapability",
                                           "IllegalOperation", "RangeError",       "AlignmentError",
                                           "FailedLookup",     "TruncatedMessage", "DeleteFirst",
                                           "RevokeFirst",      "NotEnoughMemory"};
  const auto i = static_cast<unsigned>(e);
  return i < sizeof(kNames) / sizeof(kNames[0]) ? kNames[i] : "an unknown error";
}

}  // namespace keel
