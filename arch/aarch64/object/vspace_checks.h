// Checks the VSpace invocations share (seL4 vspace.c): the extra cap must be a VSpace with an
// ASID whose live root is that VSpace.
#pragma once

#include "arch/aarch64/vspace/vspace.h"
#include "kernel/core/invocation.h"

namespace keel::arch {

// seL4: findVSpaceForASID failed — always reported as FailedLookup(0, InvalidRoot).
inline SyscallError asid_lookup_failed() {
  return SyscallError::failed_lookup(false, LookupFault{.type = LookupFailureType::InvalidRoot});
}

// The root of the assigned VSpace named by `cap`, or the error seL4 gives for extra cap 0 of a
// Map: not an assigned VSpace → InvalidCapability(1); ASID gone → FailedLookup; another root
// under that ASID → InvalidCapability(1).
inline Result<paddr_t> assigned_vspace_root(Cap cap) {
  if (cap.type() != CapType::VSpace || !VSpaceCap{cap}.is_mapped())
    return SyscallError::invalid_capability(1);
  const paddr_t root = find_vspace_for_asid(VSpaceCap{cap}.mapped_asid());
  if (root == 0) return asid_lookup_failed();
  if (root != VSpaceCap{cap}.ptr()) return SyscallError::invalid_capability(1);
  return root;
}

}  // namespace keel::arch
