/* Invocation stubs for AArch64 objects: SMC, frames, page tables, ASIDs, IRQ triggers (reference
 * sections 6.6, 6.8-6.10). */
#pragma once

#include <sel4/arch_types.h>
#include <sel4/invocation.h>
#include <sel4/invoke.h>

/* Asks the kernel to execute `smc #0` with args->x0..x7. The reply label is the result; the
 * response is written only when the call succeeded. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_SMC_Call(seL4_ARM_SMC _service, seL4_ARM_SMCContext* smc_args,
                                                 seL4_ARM_SMCContext* smc_response) {
  seL4_Word mr[4] = {smc_args->x0, smc_args->x1, smc_args->x2, smc_args->x3};
  seL4_SetMR(4, smc_args->x4);
  seL4_SetMR(5, smc_args->x5);
  seL4_SetMR(6, smc_args->x6);
  seL4_SetMR(7, smc_args->x7);
  seL4_Error error = keel_invoke(_service, ARMSMCCall, 0, 8, mr);
  if (error == seL4_NoError) {
    smc_response->x0 = mr[0];
    smc_response->x1 = mr[1];
    smc_response->x2 = mr[2];
    smc_response->x3 = mr[3];
    smc_response->x4 = seL4_GetMR(4);
    smc_response->x5 = seL4_GetMR(5);
    smc_response->x6 = seL4_GetMR(6);
    smc_response->x7 = seL4_GetMR(7);
  }
  return error;
}

typedef struct seL4_ARM_Page_GetAddress {
  int error;
  seL4_Word paddr;
} seL4_ARM_Page_GetAddress_t;

LIBSEL4_INLINE_FUNC seL4_ARM_Page_GetAddress_t seL4_ARM_Page_GetAddress(seL4_ARM_Page _service) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  seL4_ARM_Page_GetAddress_t result;
  result.error = SEL4_KEEL_CAST(int, keel_invoke(_service, ARMPageGetAddress, 0, 0, mr));
  result.paddr = result.error == seL4_NoError ? mr[0] : 0;
  return result;
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Map(seL4_ARM_Page _service, seL4_CPtr vspace, seL4_Word vaddr,
                                                 seL4_CapRights_t rights, seL4_ARM_VMAttributes attr) {
  seL4_Word mr[4] = {vaddr, rights.words[0], SEL4_KEEL_CAST(seL4_Word, attr), 0};
  seL4_SetCap(0, vspace);
  return keel_invoke(_service, ARMPageMap, 1, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Unmap(seL4_ARM_Page _service) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  return keel_invoke(_service, ARMPageUnmap, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_PageTable_Map(seL4_ARM_PageTable _service, seL4_CPtr vspace,
                                                      seL4_Word vaddr, seL4_ARM_VMAttributes attr) {
  seL4_Word mr[4] = {vaddr, SEL4_KEEL_CAST(seL4_Word, attr), 0, 0};
  seL4_SetCap(0, vspace);
  return keel_invoke(_service, ARMPageTableMap, 1, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_PageTable_Unmap(seL4_ARM_PageTable _service) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  return keel_invoke(_service, ARMPageTableUnmap, 0, 0, mr);
}

/* Cache maintenance of [start, end) (end exclusive): offsets inside a mapped frame for the Page
 * forms, user addresses inside one mapped page for the VSpace forms. */
#define KEEL_FLUSH_STUB(name, type, label)                                             \
  LIBSEL4_INLINE_FUNC seL4_Error name(type _service, seL4_Word start, seL4_Word end) { \
    seL4_Word mr[4] = {start, end, 0, 0};                                              \
    return keel_invoke(_service, label, 0, 2, mr);                                     \
  }
KEEL_FLUSH_STUB(seL4_ARM_Page_Clean_Data, seL4_ARM_Page, ARMPageClean_Data)
KEEL_FLUSH_STUB(seL4_ARM_Page_Invalidate_Data, seL4_ARM_Page, ARMPageInvalidate_Data)
KEEL_FLUSH_STUB(seL4_ARM_Page_CleanInvalidate_Data, seL4_ARM_Page, ARMPageCleanInvalidate_Data)
KEEL_FLUSH_STUB(seL4_ARM_Page_Unify_Instruction, seL4_ARM_Page, ARMPageUnify_Instruction)
KEEL_FLUSH_STUB(seL4_ARM_VSpace_Clean_Data, seL4_ARM_VSpace, ARMVSpaceClean_Data)
KEEL_FLUSH_STUB(seL4_ARM_VSpace_Invalidate_Data, seL4_ARM_VSpace, ARMVSpaceInvalidate_Data)
KEEL_FLUSH_STUB(seL4_ARM_VSpace_CleanInvalidate_Data, seL4_ARM_VSpace, ARMVSpaceCleanInvalidate_Data)
KEEL_FLUSH_STUB(seL4_ARM_VSpace_Unify_Instruction, seL4_ARM_VSpace, ARMVSpaceUnify_Instruction)
#undef KEEL_FLUSH_STUB

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_ASIDControl_MakePool(seL4_ARM_ASIDControl _service,
                                                             seL4_Untyped untyped, seL4_CNode root,
                                                             seL4_Word index, seL4_Uint8 depth) {
  seL4_Word mr[4] = {index, KEEL_U8(depth), 0, 0};
  seL4_SetCap(0, untyped);
  seL4_SetCap(1, root);
  return keel_invoke(_service, ARMASIDControlMakePool, 2, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_ASIDPool_Assign(seL4_ARM_ASIDPool _service, seL4_CPtr vspace) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  seL4_SetCap(0, vspace);
  return keel_invoke(_service, ARMASIDPoolAssign, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl _service, seL4_Word irq,
                                                          seL4_Word trigger, seL4_CNode root, seL4_Word index,
                                                          seL4_Uint8 depth) {
  seL4_Word mr[4] = {irq, trigger, index, KEEL_U8(depth)};
  seL4_SetCap(0, root);
  return keel_invoke(_service, ARMIRQIssueIRQHandlerTrigger, 1, 4, mr);
}

/* Without SMP only. The new cap raises SGI `irq` at CPU interface `target`: seL4_Signal it. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_IssueSGISignal(seL4_IRQControl _service, seL4_Word irq,
                                                              seL4_Word target, seL4_CNode root,
                                                              seL4_Word index, seL4_Uint8 depth) {
  seL4_Word mr[4] = {irq, target, index, KEEL_U8(depth)};
  seL4_SetCap(0, root);
  return keel_invoke(_service, ARMIRQIssueSGISignal, 1, 4, mr);
}
