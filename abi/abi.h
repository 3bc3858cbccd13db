// The table abi/sel4_abi.def as constants, checked for gaps, and the one assertion the three
// ABI checks (abi/check_{kernel,spec,user}.cc) make. Includes no consumer's headers and no
// standard headers, so it compiles in every build, freestanding ones too.
#pragma once

namespace keel_abi {

using Number = long long;

// A consumer's value (an integer, an enumerator or a scoped enumerator) as a table number.
template <class T>
constexpr Number number(T v) {
  return static_cast<Number>(v);
}

// The table's values, one namespace per category. Group counts (_END) sit beside the entries.
#define ABI_VALUE_IN(space, name, value)            \
  namespace space {                                 \
  inline constexpr ::keel_abi::Number name = value; \
  }
#define ABI_SYSCALL(name, value) ABI_VALUE_IN(syscall, name, value)
#define ABI_LABEL(name, value) ABI_VALUE_IN(label, name, value)
#define ABI_LABEL_END ABI_LABEL
#define ABI_ERROR(name, value) ABI_VALUE_IN(error, name, value)
#define ABI_ERROR_END ABI_ERROR
#define ABI_LOOKUP_FAILURE(name, value) ABI_VALUE_IN(lookup_failure, name, value)
#define ABI_OBJECT(name, value) ABI_VALUE_IN(object, name, value)
#define ABI_ARCH_OBJECT ABI_OBJECT
#define ABI_OBJECT_END ABI_OBJECT
#define ABI_REJECTED_OBJECT ABI_OBJECT
#define ABI_FAULT(name, value) ABI_VALUE_IN(fault, name, value)
#define ABI_FAULT_OTHER_CONFIG ABI_FAULT
#define ABI_FAULT_WORD(fault, name, index) ABI_VALUE_IN(fault_word::fault, name, index)
#define ABI_SLOT(name, value) ABI_VALUE_IN(slot, name, value)
#define ABI_SLOT_END ABI_SLOT
#define ABI_CAP_TAG(name, value) ABI_VALUE_IN(cap_tag, name, value)
#define ABI_CAP_TAG_OTHER_CONFIG ABI_CAP_TAG
#define ABI_CONSTANT(name, value) ABI_VALUE_IN(constant, name, value)
#define ABI_CONFIG(name, value) ABI_VALUE_IN(config, name, value)
#define ABI_BOOTINFO_HEADER(name, value) ABI_VALUE_IN(bootinfo_header, name, value)
#define ABI_SIZE(type, bytes) ABI_VALUE_IN(size, type, bytes)
#define ABI_FIELD(type, name, offset) ABI_VALUE_IN(field::type, name, offset)
#define ABI_BITFIELD(type, name, lo, width)   \
  ABI_VALUE_IN(bitfield::type, name##_lo, lo) \
  ABI_VALUE_IN(bitfield::type, name##_width, width)
#define ABI_EVERY_CATEGORY
#include "abi/sel4_abi.def"
#undef ABI_VALUE_IN

// Gaps in the table itself: each numbered list runs without holes or repeats, and each group
// count is the next free number, so an entry dropped from the table cannot go unnoticed.
enum class List { Syscall, Label, Error, LookupFailure, Object, Fault, Slot, BootInfoHeader };
struct Entry {
  List list;
  Number value;
  bool is_count;
};
#define ABI_ENTRY(list, value) {List::list, value, false},
#define ABI_COUNT(list, value) {List::list, value, true},
#define ABI_SYSCALL(name, value) ABI_ENTRY(Syscall, value)
#define ABI_LABEL(name, value) ABI_ENTRY(Label, value)
#define ABI_LABEL_END(name, value) ABI_COUNT(Label, value)
#define ABI_ERROR(name, value) ABI_ENTRY(Error, value)
#define ABI_ERROR_END(name, value) ABI_COUNT(Error, value)
#define ABI_LOOKUP_FAILURE(name, value) ABI_ENTRY(LookupFailure, value)
#define ABI_OBJECT(name, value) ABI_ENTRY(Object, value)
#define ABI_ARCH_OBJECT ABI_OBJECT
#define ABI_OBJECT_END(name, value) ABI_COUNT(Object, value)
#define ABI_FAULT(name, value) ABI_ENTRY(Fault, value)
#define ABI_FAULT_OTHER_CONFIG ABI_FAULT
#define ABI_SLOT(name, value) ABI_ENTRY(Slot, value)
#define ABI_SLOT_END(name, value) ABI_COUNT(Slot, value)
#define ABI_BOOTINFO_HEADER(name, value) ABI_ENTRY(BootInfoHeader, value)
inline constexpr Entry kNumbered[] = {
#include "abi/sel4_abi.def"
};
#undef ABI_ENTRY
#undef ABI_COUNT

constexpr bool runs_from(List list, Number first, Number step) {
  Number next = first;
  for (const Entry& e : kNumbered) {
    if (e.list != list) continue;
    if (e.value != next) return false;
    if (!e.is_count) next += step;
  }
  return true;
}
static_assert(runs_from(List::Syscall, -1, -1), "abi/sel4_abi.def: syscall numbers have a gap");
static_assert(runs_from(List::Label, 0, 1), "abi/sel4_abi.def: invocation labels have a gap");
static_assert(runs_from(List::Error, 0, 1), "abi/sel4_abi.def: error numbers have a gap");
static_assert(runs_from(List::LookupFailure, 0, 1), "abi/sel4_abi.def: lookup failures have a gap");
static_assert(runs_from(List::Object, 0, 1), "abi/sel4_abi.def: object types have a gap");
static_assert(runs_from(List::Fault, 0, 1), "abi/sel4_abi.def: fault labels have a gap");
static_assert(runs_from(List::Slot, 0, 1), "abi/sel4_abi.def: initial slots have a gap");
static_assert(runs_from(List::BootInfoHeader, 0, 1), "abi/sel4_abi.def: bootinfo header ids have a gap");

// Whether `Type::from_word` reads member `Member` from bits [lo, lo + width) and no others:
// the field's lowest and highest bit land in it, and every other bit leaves it zero.
template <class Type, auto Member>
constexpr bool decodes_at(Number lo, Number width) {
  using Word = unsigned long long;
  Word ones = width >= 64 ? ~Word{0} : (Word{1} << width) - 1;
  Word low = Word{1} << lo, high = Word{1} << (lo + width - 1);
  return number(Type::from_word(low).*Member) == 1 &&
         number(Type::from_word(high).*Member) == number(Word{1} << (width - 1)) &&
         number(Type::from_word(~(ones << lo)).*Member) == 0;
}

}  // namespace keel_abi

// The one assertion: `have`, a consumer's number, equals `entry`, a name in keel_abi.
#define KEEL_ABI_AGREE(who, have, entry)                       \
  static_assert(::keel_abi::number(have) == ::keel_abi::entry, \
                who ": " #have " is not " #entry " of abi/sel4_abi.def")

// Member `member` of `Type` decodes from the table's bit field `table_type::name`.
#define KEEL_ABI_BITFIELD_AGREE(who, Type, member, table_type, name)                                         \
  static_assert(::keel_abi::decodes_at<Type, &Type::member>(::keel_abi::bitfield::table_type::name##_lo,     \
                                                            ::keel_abi::bitfield::table_type::name##_width), \
                who ": " #Type "::" #member " is not bit field " #table_type "." #name                       \
                    " of abi/sel4_abi.def")
