// The IPC buffer frame: which caps may back one (seL4 checkValidIPCBuffer), and locating a
// thread's buffer through the frame cap in its TCB (seL4 lookupIPCBuffer).
#include "kernel/api/message_info.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/lib/kernel_window.h"

namespace keel::arch {

SyscallError check_valid_ipc_buffer(vaddr_t buffer, Cap cap) {
  if (cap.type() != CapType::Frame || FrameCap{cap}.is_device()) {
    return SyscallError::of(Error::IllegalOperation);
  }
  if (!is_aligned(buffer, kIpcBufferSizeBits)) return SyscallError::of(Error::AlignmentError);
  return SyscallError{};
}

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
