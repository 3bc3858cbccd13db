// Scripted lockstep scenarios: each is a sequence of syscalls a root task might make, replayed
// from a fresh boot with every step checked against the spec.
#pragma once

#include <string>
#include <vector>

#include "lockstep.h"

namespace keel::diff {

// Where things are after boot (the same for every boot with one configuration).
struct BootLayout {
  word_t first_free = 0;    // the first empty root slot
  unsigned root_radix = 0;  // the root CNode's radix (its guard takes the other 64 - radix bits)
  word_t ram_untyped = 0;   // the smallest RAM untyped of at least 4 KiB
  unsigned ram_untyped_bits = 0;
  word_t device_untyped = 0;
  word_t ram_untyped_16k = 0;   // the smallest RAM untyped of at least 16 KiB (a TCB and frames)
  word_t ram_untyped_64k = 0;   // the smallest RAM untyped of at least 64 KiB (a VSpace and tables)
  word_t ipc_buffer_vaddr = 0;  // the root thread's IPC buffer address
  word_t image_frame = 0;       // the first frame cap of the root task's image
};
BootLayout boot_layout(const LockstepConfig& cfg = {});

struct Scenario {
  std::string name;
  std::vector<Event> events;
};
std::vector<Scenario> scenarios(const LockstepConfig& cfg = {});

}  // namespace keel::diff
