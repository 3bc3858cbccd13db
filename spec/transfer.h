// The message transfer every IPC path uses (seL4 thread.c doIPCTransfer, doNormalTransfer,
// transferCaps; tcb.c copyMRs; ipc.md §2.4, §2.5): registers, then IPC buffer words, then caps.
#pragma once

#include <optional>
#include <vector>

#include "state.h"

namespace keel::spec {

// seL4 doIPCTransfer: a sender with a pending fault sends its fault message (fault.h), any other
// its x1..x5 and buffer. `ep` is the endpoint the message goes through (none for a reply), which
// decides the unwrapping of caps; `grant` whether caps may move at all.
void do_ipc_transfer(State& s, paddr_t sender, std::optional<paddr_t> ep, word_t badge, bool grant,
                     paddr_t receiver);

// seL4 lookupExtraCaps: the slots of the sender's `count` extra caps, from caps_or_badges of
// its buffer, each looked up at 64 bits in its CSpace; nullopt if any lookup fails. No buffer:
// no caps.
std::optional<std::vector<SlotRef>> lookup_extra_caps(const State& s, paddr_t sender, word_t count);

}  // namespace keel::spec
