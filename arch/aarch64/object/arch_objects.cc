// The AArch64 objects Untyped_Retype makes (seL4 Arch_createObject): frames of the three page
// sizes, page tables and VSpace roots. Their memory is zeroed by the generic caller.
#include "kernel/core/arch_hooks.h"

namespace keel::arch {

namespace {

Cap create_frame(paddr_t base, FrameSize size, bool is_device) {
  return FrameCap::make(base, size, VmRights::ReadWrite, is_device);
}

}  // namespace

word_t object_size_bits(ObjectType type) {
  switch (type) {
    case ObjectType::HugePage: return kHugePageBits;
    case ObjectType::VSpace: return kVSpaceBits;
    case ObjectType::SmallPage: return kPageBits;
    case ObjectType::LargePage: return kLargePageBits;
    case ObjectType::PageTable: return kPageTableBits;
    case ObjectType::Untyped:
    case ObjectType::TCB:
    case ObjectType::Endpoint:
    case ObjectType::Notification:
    case ObjectType::CapTable: break;  // generic objects: never asked here
  }
  return 0;
}

Cap create_object(ObjectType type, paddr_t base, bool is_device) {
  switch (type) {
    case ObjectType::HugePage: return create_frame(base, FrameSize::Huge, is_device);
    case ObjectType::LargePage: return create_frame(base, FrameSize::Large, is_device);
    case ObjectType::SmallPage: return create_frame(base, FrameSize::Small, is_device);
    case ObjectType::VSpace: return VSpaceCap::make(base);
    case ObjectType::PageTable: return PageTableCap::make(base);
    case ObjectType::Untyped:
    case ObjectType::TCB:
    case ObjectType::Endpoint:
    case ObjectType::Notification:
    case ObjectType::CapTable: break;  // generic objects: never asked here
  }
  return Cap::null();
}

}  // namespace keel::arch
