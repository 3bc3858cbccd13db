/* Sizes, limits and small enumerations of the AArch64 non-hyp seL4 ABI (reference sections
 * 2, 4.3, 5.3, 7.1, 9.1). */
#pragma once

#include <sel4/simple_types.h>

/* Machine and object sizes, log2 bytes unless the name says otherwise. */
#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_SlotBits 5
#define seL4_TCBBits 11
#define seL4_EndpointBits 4
#define seL4_NotificationBits 5
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_VSpaceBits 12
#define seL4_VSpaceEntryBits 3
#define seL4_VSpaceIndexBits 9
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 7
#define seL4_IOPageTableBits 12
#define seL4_ARM_VCPUBits 12
#define seL4_VCPUBits 12
#define seL4_MinUntypedBits 4
#define seL4_MaxUntypedBits 47
#define seL4_IPCBufferSizeBits 10
#define seL4_BootInfoFrameBits 12
#define seL4_BootInfoFrameSize (1ul << seL4_BootInfoFrameBits)
#define seL4_UserTop 0x00007ffffffffffful
#define seL4_UserVSpaceTop seL4_UserTop
#define seL4_UntypedRetypeMaxObjects 256

/* Message layout (reference section 2.1). */
#define seL4_MsgLengthBits 7
#define seL4_MsgMaxLength 120
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxExtraCaps 3
#define seL4_FastMessageRegisters 4

/* Capability addressing (reference section 9.1). */
#define seL4_BadgeBits 64
#define seL4_GuardBits 58
#define seL4_GuardSizeBits 6
#define seL4_CapRightsBits 4
#define seL4_NilData 0

/* Scheduling. */
#define seL4_MinPrio 0
#define seL4_MaxPrio 255
#define seL4_InvalidPrio (-1)

#define seL4_TCBFlag_NoFlag 0
#define seL4_TCBFlag_fpuDisabled 1
#define seL4_TCBFlag_MASK 1

#define seL4_DataFault 0
#define seL4_InstructionFault 1

/* Kernel configuration the root task is built against. */
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256

/* The type word of a lookup failure in an error reply (MR1) or a cap fault (MR3). */
typedef enum {
  seL4_NoFailure = 0,
  seL4_InvalidRoot = 1,
  seL4_MissingCapability = 2,
  seL4_DepthMismatch = 3,
  seL4_GuardMismatch = 4
} seL4_LookupFailureType;

/* Fault message labels (non-MCS; hyp-only faults included for completeness). */
typedef enum {
  seL4_Fault_NullFault = 0,
  seL4_Fault_CapFault = 1,
  seL4_Fault_UnknownSyscall = 2,
  seL4_Fault_UserException = 3,
  seL4_Fault_DebugException = 4,
  seL4_Fault_VMFault = 5,
  seL4_Fault_VGICMaintenance = 6,
  seL4_Fault_VCPUFault = 7,
  seL4_Fault_VPPIEvent = 8
} seL4_FaultType;

/* Message-register indices of the fault messages (reference section 7.2). */
enum {
  seL4_CapFault_IP = 0,
  seL4_CapFault_Addr = 1,
  seL4_CapFault_InRecvPhase = 2,
  seL4_CapFault_LookupFailureType = 3,
  seL4_CapFault_BitsLeft = 4,
  seL4_CapFault_DepthMismatch_BitsFound = 5,
  seL4_CapFault_GuardMismatch_GuardFound = 5,
  seL4_CapFault_GuardMismatch_BitsFound = 6
};
enum {
  seL4_VMFault_IP = 0,
  seL4_VMFault_Addr = 1,
  seL4_VMFault_PrefetchFault = 2,
  seL4_VMFault_FSR = 3,
  seL4_VMFault_Length = 4
};
enum {
  seL4_UserException_FaultIP = 0,
  seL4_UserException_SP = 1,
  seL4_UserException_SPSR = 2,
  seL4_UserException_Number = 3,
  seL4_UserException_Code = 4,
  seL4_UserException_Length = 5
};
enum {
  seL4_UnknownSyscall_X0 = 0,
  seL4_UnknownSyscall_X1 = 1,
  seL4_UnknownSyscall_X2 = 2,
  seL4_UnknownSyscall_X3 = 3,
  seL4_UnknownSyscall_X4 = 4,
  seL4_UnknownSyscall_X5 = 5,
  seL4_UnknownSyscall_X6 = 6,
  seL4_UnknownSyscall_X7 = 7,
  seL4_UnknownSyscall_FaultIP = 8,
  seL4_UnknownSyscall_SP = 9,
  seL4_UnknownSyscall_LR = 10,
  seL4_UnknownSyscall_SPSR = 11,
  seL4_UnknownSyscall_Syscall = 12,
  seL4_UnknownSyscall_Length = 13
};
/* The hypervisor's fault messages (never sent without hypervisor support). */
enum { seL4_VGICMaintenance_IDX = 0, seL4_VGICMaintenance_Length = 1 };
enum { seL4_VCPUFault_HSR = 0, seL4_VCPUFault_Length = 1 };
enum { seL4_VPPIEvent_IRQ = 0, seL4_VPPIEvent_Length = 1 };

/* Kernel cap-type tags as returned by seL4_DebugCapIdentify (reference section 9.3). */
enum {
  seL4_CapTag_Null = 0,
  seL4_CapTag_Frame = 1,
  seL4_CapTag_Untyped = 2,
  seL4_CapTag_PageTable = 3,
  seL4_CapTag_Endpoint = 4,
  seL4_CapTag_Notification = 6,
  seL4_CapTag_Reply = 8,
  seL4_CapTag_VSpace = 9,
  seL4_CapTag_CNode = 10,
  seL4_CapTag_ASIDControl = 11,
  seL4_CapTag_Thread = 12,
  seL4_CapTag_ASIDPool = 13,
  seL4_CapTag_IRQControl = 14,
  seL4_CapTag_VCPU = 15,
  seL4_CapTag_IRQHandler = 16,
  seL4_CapTag_Zombie = 18,
  seL4_CapTag_Domain = 20,
  seL4_CapTag_SMC = 25,
  seL4_CapTag_SGISignal = 27
};

SEL4_KEEL_ABI_ASSERT(seL4_MsgMaxLength < (1 << seL4_MsgLengthBits), "length field holds 120");
SEL4_KEEL_ABI_ASSERT(seL4_MsgMaxExtraCaps == (1 << seL4_MsgExtraCapBits) - 1, "extraCaps field");
SEL4_KEEL_ABI_ASSERT(seL4_GuardBits + seL4_GuardSizeBits == seL4_WordBits, "CNode cap data word");
