/* The calling thread's IPC buffer and the message-register accessors on it (reference section 2.2). */
#pragma once

#include <sel4/shared_types.h>
#include <sel4/simple_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Per thread, as in libsel4: a thread-local variable (TPIDR_EL0 names the thread's TLS block). The
 * root task's runtime sets it from bootinfo; keel::start_thread sets a new thread's. */
extern __thread seL4_IPCBuffer* __sel4_ipc_buffer;

#ifdef __cplusplus
}
#endif

LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer* ipc_buffer) { __sel4_ipc_buffer = ipc_buffer; }

LIBSEL4_INLINE_FUNC seL4_IPCBuffer* seL4_GetIPCBuffer(void) { return __sel4_ipc_buffer; }

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i) { return seL4_GetIPCBuffer()->msg[i]; }

LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr) { seL4_GetIPCBuffer()->msg[i] = mr; }

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void) { return seL4_GetIPCBuffer()->userData; }

LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data) { seL4_GetIPCBuffer()->userData = data; }

/* caps_or_badges[i]: a CPtr to send, or after a receive an unwrapped badge. */
LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i) { return seL4_GetIPCBuffer()->caps_or_badges[i]; }

LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i) { return seL4_GetIPCBuffer()->caps_or_badges[i]; }

LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr) { seL4_GetIPCBuffer()->caps_or_badges[i] = cptr; }

LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr* receiveCNode, seL4_CPtr* receiveIndex,
                                                seL4_Word* receiveDepth) {
  seL4_IPCBuffer* ipc_buffer = seL4_GetIPCBuffer();
  if (receiveCNode != seL4_Null) {
    *receiveCNode = ipc_buffer->receiveCNode;
  }
  if (receiveIndex != seL4_Null) {
    *receiveIndex = ipc_buffer->receiveIndex;
  }
  if (receiveDepth != seL4_Null) {
    *receiveDepth = ipc_buffer->receiveDepth;
  }
}

LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                                seL4_Word receiveDepth) {
  seL4_IPCBuffer* ipc_buffer = seL4_GetIPCBuffer();
  ipc_buffer->receiveCNode = receiveCNode;
  ipc_buffer->receiveIndex = receiveIndex;
  ipc_buffer->receiveDepth = receiveDepth;
}
