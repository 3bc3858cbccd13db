/* Invocation labels for the non-MCS, non-SMP, non-hyp AArch64 configuration (reference section 5.1). */
#pragma once

#include <sel4/simple_types.h>

/* Generic labels. */
enum invocation_label {
  InvalidInvocation = 0,
  UntypedRetype,
  TCBReadRegisters,
  TCBWriteRegisters,
  TCBCopyRegisters,
  TCBConfigure,
  TCBSetPriority,
  TCBSetMCPriority,
  TCBSetSchedParams,
  TCBSetIPCBuffer,
  TCBSetSpace,
  TCBSuspend,
  TCBResume,
  TCBBindNotification,
  TCBUnbindNotification,
  TCBSetTLSBase,
  TCBSetFlags,
  CNodeRevoke,
  CNodeDelete,
  CNodeCancelBadgedSends,
  CNodeCopy,
  CNodeMint,
  CNodeMove,
  CNodeMutate,
  CNodeRotate,
  CNodeSaveCaller,
  IRQIssueIRQHandler,
  IRQAckIRQ,
  IRQSetIRQHandler,
  IRQClearIRQHandler,
  DomainSetSet,
  DomainScheduleConfigure,
  DomainScheduleSetStart,
  nInvocationLabels
};

/* AArch64 labels: they continue the generic list. */
enum sel4_arch_invocation_label {
  ARMVSpaceClean_Data = nInvocationLabels,
  ARMVSpaceInvalidate_Data,
  ARMVSpaceCleanInvalidate_Data,
  ARMVSpaceUnify_Instruction,
  ARMSMCCall,
  nSeL4ArchInvocationLabels
};

/* ARM labels: they continue the AArch64 list. */
enum arch_invocation_label {
  ARMPageTableMap = nSeL4ArchInvocationLabels,
  ARMPageTableUnmap,
  ARMPageMap,
  ARMPageUnmap,
  ARMPageClean_Data,
  ARMPageInvalidate_Data,
  ARMPageCleanInvalidate_Data,
  ARMPageUnify_Instruction,
  ARMPageGetAddress,
  ARMASIDControlMakePool,
  ARMASIDPoolAssign,
  ARMIRQIssueIRQHandlerTrigger,
  ARMIRQIssueSGISignal,
  nArchInvocationLabels
};

/* The numbers must match the kernel bit for bit; these pin every group boundary. */
SEL4_KEEL_ABI_ASSERT(UntypedRetype == 1 && TCBSetFlags == 16, "generic TCB labels");
SEL4_KEEL_ABI_ASSERT(CNodeRevoke == 17 && CNodeSaveCaller == 25, "CNode labels");
SEL4_KEEL_ABI_ASSERT(IRQIssueIRQHandler == 26 && DomainScheduleSetStart == 32, "IRQ/domain labels");
SEL4_KEEL_ABI_ASSERT(nInvocationLabels == 33, "generic label count");
SEL4_KEEL_ABI_ASSERT(ARMVSpaceClean_Data == 33 && ARMSMCCall == 37, "AArch64 labels");
SEL4_KEEL_ABI_ASSERT(ARMPageTableMap == 38 && ARMPageGetAddress == 46, "ARM page labels");
SEL4_KEEL_ABI_ASSERT(ARMASIDPoolAssign == 48 && ARMIRQIssueSGISignal == 50, "ARM labels");
SEL4_KEEL_ABI_ASSERT(nArchInvocationLabels == 51, "label count");
