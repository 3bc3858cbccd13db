// ABI numbers the spec needs (facts from reference/sel4-abi-aarch64.md, non-hyp AArch64).
#pragma once

#include "types.h"

namespace keel::spec {

// Syscall numbers (§1.1): x7 as a signed word.
enum class Syscall : std::int64_t {
  Call = -1,
  ReplyRecv = -2,
  Send = -3,
  NBSend = -4,
  Recv = -5,
  Reply = -6,
  Yield = -7,
  NBRecv = -8,
  DebugPutChar = -9,
  DebugDumpScheduler = -10,
  DebugHalt = -11,
  DebugCapIdentify = -12,
  DebugSnapshot = -13,
  DebugNameThread = -14,
};

// Invocation labels (§5.1, non-hyp, non-MCS, non-SMP).
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
  ARMPageGetAddress = 46,
  ARMASIDControlMakePool = 47,
  ARMASIDPoolAssign = 48,
  ARMIRQIssueIRQHandlerTrigger = 49,
  ARMIRQIssueSGISignal = 50,
};

// Initial CSpace slots of the root task (§3.4).
enum InitialSlot : cptr_t {
  kCapNull = 0,
  kCapInitThreadTCB = 1,
  kCapInitThreadCNode = 2,
  kCapInitThreadVSpace = 3,
  kCapIRQControl = 4,
  kCapASIDControl = 5,
  kCapInitThreadASIDPool = 6,
  kCapIOPortControl = 7,
  kCapIOSpace = 8,
  kCapBootInfoFrame = 9,
  kCapInitThreadIPCBuffer = 10,
  kCapDomain = 11,
  kCapSMMUSIDControl = 12,
  kCapSMMUCBControl = 13,
  kCapInitThreadSC = 14,
  kCapSMC = 15,
  kNumInitialCaps = 16,
};

// Object types for Untyped_Retype (§5.2).
enum class ObjectType : word_t {
  Untyped = 0,
  TCB = 1,
  Endpoint = 2,
  Notification = 3,
  CapTable = 4,
  HugePage = 5,
  VSpace = 6,
  SmallPage = 7,
  LargePage = 8,
  PageTable = 9,
};
inline constexpr word_t kObjectTypeCount = 10;

inline constexpr unsigned kPageBits = 12, kLargePageBits = 21, kHugePageBits = 30;
inline constexpr unsigned kSlotBits = 5, kTcbBits = 11, kEndpointBits = 4, kNotificationBits = 5;
inline constexpr unsigned kPageTableBits = 12, kVSpaceBits = 12, kAsidPoolBits = 12;
inline constexpr unsigned kMinUntypedBits = 4, kMaxUntypedBits = 47;
inline constexpr word_t kRetypeFanOutLimit = 256;

inline constexpr unsigned kMsgMaxLength = 120;  // seL4_MsgMaxLength
inline constexpr unsigned kMsgRegisters = 4;    // MR0..MR3 travel in x2..x5
inline constexpr unsigned kMsgMaxExtraCaps = 3;
inline constexpr unsigned kIpcBufferWords = 128;     // seL4_IPCBuffer, 1024 bytes
inline constexpr unsigned kIpcBufferSizeBits = 10;   // its alignment (seL4_IPCBufferSizeBits)
inline constexpr unsigned kIpcBufferCapsWord = 122;  // caps_or_badges[0]
inline constexpr unsigned kNumSmcRegs = 8;
// The kernel keeps a thread's debug name in 64 bytes: at most 63 characters survive.
inline constexpr unsigned kThreadNameMax = 63;
inline constexpr word_t kNumPriorities = 256;  // seL4_MaxPrio + 1
inline constexpr word_t kNumDomains = 1;
inline constexpr word_t kTimeSlice = 5;  // ticks (CONFIG_TIME_SLICE)
inline constexpr word_t kMaxIrq = 159;   // maxIRQ of qemu-arm-virt (§6.6)

// The five slots inside a TCB object (seL4 tcbCTable, tcbVTable, tcbReply, tcbCaller, tcbBuffer).
enum TcbSlot : word_t { kTcbCTable = 0, kTcbVTable, kTcbReply, kTcbCaller, kTcbBuffer, kTcbNumSlots };

}  // namespace keel::spec
