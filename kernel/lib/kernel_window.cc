// The kernel window offset; arch or host start-up code sets it before anything else runs.
#include "kernel/lib/kernel_window.h"

namespace keel {

constinit word_t g_kernel_window_offset = 0;

}  // namespace keel
