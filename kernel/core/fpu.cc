// The FPU owner and its switching; see fpu.h.
#include "kernel/core/fpu.h"

#include "kernel/core/kernel_state.h"
#include "kernel/machine/machine.h"
#include "kernel/object/tcb_registers.h"

namespace keel {

namespace {

void switch_owner(Tcb* t) {
  machine::enable_fpu();
  if (ks.fpu_owner != nullptr) machine::save_fpu(ks.fpu_owner->context.fpu);
  if (t != nullptr) {
    machine::load_fpu(t->context.fpu);
  } else {
    machine::disable_fpu();
  }
  ks.fpu_owner = t;
}

}  // namespace

void fpu_switch_to(Tcb* t) {
  if (t->flags & kTcbFlagFpuDisabled) {
    machine::disable_fpu();
  } else if (t == ks.fpu_owner) {
    machine::enable_fpu();
  } else {
    switch_owner(t);
  }
}

void fpu_release(Tcb* t) {
  if (t == ks.fpu_owner) switch_owner(nullptr);
}

}  // namespace keel
