// AArch64 kernel entry and exit: vector installation and the way back to user mode.
#pragma once

#include "kernel/lib/types.h"

namespace keel::arch {

// Points VBAR_EL1 at keel's vector table.
void install_vectors();

// Resumes ks.cur_thread at EL0 (or idles, or powers off if the kernel halted). Called after
// boot and after every kernel entry; never returns.
[[noreturn]] void enter_user();

}  // namespace keel::arch
