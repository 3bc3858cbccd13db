// Build-time check: the user library's libsel4 names (user/include/sel4) carry exactly the
// numbers, layouts and bit fields of the table abi/sel4_abi.def. The library mimics libsel4, so
// it must name every entry. Built for the host and, with the cross compiler, for AArch64.
// Includes only the headers that declare numbers and types (sel4/syscalls.h holds AArch64 asm).
#include <sel4/arch_types.h>
#include <sel4/bootinfo_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/invocation.h>
#include <sel4/objecttype.h>
#include <sel4/shared_types.h>
#include <sel4/syscall.h>

#include "abi/abi.h"

namespace {

#define USER_AGREE(have, entry) KEEL_ABI_AGREE("user", have, entry)

// Whether getter `get` reads bits [lo, lo + width) of the word and no others.
template <class Word, class Get>
constexpr bool reads_bits(Get get, keel_abi::Number lo, keel_abi::Number width) {
  using U = unsigned long long;
  U ones = width >= 64 ? ~U{0} : (U{1} << width) - 1;
  return get(Word{{U{1} << lo}}) == 1 && get(Word{{U{1} << (lo + width - 1)}}) == U{1} << (width - 1) &&
         get(Word{{~(ones << lo)}}) == 0;
}

#define ABI_SYSCALL(name, value) USER_AGREE(seL4_Sys##name, syscall::name);
#define ABI_LABEL(name, value) USER_AGREE(name, label::name);
#define ABI_LABEL_END ABI_LABEL
#define ABI_ERROR(name, value) USER_AGREE(seL4_##name, error::name);
#define ABI_ERROR_END ABI_ERROR
#define ABI_LOOKUP_FAILURE(name, value) USER_AGREE(seL4_##name, lookup_failure::name);
#define ABI_OBJECT(name, value) USER_AGREE(seL4_##name##Object, object::name);
#define ABI_ARCH_OBJECT(name, value) USER_AGREE(seL4_ARM_##name##Object, object::name);
#define ABI_OBJECT_END(name, value) USER_AGREE(seL4_##name, object::name);
#define ABI_REJECTED_OBJECT ABI_ARCH_OBJECT
#define ABI_FAULT(name, value) USER_AGREE(seL4_Fault_##name, fault::name);
#define ABI_FAULT_OTHER_CONFIG ABI_FAULT
#define ABI_FAULT_WORD(fault, name, index) USER_AGREE(seL4_##fault##_##name, fault_word::fault::name);
#define ABI_SLOT(name, value) USER_AGREE(seL4_##name, slot::name);
#define ABI_SLOT_END ABI_SLOT
#define ABI_CAP_TAG(name, value) USER_AGREE(seL4_CapTag_##name, cap_tag::name);
#define ABI_CAP_TAG_OTHER_CONFIG ABI_CAP_TAG
#define ABI_CONSTANT(name, value) USER_AGREE(seL4_##name, constant::name);
#define ABI_CONFIG(name, value) USER_AGREE(CONFIG_##name, config::name);
#define ABI_BOOTINFO_HEADER(name, value) USER_AGREE(SEL4_BOOTINFO_HEADER_##name, bootinfo_header::name);
#define ABI_SIZE(type, bytes) USER_AGREE(sizeof(seL4_##type), size::type);
#define ABI_FIELD(type, name, offset) USER_AGREE(offsetof(seL4_##type, name), field::type::name);
#define ABI_BITFIELD(type, name, lo, width)                                                                  \
  static_assert(                                                                                             \
      reads_bits<seL4_##type##_t>([](seL4_##type##_t w) { return seL4_##type##_get_##name(w); }, lo, width), \
      "user: seL4_" #type "_get_" #name " is not bit field " #type "." #name " of abi/sel4_abi.def");
#define ABI_EVERY_CATEGORY
#include "abi/sel4_abi.def"

// The constructors the stubs build words with put each argument at its field's lowest bit.
constexpr unsigned long long bit(keel_abi::Number n) { return 1ull << n; }
namespace bits = keel_abi::bitfield;
static_assert(seL4_MessageInfo_new(1, 0, 0, 0).words[0] == bit(bits::MessageInfo::label_lo) &&
                  seL4_MessageInfo_new(0, 1, 0, 0).words[0] == bit(bits::MessageInfo::capsUnwrapped_lo) &&
                  seL4_MessageInfo_new(0, 0, 1, 0).words[0] == bit(bits::MessageInfo::extraCaps_lo) &&
                  seL4_MessageInfo_new(0, 0, 0, 1).words[0] == bit(bits::MessageInfo::length_lo),
              "user: seL4_MessageInfo_new does not place its arguments as abi/sel4_abi.def says");
static_assert(seL4_CapRights_new(1, 0, 0, 0).words[0] == bit(bits::CapRights::capAllowGrantReply_lo) &&
                  seL4_CapRights_new(0, 1, 0, 0).words[0] == bit(bits::CapRights::capAllowGrant_lo) &&
                  seL4_CapRights_new(0, 0, 1, 0).words[0] == bit(bits::CapRights::capAllowRead_lo) &&
                  seL4_CapRights_new(0, 0, 0, 1).words[0] == bit(bits::CapRights::capAllowWrite_lo),
              "user: seL4_CapRights_new does not place its arguments as abi/sel4_abi.def says");
static_assert(seL4_CNode_CapData_new(1, 0).words[0] == bit(bits::CNode_CapData::guard_lo) &&
                  seL4_CNode_CapData_new(0, 1).words[0] == bit(bits::CNode_CapData::guardSize_lo),
              "user: seL4_CNode_CapData_new does not place its arguments as abi/sel4_abi.def says");

// Beyond the table's numbers: the IPC buffer is aligned to its size, as the kernel requires.
static_assert(alignof(seL4_IPCBuffer) == sizeof(seL4_IPCBuffer), "user: seL4_IPCBuffer alignment");

// The other way round, where the header's enum has a type to switch over: every enumerator is
// in the table (a switch without a default that misses one fails under -Wswitch -Werror). The
// label and object enums need no switch: their values are implicit, so an extra enumerator
// moves the group count the table pins.
#define ABI_SYSCALL(name, value) case seL4_Sys##name:
#define ABI_ENUM seL4_Syscall_ID
#include "abi/in_table.h"
#define ABI_ERROR(name, value) case seL4_##name:
#define ABI_ERROR_END ABI_ERROR
#define ABI_ENUM seL4_Error
#include "abi/in_table.h"
#define ABI_LOOKUP_FAILURE(name, value) case seL4_##name:
#define ABI_ENUM seL4_LookupFailureType
#include "abi/in_table.h"
#define ABI_FAULT(name, value) case seL4_Fault_##name:
#define ABI_FAULT_OTHER_CONFIG ABI_FAULT
#define ABI_ENUM seL4_FaultType
#include "abi/in_table.h"
#define ABI_SLOT(name, value) case seL4_##name:
#define ABI_SLOT_END ABI_SLOT
#define ABI_ENUM seL4_RootCNodeCapSlots
#include "abi/in_table.h"
#define ABI_CAP_TAG(name, value) case seL4_CapTag_##name:
#define ABI_CAP_TAG_OTHER_CONFIG ABI_CAP_TAG
#define ABI_ENUM decltype(seL4_CapTag_Null)
#include "abi/in_table.h"

}  // namespace
