// The AArch64 side of the cap algebra: the twins declared in kernel/cap/arch_cap_algebra.h
// (frame, page table, VSpace, ASID control/pool and SMC caps), and the VM-rights rule they share.
#pragma once

#include "kernel/cap/arch_cap_algebra.h"

namespace keel {

// seL4 maskVMRights: write-only is impossible, so R+W stays RW, R keeps RO, anything else is
// kernel-only.
VmRights mask_vm_rights(VmRights rights, CapRights mask);

}  // namespace keel
