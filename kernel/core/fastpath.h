// The IPC fastpath (seL4 fastpath.c): Call and ReplyRecv between two threads in the common case
// (a short message, no caps, the woken thread runs at once), done without the general
// machinery. It takes only cases whose result equals the slow path's, to the bit
// (docs/sel4-facts/ipc.md §6); for any other it changes nothing and the slow path runs.
#pragma once

#include "kernel/config/config.h"
#include "kernel/object/tcb.h"

namespace keel {

#if KEEL_HOST_CHECKS
// Host builds switch the fastpath at run time, so the lockstep check runs with it on and off,
// and count the entries it took, so a test can tell that it ran.
extern bool g_fastpath_enabled;
extern word_t g_fastpath_taken;
inline bool fastpath_enabled() { return g_fastpath_enabled; }
#else
constexpr bool fastpath_enabled() { return config::kFastpath; }
#endif

// Each returns true with the whole syscall done (the woken thread is now current, the
// scheduler action is to resume it), or false with nothing changed.
// A Call on `cap`, what the slow path's lookup of the caller's x0 found (null if it failed).
[[nodiscard]] bool fastpath_call(Tcb* caller, Cap cap);
// A ReplyRecv, looked up here (seL4 tries it before anything else).
[[nodiscard]] bool fastpath_reply_recv(Tcb* replier);

}  // namespace keel
