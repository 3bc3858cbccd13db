// Compile check: the user headers and the kernel's own ABI headers agree on every shared number and layout.
#include <sel4/sel4.h>

#include "kernel/api/bootinfo.h"
#include "kernel/api/errors.h"
#include "kernel/api/invocation.h"
#include "kernel/api/message_info.h"
#include "kernel/api/object_type.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cap.h"

namespace {

template <typename E>
constexpr seL4_Word num(E e) {
  return static_cast<seL4_Word>(e);
}

// Syscall numbers (x7).
static_assert(seL4_SysCall == static_cast<int>(keel::Syscall::Call));
static_assert(seL4_SysNBRecv == static_cast<int>(keel::Syscall::NBRecv));
static_assert(seL4_SysReply == static_cast<int>(keel::Syscall::Reply));
static_assert(seL4_SysYield == static_cast<int>(keel::Syscall::Yield));
static_assert(seL4_SysDebugPutChar == static_cast<int>(keel::Syscall::DebugPutChar));
static_assert(seL4_SysDebugHalt == static_cast<int>(keel::Syscall::DebugHalt));
static_assert(seL4_SysDebugCapIdentify == static_cast<int>(keel::Syscall::DebugCapIdentify));
static_assert(seL4_SysDebugNameThread == static_cast<int>(keel::Syscall::DebugNameThread));

// Labels: one per group boundary and every label the user stubs send.
static_assert(UntypedRetype == num(keel::Label::UntypedRetype));
static_assert(TCBReadRegisters == num(keel::Label::TCBReadRegisters));
static_assert(TCBSetFlags == num(keel::Label::TCBSetFlags));
static_assert(CNodeRevoke == num(keel::Label::CNodeRevoke));
static_assert(CNodeRotate == num(keel::Label::CNodeRotate));
static_assert(CNodeSaveCaller == num(keel::Label::CNodeSaveCaller));
static_assert(IRQIssueIRQHandler == num(keel::Label::IRQIssueIRQHandler));
static_assert(DomainSetSet == num(keel::Label::DomainSetSet));
static_assert(DomainScheduleSetStart == num(keel::Label::DomainScheduleSetStart));
static_assert(ARMVSpaceClean_Data == num(keel::Label::ARMVSpaceClean_Data));
static_assert(ARMSMCCall == num(keel::Label::ARMSMCCall));
static_assert(ARMPageTableMap == num(keel::Label::ARMPageTableMap));
static_assert(ARMPageMap == num(keel::Label::ARMPageMap));
static_assert(ARMPageGetAddress == num(keel::Label::ARMPageGetAddress));
static_assert(ARMASIDControlMakePool == num(keel::Label::ARMASIDControlMakePool));
static_assert(ARMASIDPoolAssign == num(keel::Label::ARMASIDPoolAssign));
static_assert(ARMIRQIssueIRQHandlerTrigger == num(keel::Label::ARMIRQIssueIRQHandlerTrigger));
static_assert(ARMIRQIssueSGISignal == num(keel::Label::ARMIRQIssueSGISignal));

// Errors and lookup failures.
static_assert(seL4_InvalidCapability == num(keel::Error::InvalidCapability));
static_assert(seL4_FailedLookup == num(keel::Error::FailedLookup));
static_assert(seL4_NotEnoughMemory == num(keel::Error::NotEnoughMemory));
static_assert(seL4_GuardMismatch == num(keel::LookupFailureType::GuardMismatch));
static_assert(seL4_MissingCapability == num(keel::LookupFailureType::MissingCapability));

// Object types and sizes.
static_assert(seL4_CapTableObject == num(keel::ObjectType::CapTable));
static_assert(seL4_ARM_HugePageObject == num(keel::ObjectType::HugePage));
static_assert(seL4_ARM_VSpaceObject == num(keel::ObjectType::VSpace));
static_assert(seL4_ARM_PageTableObject == num(keel::ObjectType::PageTable));
static_assert(seL4_ObjectTypeCount == keel::kObjectTypeCount);
static_assert(seL4_TCBBits == keel::kTcbBits && seL4_SlotBits == keel::kSlotBits);
static_assert(seL4_EndpointBits == keel::kEndpointBits && seL4_NotificationBits == keel::kNotificationBits);
static_assert(seL4_UserTop == keel::kUserTop);

// Cap tags seen through seL4_DebugCapIdentify.
static_assert(seL4_CapTag_Thread == num(keel::CapType::Thread));
static_assert(seL4_CapTag_CNode == num(keel::CapType::CNode));
static_assert(seL4_CapTag_VSpace == num(keel::CapType::VSpace));
static_assert(seL4_CapTag_ASIDPool == num(keel::CapType::AsidPool));
static_assert(seL4_CapTag_Domain == num(keel::CapType::Domain));
static_assert(seL4_CapTag_SMC == num(keel::CapType::Smc));

// Message info, IPC buffer, bootinfo.
static_assert(seL4_MessageInfo_new(5, 3, 2, 9).words[0] == keel::MessageInfo{5, 3, 2, 9}.to_word());
static_assert(seL4_MsgMaxLength == keel::kMsgMaxLength);
static_assert(offsetof(seL4_IPCBuffer, caps_or_badges) ==
              keel::ipc_buffer::kCapsOrBadges * sizeof(seL4_Word));
static_assert(offsetof(seL4_IPCBuffer, receiveDepth) == keel::ipc_buffer::kReceiveDepth * sizeof(seL4_Word));
static_assert(sizeof(seL4_BootInfo) == sizeof(keel::BootInfo));
static_assert(offsetof(seL4_BootInfo, ipcBuffer) == offsetof(keel::BootInfo, ipc_buffer));
static_assert(offsetof(seL4_BootInfo, extraBIPages) == offsetof(keel::BootInfo, extra_bi_pages));
static_assert(offsetof(seL4_BootInfo, untypedList) == offsetof(keel::BootInfo, untyped_list));
static_assert(seL4_CapSMC == num(keel::kCapSMC) && seL4_NumInitialCaps == num(keel::kNumInitialCaps));
static_assert(SEL4_BOOTINFO_HEADER_FDT == keel::kBootInfoHeaderFdt);

}  // namespace
