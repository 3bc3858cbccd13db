// The words the event generators share: the root task's boot slots, PSCI function IDs, and
// label and object-type numbers (generator.cc and generator_threads.cc).
#pragma once

#include "constants.h"
#include "lockstep.h"

namespace keel::diff::gen {

using spec::CapType;
using spec::Label;
using spec::ObjectType;

constexpr word_t kPsciVersion = 0x84000000, kPsciFeatures = 0x8400000a;
constexpr cptr_t kRootCNodeSlot = 2, kSmcSlot = 15, kTcbSlot = 1, kBootInfoSlot = 9, kIpcBufferSlot = 10,
                 kVSpaceSlot = 3, kDomainSlot = 11, kIrqControlSlot = 4;

inline word_t lbl(Label l) { return static_cast<word_t>(l); }
inline word_t ty(ObjectType t) { return static_cast<word_t>(t); }

}  // namespace keel::diff::gen
