// Object types for Untyped_Retype and their sizes, non-hyp AArch64 (reference §5.2, §5.3).
#pragma once

#include "kernel/lib/types.h"

namespace keel {

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

inline constexpr unsigned kPageBits = 12;
inline constexpr unsigned kLargePageBits = 21;
inline constexpr unsigned kHugePageBits = 30;
inline constexpr unsigned kSlotBits = 5;
inline constexpr unsigned kTcbBits = 11;
inline constexpr unsigned kEndpointBits = 4;
inline constexpr unsigned kNotificationBits = 5;
inline constexpr unsigned kPageTableBits = 12;
inline constexpr unsigned kVSpaceBits = 12;
inline constexpr unsigned kAsidPoolBits = 12;
inline constexpr unsigned kMinUntypedBits = 4;
inline constexpr unsigned kMaxUntypedBits = 47;
inline constexpr vaddr_t kUserTop = 0x00007fffffffffffull;

}  // namespace keel
