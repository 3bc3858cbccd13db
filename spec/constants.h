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
// receiveCNode; receiveIndex and receiveDepth follow (where a received cap goes).
inline constexpr unsigned kIpcBufferReceiveCNodeWord = 125;
inline constexpr unsigned kNumSmcRegs = 8;
// The kernel keeps a thread's debug name in 64 bytes: at most 63 characters survive.
inline constexpr unsigned kThreadNameMax = 63;
inline constexpr word_t kNumPriorities = 256;  // seL4_MaxPrio + 1
inline constexpr word_t kNumDomains = 1;
inline constexpr word_t kTimeSlice = 5;      // ticks (CONFIG_TIME_SLICE)
inline constexpr word_t kMaxIrq = 159;       // maxIRQ of qemu-arm-virt (§6.6)
inline constexpr word_t kNumSgis = 16;       // GICv2 SGI ids 0..15 (seL4 NUM_SGIS)
inline constexpr word_t kSgiNumTargets = 8;  // GICv2 CPU interfaces 0..7 (GIC_SGI_NUM_TARGETS)

// The domain schedule (threads.md §3.2): CONFIG_NUM_DOMAIN_SCHEDULES entries of (domain,
// duration in ticks); a duration fits in 56 bits; the last entry is always the end marker.
inline constexpr word_t kNumDomainSchedules = 2;
inline constexpr word_t kMaxDomainDuration = (word_t{1} << 56) - 1;

// seL4_UserContext (reference §8): the 36 words Read/Write/CopyRegisters move, in this order.
// The first 17 are the "frame" registers, the other 19 the "integer" (gp) registers.
inline constexpr unsigned kNumContextRegs = 36, kNumFrameRegs = 17, kNumGpRegs = 19;
inline constexpr unsigned kRegPc = 0;  // seL4 FaultIP: where the thread restarts
inline constexpr unsigned kRegSp = 1, kRegSpsr = 2;
inline constexpr unsigned kRegTpidrEl0 = 34;    // TLS_BASE (SetTLSBase writes it)
inline constexpr unsigned kRegTpidrroEl0 = 35;  // only Write/CopyRegisters set it
// The word of x<n> (n = 0..30) in seL4_UserContext: x0-x8 at 3-11, x16-x18 at 12-14,
// x29-x30 at 15-16, x9-x15 at 17-23, x19-x28 at 24-33.
constexpr unsigned reg_index_of_x(unsigned n) {
  if (n <= 8) return 3 + n;
  if (n <= 15) return 17 + (n - 9);
  if (n <= 18) return 12 + (n - 16);
  if (n <= 28) return 24 + (n - 19);
  return 15 + (n - 29);
}
static_assert(reg_index_of_x(0) == 3 && reg_index_of_x(8) == 11 && reg_index_of_x(9) == 17 &&
              reg_index_of_x(16) == 12 && reg_index_of_x(19) == 24 && reg_index_of_x(28) == 33 &&
              reg_index_of_x(30) == 16);

// PSTATE_USER of a debug build (threads.md §0.2.6): F masked, EL0t. A sanitised SPSR keeps
// only NZCV (bits 31:28) of what the user wrote.
inline constexpr word_t kPstateUser = 0x40;
inline constexpr word_t kSpsrUserBits = 0xF000'0000;

// tcbFlags (seL4_TCBFlag_*): bit 0 disables the FPU; no other bit can be set.
inline constexpr word_t kTcbFlagFpuDisabled = 1;
inline constexpr word_t kTcbFlagMask = kTcbFlagFpuDisabled;

// The five slots inside a TCB object (seL4 tcbCTable, tcbVTable, tcbReply, tcbCaller, tcbBuffer).
enum TcbSlot : word_t { kTcbCTable = 0, kTcbVTable, kTcbReply, kTcbCaller, kTcbBuffer, kTcbNumSlots };

}  // namespace keel::spec
