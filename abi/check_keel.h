// The checks abi/check_kernel.cc and abi/check_spec.cc share: the kernel and the spec name the
// ABI in one vocabulary (DESIGN §10), so one text checks either. Include it inside an unnamed
// namespace with KEEL_ABI_NS (`keel` or `keel::spec`), KEEL_ABI_WHO ("kernel" or "spec") and
// KEEL_ABI_CAP_TAG(t) (the DebugCapIdentify tag of CapType t) defined. Each table entry of these
// kinds must exist with the table's value, and each enumerator of the consumer's enums must be
// in the table: a switch without a default that misses one fails under -Wswitch -Werror.
#include "abi/abi.h"

#define KEEL_AGREE(have, entry) KEEL_ABI_AGREE(KEEL_ABI_WHO, have, entry)

#define ABI_SYSCALL(name, value) KEEL_AGREE(KEEL_ABI_NS::Syscall::name, syscall::name);
#define ABI_LABEL(name, value) KEEL_AGREE(KEEL_ABI_NS::Label::name, label::name);
#define ABI_ERROR(name, value) KEEL_AGREE(KEEL_ABI_NS::Error::name, error::name);
#define ABI_LOOKUP_FAILURE(name, value) \
  KEEL_AGREE(KEEL_ABI_NS::LookupFailureType::name, lookup_failure::name);
#define ABI_OBJECT(name, value) KEEL_AGREE(KEEL_ABI_NS::ObjectType::name, object::name);
#define ABI_ARCH_OBJECT ABI_OBJECT
#define ABI_SLOT(name, value) KEEL_AGREE(KEEL_ABI_NS::k##name, slot::name);
#define ABI_SLOT_END ABI_SLOT
#include "abi/sel4_abi.def"
KEEL_AGREE(KEEL_ABI_NS::kObjectTypeCount, object::ObjectTypeCount);

#define ABI_SYSCALL(name, value) case KEEL_ABI_NS::Syscall::name:
#define ABI_ENUM KEEL_ABI_NS::Syscall
#include "abi/in_table.h"
#define ABI_LABEL(name, value) case KEEL_ABI_NS::Label::name:
#define ABI_ENUM KEEL_ABI_NS::Label
#include "abi/in_table.h"
#define ABI_ERROR(name, value) case KEEL_ABI_NS::Error::name:
#define ABI_ENUM KEEL_ABI_NS::Error
#include "abi/in_table.h"
#define ABI_LOOKUP_FAILURE(name, value) case KEEL_ABI_NS::LookupFailureType::name:
#define ABI_ENUM KEEL_ABI_NS::LookupFailureType
#include "abi/in_table.h"
#define ABI_OBJECT(name, value) case KEEL_ABI_NS::ObjectType::name:
#define ABI_ARCH_OBJECT ABI_OBJECT
#define ABI_ENUM KEEL_ABI_NS::ObjectType
#include "abi/in_table.h"
#define ABI_SLOT(name, value) case KEEL_ABI_NS::k##name:
#define ABI_SLOT_END ABI_SLOT
#define ABI_ENUM KEEL_ABI_NS::InitialSlot
#include "abi/in_table.h"

// Cap tags: keel's CapType enumerators against the table's names.
// clang-format off
#define KEEL_CAP_TYPES(X)                                                                         \
  X(Null, Null) X(Frame, Frame) X(Untyped, Untyped) X(PageTable, PageTable) X(Endpoint, Endpoint) \
  X(Notification, Notification) X(Reply, Reply) X(VSpace, VSpace) X(CNode, CNode)                 \
  X(AsidControl, ASIDControl) X(Thread, Thread) X(AsidPool, ASIDPool) X(IrqControl, IRQControl)   \
  X(IrqHandler, IRQHandler) X(Zombie, Zombie) X(Domain, Domain) X(Smc, SMC)                       \
  X(SgiSignal, SGISignal)
// clang-format on
#define CAP_TYPE(keel_name, table_name) \
  KEEL_AGREE(KEEL_ABI_CAP_TAG(KEEL_ABI_NS::CapType::keel_name), cap_tag::table_name);
KEEL_CAP_TYPES(CAP_TYPE)
#undef CAP_TYPE
#define CAP_TYPE(keel_name, table_name) case KEEL_ABI_NS::CapType::keel_name:
[[maybe_unused]] constexpr bool in_table(KEEL_ABI_NS::CapType e) {
  switch (e) {
    KEEL_CAP_TYPES(CAP_TYPE)
    return true;
  }
  return false;
}
#undef CAP_TYPE
#undef KEEL_CAP_TYPES

// Sizes and limits both spell k<Name>.
KEEL_AGREE(KEEL_ABI_NS::kWordBits, constant::WordBits);
KEEL_AGREE(KEEL_ABI_NS::kPageBits, constant::PageBits);
KEEL_AGREE(KEEL_ABI_NS::kLargePageBits, constant::LargePageBits);
KEEL_AGREE(KEEL_ABI_NS::kHugePageBits, constant::HugePageBits);
KEEL_AGREE(KEEL_ABI_NS::kSlotBits, constant::SlotBits);
KEEL_AGREE(KEEL_ABI_NS::kTcbBits, constant::TCBBits);
KEEL_AGREE(KEEL_ABI_NS::kEndpointBits, constant::EndpointBits);
KEEL_AGREE(KEEL_ABI_NS::kNotificationBits, constant::NotificationBits);
KEEL_AGREE(KEEL_ABI_NS::kPageTableBits, constant::PageTableBits);
KEEL_AGREE(KEEL_ABI_NS::kVSpaceBits, constant::VSpaceBits);
KEEL_AGREE(KEEL_ABI_NS::kAsidPoolBits, constant::ASIDPoolBits);
KEEL_AGREE(KEEL_ABI_NS::kMinUntypedBits, constant::MinUntypedBits);
KEEL_AGREE(KEEL_ABI_NS::kMaxUntypedBits, constant::MaxUntypedBits);
KEEL_AGREE(KEEL_ABI_NS::kMsgMaxLength, constant::MsgMaxLength);
KEEL_AGREE(KEEL_ABI_NS::kMsgMaxExtraCaps, constant::MsgMaxExtraCaps);
KEEL_AGREE(KEEL_ABI_NS::kIpcBufferSizeBits, constant::IPCBufferSizeBits);

// The bit fields of MessageInfo and CapRights, as their from_word reads them.
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::MessageInfo, label, MessageInfo, label);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::MessageInfo, caps_unwrapped, MessageInfo, capsUnwrapped);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::MessageInfo, extra_caps, MessageInfo, extraCaps);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::MessageInfo, length, MessageInfo, length);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::CapRights, write, CapRights, capAllowWrite);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::CapRights, read, CapRights, capAllowRead);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::CapRights, grant, CapRights, capAllowGrant);
KEEL_ABI_BITFIELD_AGREE(KEEL_ABI_WHO, KEEL_ABI_NS::CapRights, grant_reply, CapRights, capAllowGrantReply);
