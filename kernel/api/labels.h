// Invocation labels for the non-MCS, non-SMP, non-hyp AArch64 configuration (reference §5.1).
#pragma once

#include "kernel/lib/types.h"

namespace keel {

enum class Label : word_t {
  InvalidInvocation = 0,
  UntypedRetype = 1,
  TCBReadRegisters = 2,
  TCBWriteRegisters = 3,
  TCBCopyRegisters = 4,
  TCBConfigure = 5,
  TCBSetPriority = 6,
  TCBSetMCPriority = 7,
  TCBSetSchedParams = 8,
  TCBSetIPCBuffer = 9,
  TCBSetSpace = 10,
  TCBSuspend = 11,
  TCBResume = 12,
  TCBBindNotification = 13,
  TCBUnbindNotification = 14,
  TCBSetTLSBase = 15,
  TCBSetFlags = 16,
  CNodeRevoke = 17,
  CNodeDelete = 18,
  CNodeCancelBadgedSends = 19,
  CNodeCopy = 20,
  CNodeMint = 21,
  CNodeMove = 22,
  CNodeMutate = 23,
  CNodeRotate = 24,
  CNodeSaveCaller = 25,
  IRQIssueIRQHandler = 26,
  IRQAckIRQ = 27,
  IRQSetIRQHandler = 28,
  IRQClearIRQHandler = 29,
  DomainSetSet = 30,
  DomainScheduleConfigure = 31,
  DomainScheduleSetStart = 32,
  // seL4's label names, underscores included (invocation.xml), so one grep finds both.
  // NOLINTBEGIN(readability-identifier-naming)
  ARMVSpaceClean_Data = 33,
  ARMVSpaceInvalidate_Data = 34,
  ARMVSpaceCleanInvalidate_Data = 35,
  ARMVSpaceUnify_Instruction = 36,
  ARMSMCCall = 37,
  ARMPageTableMap = 38,
  ARMPageTableUnmap = 39,
  ARMPageMap = 40,
  ARMPageUnmap = 41,
  ARMPageClean_Data = 42,
  ARMPageInvalidate_Data = 43,
  ARMPageCleanInvalidate_Data = 44,
  ARMPageUnify_Instruction = 45,
  // NOLINTEND(readability-identifier-naming)
  ARMPageGetAddress = 46,
  ARMASIDControlMakePool = 47,
  ARMASIDPoolAssign = 48,
  ARMIRQIssueIRQHandlerTrigger = 49,
  ARMIRQIssueSGISignal = 50,
};

}  // namespace keel
