// The one instance of the kernel's global state.
#include "kernel/core/kernel_state.h"

namespace keel {

constinit KernelState ks;

}  // namespace keel
