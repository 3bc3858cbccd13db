// seL4_MessageInfo: label 63:12, capsUnwrapped 11:9, extraCaps 8:7, length 6:0 (reference §2.1).
#pragma once

#include "kernel/lib/types.h"

namespace keel {

inline constexpr unsigned kMsgMaxLength = 120;
inline constexpr unsigned kMsgMaxExtraCaps = 3;
inline constexpr unsigned kNumMsgRegisters = 4;  // MR0..MR3 travel in x2..x5
inline constexpr unsigned kIpcBufferSizeBits = 10;

struct MessageInfo {
  word_t label = 0;
  word_t caps_unwrapped = 0;
  word_t extra_caps = 0;
  word_t length = 0;

  // seL4 clamps the length to 120 when it reads the word.
  static constexpr MessageInfo from_word(word_t w) {
    MessageInfo m{w >> 12, (w >> 9) & 7, (w >> 7) & 3, w & 0x7f};
    if (m.length > kMsgMaxLength) m.length = kMsgMaxLength;
    return m;
  }
  constexpr word_t to_word() const {
    return (label << 12) | ((caps_unwrapped & 7) << 9) | ((extra_caps & 3) << 7) | (length & 0x7f);
  }
};

// Word indices inside the 1 KiB IPC buffer (reference §2.2).
namespace ipc_buffer {
inline constexpr unsigned kTag = 0;
inline constexpr unsigned kMsg = 1;  // msg[i] at word 1 + i
inline constexpr unsigned kUserData = 121;
inline constexpr unsigned kCapsOrBadges = 122;
inline constexpr unsigned kReceiveCNode = 125;
inline constexpr unsigned kReceiveIndex = 126;
inline constexpr unsigned kReceiveDepth = 127;
}  // namespace ipc_buffer

}  // namespace keel
