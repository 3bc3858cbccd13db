/* The one path every kernel-object invocation stub takes: a Call with MR0..MR3 in registers (reference
 * section 6.1). */
#pragma once

#include <sel4/errors.h>
#include <sel4/functions.h>
#include <sel4/syscalls.h>

/* Calls `service` with a message of `length` words and `extra_caps` caps (already in the IPC
 * buffer's caps_or_badges). mr[0..3] go in x2..x5, words 4.. must already be in the IPC buffer.
 * On return mr[] holds the reply's MR0..MR3. An error reply's words are also copied into the
 * IPC buffer, so callers can read them with seL4_GetMR as with libsel4. */
LIBSEL4_INLINE_FUNC seL4_Error keel_invoke(seL4_CPtr service, seL4_Word label, seL4_Word extra_caps,
                                           seL4_Word length, seL4_Word mr[4]) {
  seL4_MessageInfo_t tag = seL4_MessageInfo_new(label, 0, extra_caps, length);
  seL4_MessageInfo_t reply = seL4_CallWithMRs(service, tag, &mr[0], &mr[1], &mr[2], &mr[3]);
  seL4_Error error = SEL4_KEEL_CAST(seL4_Error, seL4_MessageInfo_get_label(reply));
  if (error != seL4_NoError) {
    seL4_SetMR(0, mr[0]);
    seL4_SetMR(1, mr[1]);
    seL4_SetMR(2, mr[2]);
    seL4_SetMR(3, mr[3]);
  }
  return error;
}

/* Stubs mask small parameters to their declared width, as libsel4's generator does. */
#define KEEL_U8(v) (SEL4_KEEL_CAST(seL4_Word, v) & 0xffu)
#define KEEL_BOOL(v) (SEL4_KEEL_CAST(seL4_Word, v) & 0x1u)
