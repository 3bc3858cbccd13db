// What a thread's TCB may name: which caps may back an IPC buffer (seL4 checkValidIPCBuffer) or
// be its VSpace root, and locating its buffer through the frame cap (seL4 lookupIPCBuffer).
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

// Only a VSpace that has an ASID can be switched to.
bool is_valid_vtable_root(Cap cap) { return cap.type() == CapType::VSpace && VSpaceCap{cap}.is_mapped(); }

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
