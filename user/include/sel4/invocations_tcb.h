/* Invocation stubs for TCB objects, non-MCS (reference section 6.5). */
#pragma once

#include <sel4/arch_types.h>
#include <sel4/invocation.h>
#include <sel4/invoke.h>

LIBSEL4_INLINE_FUNC seL4_Error keel_tcb_plain(seL4_TCB service, seL4_Word label) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  return keel_invoke(service, label, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Suspend(seL4_TCB _service) {
  return keel_tcb_plain(_service, TCBSuspend);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Resume(seL4_TCB _service) {
  return keel_tcb_plain(_service, TCBResume);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service) {
  return keel_tcb_plain(_service, TCBUnbindNotification);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  seL4_SetCap(0, notification);
  return keel_invoke(_service, TCBBindNotification, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority,
                                                    seL4_Word priority) {
  seL4_Word mr[4] = {priority, 0, 0, 0};
  seL4_SetCap(0, authority);
  return keel_invoke(_service, TCBSetPriority, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp) {
  seL4_Word mr[4] = {mcp, 0, 0, 0};
  seL4_SetCap(0, authority);
  return keel_invoke(_service, TCBSetMCPriority, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp,
                                                       seL4_Word priority) {
  seL4_Word mr[4] = {mcp, priority, 0, 0};
  seL4_SetCap(0, authority);
  return keel_invoke(_service, TCBSetSchedParams, 1, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer,
                                                     seL4_CPtr bufferFrame) {
  seL4_Word mr[4] = {buffer, 0, 0, 0};
  seL4_SetCap(0, bufferFrame);
  return keel_invoke(_service, TCBSetIPCBuffer, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_Word fault_ep,
                                                 seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                                 seL4_CPtr vspace_root, seL4_Word vspace_root_data) {
  seL4_Word mr[4] = {fault_ep, cspace_root_data, vspace_root_data, 0};
  seL4_SetCap(0, cspace_root);
  seL4_SetCap(1, vspace_root);
  return keel_invoke(_service, TCBSetSpace, 2, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_Word fault_ep,
                                                  seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                                  seL4_CPtr vspace_root, seL4_Word vspace_root_data,
                                                  seL4_Word buffer, seL4_CPtr bufferFrame) {
  seL4_Word mr[4] = {fault_ep, cspace_root_data, vspace_root_data, buffer};
  seL4_SetCap(0, cspace_root);
  seL4_SetCap(1, vspace_root);
  seL4_SetCap(2, bufferFrame);
  return keel_invoke(_service, TCBConfigure, 3, 4, mr);
}

/* MR0: bit 0 suspend_source, bit 1 resume_target, bit 2 transfer_frame, bit 3 transfer_integer,
 * arch_flags << 8; the source TCB travels as cap 0. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source,
                                                      seL4_Bool suspend_source, seL4_Bool resume_target,
                                                      seL4_Bool transfer_frame, seL4_Bool transfer_integer,
                                                      seL4_Uint8 arch_flags) {
  seL4_Word mr[4] = {KEEL_BOOL(suspend_source) | (KEEL_BOOL(resume_target) << 1) |
                         (KEEL_BOOL(transfer_frame) << 2) | (KEEL_BOOL(transfer_integer) << 3) |
                         (KEEL_U8(arch_flags) << 8),
                     0, 0, 0};
  seL4_SetCap(0, source);
  return keel_invoke(_service, TCBCopyRegisters, 1, 1, mr);
}

typedef struct seL4_TCB_SetFlags {
  int error;
  seL4_Word flags;
} seL4_TCB_SetFlags_t;

/* flags := (flags & ~clear) | (set & seL4_TCBFlag_MASK); the reply's MR0 is the new value. */
LIBSEL4_INLINE_FUNC seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB _service, seL4_Word clear, seL4_Word set) {
  seL4_Word mr[4] = {clear, set, 0, 0};
  seL4_TCB_SetFlags_t result;
  result.error = SEL4_KEEL_CAST(int, keel_invoke(_service, TCBSetFlags, 0, 2, mr));
  result.flags = result.error == seL4_NoError ? mr[0] : 0;
  return result;
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base) {
  seL4_Word mr[4] = {tls_base, 0, 0, 0};
  return keel_invoke(_service, TCBSetTLSBase, 0, 1, mr);
}

/* seL4_UserContext travels as 36 consecutive words in message order. */
#define KEEL_USER_CONTEXT_WORDS (sizeof(seL4_UserContext) / sizeof(seL4_Word))

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source,
                                                      seL4_Uint8 arch_flags, seL4_Word count,
                                                      seL4_UserContext* regs) {
  seL4_Word mr[4] = {KEEL_BOOL(suspend_source) | (KEEL_U8(arch_flags) << 8), count, 0, 0};
  seL4_Error error = keel_invoke(_service, TCBReadRegisters, 0, 2, mr);
  if (error == seL4_NoError) {
    seL4_Word* words = SEL4_KEEL_REINTERPRET(seL4_Word*, regs);
    for (unsigned i = 0; i < KEEL_USER_CONTEXT_WORDS; ++i) {
      words[i] = i < 4 ? mr[i] : seL4_GetMR(SEL4_KEEL_CAST(int, i));
    }
  }
  return error;
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target,
                                                       seL4_Uint8 arch_flags, seL4_Word count,
                                                       seL4_UserContext* regs) {
  const seL4_Word* words = SEL4_KEEL_REINTERPRET(const seL4_Word*, regs);
  seL4_Word mr[4] = {KEEL_BOOL(resume_target) | (KEEL_U8(arch_flags) << 8), count, words[0], words[1]};
  for (unsigned i = 2; i < KEEL_USER_CONTEXT_WORDS; ++i) {
    seL4_SetMR(SEL4_KEEL_CAST(int, i) + 2, words[i]);
  }
  return keel_invoke(_service, TCBWriteRegisters, 0, 2 + KEEL_USER_CONTEXT_WORDS, mr);
}
