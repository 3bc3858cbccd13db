// keel::start_thread: the one way keel's programs start a thread (see keel/thread.hpp).
#include <keel/thread.hpp>

extern "C" char __image_start[];

namespace keel {
namespace {

constexpr size_t kMinStackBytes = 512;  // below this the entry function would overrun it at once

bool step(ThreadStart& r, const char* what, seL4_Error e) {
  if (e != seL4_NoError) {
    r.error = e;
    r.step = what;
  }
  return e == seL4_NoError;
}

}  // namespace

// The first code a new thread runs (its pc; x0..x3 from WriteRegisters). The IPC buffer pointer
// is thread-local, so only the thread itself can set it.
extern "C" [[noreturn]] void keel_thread_entry(seL4_Word arg, void (*entry)(seL4_Word),
                                               seL4_IPCBuffer* ipc_buffer, seL4_CPtr self) {
  seL4_SetIPCBuffer(ipc_buffer);
  entry(arg);
  (void)seL4_TCB_Suspend(self);
  // Only reached if `self` does not name this thread: a fault stops it visibly instead.
  __builtin_trap();
}

namespace {

seL4_UserContext initial_registers(const ThreadSpec& s, uintptr_t sp) {
  seL4_UserContext regs = {};  // spsr 0: the kernel makes it EL0 with only F masked
  regs.pc = reinterpret_cast<seL4_Word>(&keel_thread_entry);
  regs.sp = sp;
  regs.x0 = s.arg;
  regs.x1 = reinterpret_cast<seL4_Word>(s.entry);
  regs.x2 = reinterpret_cast<seL4_Word>(s.ipc_buffer);
  regs.x3 = s.tcb.cptr();
  return regs;  // tpidr_el0 0 here; SetTLSBase sets it, as seL4's libraries do
}

}  // namespace

ThreadStart start_thread(const ThreadSpec& s) {
  ThreadStart r;
  const uintptr_t top = (reinterpret_cast<uintptr_t>(s.stack) + s.stack_size) & ~uintptr_t{15};
  const size_t tls_bytes = s.tls_base == 0 ? keel_tls_area_size() : 0;
  if (s.stack_size < tls_bytes + kMinStackBytes + 16) {
    step(r, "stack size", seL4_InvalidArgument);
    return r;
  }
  r.stack_top = top - tls_bytes;
  r.tls_base = s.tls_base != 0 ? s.tls_base : keel_tls_init(reinterpret_cast<void*>(r.stack_top));
  const seL4_CPtr tcb = s.tcb.cptr();
  if (!step(r, "Configure",
            seL4_TCB_Configure(tcb, s.fault_ep, s.cspace.cptr(), 0, s.vspace, 0,
                               reinterpret_cast<seL4_Word>(s.ipc_buffer), s.ipc_frame.cptr())) ||
      !step(r, "SetPriority", seL4_TCB_SetPriority(tcb, s.authority.cptr(), s.priority))) {
    return r;
  }
  seL4_UserContext regs = initial_registers(s, r.stack_top);
  if (!step(r, "WriteRegisters",
            seL4_TCB_WriteRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs)) ||
      !step(r, "SetTLSBase", seL4_TCB_SetTLSBase(tcb, r.tls_base))) {
    return r;
  }
  if (s.name != nullptr) s.tcb.set_name(s.name);
  if (s.resume) step(r, "Resume", seL4_TCB_Resume(tcb));
  return r;
}

Frame image_frame(const seL4_BootInfo* bi, const void* addr) {
  constexpr uintptr_t kPage = uintptr_t{1} << seL4_PageBits;
  const uintptr_t first = reinterpret_cast<uintptr_t>(__image_start) & ~(kPage - 1);
  return Frame{bi->userImageFrames.start + (reinterpret_cast<uintptr_t>(addr) - first) / kPage};
}

}  // namespace keel
