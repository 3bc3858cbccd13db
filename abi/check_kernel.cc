// Build-time check: the kernel's ABI numbers equal the table abi/sel4_abi.def. Any difference,
// and any kernel enumerator the table lacks, stops the build. Compiled, never linked.
#include "abi/abi.h"
#include "kernel/api/bootinfo.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/api/message_info.h"
#include "kernel/api/object_type.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cap.h"
#include "kernel/config/config.h"
#include "kernel/core/fault.h"

namespace {

// What the kernel names as the spec does.
#define KEEL_ABI_NS keel
#define KEEL_ABI_WHO "kernel"
#define KEEL_ABI_CAP_TAG(t) t  // a CapType's value is its tag
#include "abi/check_keel.h"

// Fault labels: the kernel names those it raises (no hardware debug, no hypervisor).
#define ABI_FAULT(name, value) KEEL_AGREE(keel::FaultType::name, fault::name);
#include "abi/sel4_abi.def"
#define ABI_FAULT(name, value) case keel::FaultType::name:
#define ABI_ENUM keel::FaultType
#include "abi/in_table.h"

// Numbers the kernel alone spells its own way.
KEEL_AGREE(keel::kWordSizeBits, constant::WordSizeBits);
KEEL_AGREE(keel::kNumMsgRegisters, constant::FastMessageRegisters);
KEEL_AGREE(keel::kUserTop, constant::UserTop);
KEEL_AGREE(keel::config::kRetypeFanOutLimit, constant::UntypedRetypeMaxObjects);
KEEL_AGREE(keel::config::kRetypeFanOutLimit, config::RETYPE_FAN_OUT_LIMIT);
KEEL_AGREE(keel::config::kMaxNumBootinfoUntypedCaps, config::MAX_NUM_BOOTINFO_UNTYPED_CAPS);
KEEL_AGREE(keel::config::kNumPriorities - 1, constant::MaxPrio);
KEEL_AGREE(keel::kSyscallMin, syscall::NBRecv);  // the API syscalls are Call..NBRecv
KEEL_AGREE(keel::kSyscallMax, syscall::Call);
KEEL_AGREE(keel::kBootInfoHeaderFdt, bootinfo_header::FDT);

// IPC buffer words and bootinfo layout.
KEEL_AGREE(keel::ipc_buffer::kTag * 8, field::IPCBuffer::tag);
KEEL_AGREE(keel::ipc_buffer::kMsg * 8, field::IPCBuffer::msg);
KEEL_AGREE(keel::ipc_buffer::kUserData * 8, field::IPCBuffer::userData);
KEEL_AGREE(keel::ipc_buffer::kCapsOrBadges * 8, field::IPCBuffer::caps_or_badges);
KEEL_AGREE(keel::ipc_buffer::kReceiveCNode * 8, field::IPCBuffer::receiveCNode);
KEEL_AGREE(keel::ipc_buffer::kReceiveIndex * 8, field::IPCBuffer::receiveIndex);
KEEL_AGREE(keel::ipc_buffer::kReceiveDepth * 8, field::IPCBuffer::receiveDepth);
KEEL_AGREE(sizeof(keel::SlotRegion), size::SlotRegion);
KEEL_AGREE(offsetof(keel::SlotRegion, start), field::SlotRegion::start);
KEEL_AGREE(offsetof(keel::SlotRegion, end), field::SlotRegion::end);
KEEL_AGREE(sizeof(keel::UntypedDesc), size::UntypedDesc);
KEEL_AGREE(offsetof(keel::UntypedDesc, paddr), field::UntypedDesc::paddr);
KEEL_AGREE(offsetof(keel::UntypedDesc, size_bits), field::UntypedDesc::sizeBits);
KEEL_AGREE(offsetof(keel::UntypedDesc, is_device), field::UntypedDesc::isDevice);
KEEL_AGREE(offsetof(keel::UntypedDesc, padding), field::UntypedDesc::padding);
KEEL_AGREE(sizeof(keel::BootInfoHeader), size::BootInfoHeader);
KEEL_AGREE(offsetof(keel::BootInfoHeader, id), field::BootInfoHeader::id);
KEEL_AGREE(offsetof(keel::BootInfoHeader, len), field::BootInfoHeader::len);
KEEL_AGREE(sizeof(keel::BootInfo), size::BootInfo);
KEEL_AGREE(offsetof(keel::BootInfo, extra_len), field::BootInfo::extraLen);
KEEL_AGREE(offsetof(keel::BootInfo, node_id), field::BootInfo::nodeID);
KEEL_AGREE(offsetof(keel::BootInfo, num_nodes), field::BootInfo::numNodes);
KEEL_AGREE(offsetof(keel::BootInfo, num_iopt_levels), field::BootInfo::numIOPTLevels);
KEEL_AGREE(offsetof(keel::BootInfo, ipc_buffer), field::BootInfo::ipcBuffer);
KEEL_AGREE(offsetof(keel::BootInfo, empty), field::BootInfo::empty);
KEEL_AGREE(offsetof(keel::BootInfo, shared_frames), field::BootInfo::sharedFrames);
KEEL_AGREE(offsetof(keel::BootInfo, user_image_frames), field::BootInfo::userImageFrames);
KEEL_AGREE(offsetof(keel::BootInfo, user_image_paging), field::BootInfo::userImagePaging);
KEEL_AGREE(offsetof(keel::BootInfo, io_space_caps), field::BootInfo::ioSpaceCaps);
KEEL_AGREE(offsetof(keel::BootInfo, extra_bi_pages), field::BootInfo::extraBIPages);
KEEL_AGREE(offsetof(keel::BootInfo, init_thread_cnode_size_bits), field::BootInfo::initThreadCNodeSizeBits);
KEEL_AGREE(offsetof(keel::BootInfo, init_thread_domain), field::BootInfo::initThreadDomain);
KEEL_AGREE(offsetof(keel::BootInfo, untyped), field::BootInfo::untyped);
KEEL_AGREE(offsetof(keel::BootInfo, untyped_list), field::BootInfo::untypedList);

}  // namespace
