// Locating a thread's IPC buffer through the frame cap in its TCB (seL4 lookupIPCBuffer).
#include "kernel/core/arch_hooks.h"
#include "kernel/lib/kernel_window.h"

namespace keel::arch {

word_t* lookup_ipc_buffer(Tcb* thread, bool is_receiver) {
  const Cap cap = thread->slot(kTcbBuffer)->cap;
  if (cap.type() != CapType::Frame) return nullptr;
  const FrameCap frame{cap};
  if (frame.is_device()) return nullptr;
  const VmRights r = frame.rights();
  if (r != VmRights::ReadWrite && !(r == VmRights::ReadOnly && !is_receiver)) return nullptr;
  const word_t offset = thread->ipc_buffer & mask_bits(frame_size_bits(frame.size()));
  return ptr_from_paddr<word_t>(frame.ptr() + offset);
}

}  // namespace keel::arch
