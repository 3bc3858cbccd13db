// Global kernel state: which thread runs. (Scheduler queues join it when scheduling arrives.)
#pragma once

#include "kernel/object/tcb.h"

namespace keel {

struct KernelState {
  Tcb* cur_thread = nullptr;
  Tcb* idle_thread = nullptr;
  bool halted = false;  // a fatal condition stopped the kernel (host model observes it)
};

extern KernelState ks;

}  // namespace keel
