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
