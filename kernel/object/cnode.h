// CNode invocations: Revoke, Delete, CancelBadgedSends, Copy, Mint, Move, Mutate, Rotate,
// SaveCaller, decoded in seL4's check order (reference sel4-abi-aarch64.md §6.4).
//
// A CNode object is 2^radix slots of 32 bytes; slot i is at ptr + 32 i. Empty slots hold the
// null cap and a zero MDB node.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_cnode(const Invocation& inv);

}  // namespace keel
