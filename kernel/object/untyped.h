// Untyped_Retype: carving kernel objects out of untyped memory (reference §6.3, seL4 untyped.c).
//
// Invariants: an untyped cap's free index (bytes from its base) is a watermark; everything it
// handed out lies below it, and memory above it is unused. Objects are placed back to back from
// the watermark, each aligned to its own size. An untyped with no children in the MDB is reset
// (used part zeroed, watermark 0) before its next retype, so memory is reused only when no cap
// to anything inside it remains.
#pragma once

#include "kernel/core/invocation.h"

namespace keel {

Outcome invoke_untyped(const Invocation& inv);

}  // namespace keel
