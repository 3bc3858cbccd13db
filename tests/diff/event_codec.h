// Events as bytes: a fuzz input can be a list of concrete events (a scripted scenario, or any
// syscalls libFuzzer makes of one) besides the generator's choices (tests/fuzz/syscall_fuzz.cc).
#pragma once

#include <cstdint>
#include <vector>

#include "lockstep.h"

namespace keel::diff {

// The first byte of an input that holds events rather than generator choices.
inline constexpr std::uint8_t kEventsMagic = 0xe5;

// kEventsMagic, then each event: a kind byte (0 syscall, 1 interrupt, 2 exception, 3 VM fault
// on an instruction fetch, 4 on data), the eight registers (or the IRQ number) as little-endian
// words, for exceptions ESR and FAR, then for syscalls a count of non-zero IPC buffer words and
// (index byte, word) pairs.
std::vector<std::uint8_t> encode_events(const std::vector<Event>& events);

// The events an input holds (after kEventsMagic); anything may decode to something, a
// truncated tail to zeros, an unknown kind to a syscall.
std::vector<Event> decode_events(const std::uint8_t* data, std::size_t size);

}  // namespace keel::diff
