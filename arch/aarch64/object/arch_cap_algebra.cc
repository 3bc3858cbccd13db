// The AArch64 cap algebra (seL4 Arch_deriveCap, Arch_sameRegionAs, ... for the non-hyp config).
#include "arch/aarch64/object/arch_cap_algebra.h"

#include "arch/aarch64/vspace/vspace.h"
#include "kernel/api/object_type.h"
#include "kernel/cap/cap_algebra.h"
#include "kernel/lib/mutation.h"

namespace keel {

// Generic tags never reach the arch twins; each switch lists them to satisfy -Wswitch-enum.
#define KEEL_GENERIC_CAP_TYPES \
  case CapType::Null:          \
  case CapType::Untyped:       \
  case CapType::Endpoint:      \
  case CapType::Notification:  \
  case CapType::Reply:         \
  case CapType::CNode:         \
  case CapType::Thread:        \
  case CapType::IrqControl:    \
  case CapType::IrqHandler:    \
  case CapType::Zombie:        \
  case CapType::Domain

VmRights mask_vm_rights(VmRights rights, CapRights mask) {
  if (rights == VmRights::ReadOnly && mask.read) return VmRights::ReadOnly;
  if (rights == VmRights::ReadWrite && mask.read) {
    return mask.write ? VmRights::ReadWrite : VmRights::ReadOnly;
  }
  return VmRights::KernelOnly;
}

Result<Cap> arch_derive_cap(Cap cap) {
  switch (cap.type()) {
    case CapType::VSpace:
      // seL4: deriving a VSpace cap without an assigned ASID
      if (VSpaceCap{cap}.is_mapped()) return cap;
      return SyscallError::of(Error::IllegalOperation);
    case CapType::PageTable:
      // seL4: deriving a page-table cap that is not mapped
      if (PageTableCap{cap}.is_mapped()) return cap;
      return SyscallError::of(Error::IllegalOperation);
    case CapType::Frame: return FrameCap{cap}.unmapped();
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::Smc:
    case CapType::SgiSignal:
      return cap;
    KEEL_GENERIC_CAP_TYPES:
      return Cap::null();
  }
  return Cap::null();
}

// seL4 Arch_finaliseCap: a frame unmaps on every deletion (each copy is its own mapping); a
// page table, VSpace or ASID pool only when the last cap goes. Nothing is left to clear later.
FinaliseResult arch_finalise_cap(Cap cap, bool final) {
  switch (cap.type()) {
    case CapType::Frame:
      if (const FrameCap f{cap}; f.is_mapped() && !mutant(Mutant::FrameDeleteKeepsMapping))
        arch::unmap_page(f.size(), f.mapped_asid(), f.mapped_vaddr(), f.ptr());
      break;
    case CapType::PageTable:
      if (const PageTableCap pt{cap}; final && pt.is_mapped())
        arch::unmap_page_table(pt.mapped_asid(), pt.mapped_vaddr(), pt.ptr());
      break;
    case CapType::VSpace:
      if (const VSpaceCap vs{cap}; final && vs.is_mapped()) arch::delete_asid(vs.mapped_asid(), vs.ptr());
      break;
    case CapType::AsidPool:
      if (final) arch::delete_asid_pool(AsidPoolCap{cap}.asid_base(), AsidPoolCap{cap}.ptr());
      break;
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal:
      break;  // names no object: nothing to clean up
    KEEL_GENERIC_CAP_TYPES:
      break;
  }
  return FinaliseResult{Cap::null(), Cap::null()};
}

namespace {

bool frame_contains(FrameCap a, FrameCap b) {
  const word_t bot_a = a.ptr(), bot_b = b.ptr();
  const word_t top_a = bot_a + mask_bits(frame_size_bits(a.size()));
  const word_t top_b = bot_b + mask_bits(frame_size_bits(b.size()));
  return bot_a <= bot_b && top_a >= top_b && bot_b <= top_b;
}

}  // namespace

bool arch_same_region_as(Cap a, Cap b) {
  const CapType tb = b.type();
  switch (a.type()) {
    case CapType::Frame: return tb == CapType::Frame && frame_contains(FrameCap{a}, FrameCap{b});
    case CapType::PageTable:
      return tb == CapType::PageTable && PageTableCap{a}.ptr() == PageTableCap{b}.ptr();
    case CapType::VSpace: return tb == CapType::VSpace && VSpaceCap{a}.ptr() == VSpaceCap{b}.ptr();
    case CapType::AsidControl: return tb == CapType::AsidControl;
    case CapType::AsidPool: return tb == CapType::AsidPool && AsidPoolCap{a}.ptr() == AsidPoolCap{b}.ptr();
    case CapType::Smc: return tb == CapType::Smc;  // seL4: any SMC cap vs any SMC cap
    case CapType::SgiSignal:
      return tb == CapType::SgiSignal && SgiSignalCap{a}.id() == SgiSignalCap{b}.id() &&
             SgiSignalCap{a}.target() == SgiSignalCap{b}.target();
    KEEL_GENERIC_CAP_TYPES:
      return false;
  }
  return false;
}

bool arch_same_object_as(Cap a, Cap b) {
  switch (a.type()) {
    case CapType::Frame: {
      if (b.type() != CapType::Frame) return false;
      const FrameCap fa{a}, fb{b};
      return fa.ptr() == fb.ptr() && fa.size() == fb.size() && fa.is_device() == fb.is_device();
    }
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::Smc: return arch_same_region_as(a, b);
    // seL4 Arch_sameObjectAs: an SGI-signal cap is never the same object as another cap, so
    // every copy is final and deleting one touches nothing else.
    case CapType::SgiSignal:
    KEEL_GENERIC_CAP_TYPES:
      return false;
  }
  return false;
}

Cap arch_update_cap_data(bool preserve, word_t data, Cap cap) {
  switch (cap.type()) {
    case CapType::Smc:
      // seL4: only an unbadged SMC cap can be badged, and only by Mint.
      if (!preserve && SmcCap{cap}.badge() == 0) return SmcCap{cap}.with_badge(data);
      return Cap::null();
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::SgiSignal:
      return cap;
    KEEL_GENERIC_CAP_TYPES:
      return cap;
  }
  return cap;
}

Cap arch_mask_cap_rights(CapRights rights, Cap cap) {
  switch (cap.type()) {
    case CapType::Frame: {
      const FrameCap f{cap};
      return f.with_rights(mask_vm_rights(f.rights(), rights));
    }
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::Smc:
    case CapType::SgiSignal:
      return cap;  // seL4: the mask does not apply
    KEEL_GENERIC_CAP_TYPES:
      return cap;
  }
  return cap;
}

CapBadge arch_cap_badge(Cap cap) {
  switch (cap.type()) {
    case CapType::Smc: return CapBadge{true, SmcCap{cap}.badge()};
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
    case CapType::SgiSignal:
      return CapBadge{};
    KEEL_GENERIC_CAP_TYPES:
      return CapBadge{};
  }
  return CapBadge{};
}

bool arch_is_cap_revocable(Cap new_cap, Cap src_cap) {
  switch (new_cap.type()) {
    // seL4: a badged SMC cap minted from another badge is a new revocable original.
    case CapType::Smc: return SmcCap{new_cap}.badge() != arch_cap_badge(src_cap).value;
    // seL4: the cap IRQControl issues is an original; copies of it are not.
    case CapType::SgiSignal: return src_cap.type() == CapType::IrqControl;
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
      return false;
    KEEL_GENERIC_CAP_TYPES:
      return false;
  }
  return false;
}

bool arch_is_mdb_parent_of(Cap a, Cap b, bool b_first_badged) {
  switch (a.type()) {
    case CapType::Smc: return badge_parent_rule(SmcCap{a}.badge(), arch_cap_badge(b).value, b_first_badged);
    // seL4: an issued SGI-signal cap is parent of its copies, not of another issued original.
    case CapType::SgiSignal: return !b_first_badged;
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidControl:
    case CapType::AsidPool:
      return true;
    KEEL_GENERIC_CAP_TYPES:
      return true;  // seL4: non-arch caps pass the arch check
  }
  return true;
}

bool arch_cap_is_physical(Cap cap) {
  switch (cap.type()) {
    case CapType::Frame:
    case CapType::PageTable:
    case CapType::VSpace:
    case CapType::AsidPool: return true;
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal:
      return false;
    KEEL_GENERIC_CAP_TYPES:
      return false;
  }
  return false;
}

unsigned arch_cap_size_bits(Cap cap) {
  switch (cap.type()) {
    case CapType::Frame: return frame_size_bits(FrameCap{cap}.size());
    case CapType::PageTable: return kPageTableBits;
    case CapType::VSpace: return kVSpaceBits;
    case CapType::AsidPool: return kAsidPoolBits;
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal:
      return 0;
    KEEL_GENERIC_CAP_TYPES:
      return 0;
  }
  return 0;
}

paddr_t arch_cap_ptr(Cap cap) {
  switch (cap.type()) {
    case CapType::Frame: return FrameCap{cap}.ptr();
    case CapType::PageTable: return PageTableCap{cap}.ptr();
    case CapType::VSpace: return VSpaceCap{cap}.ptr();
    case CapType::AsidPool: return AsidPoolCap{cap}.ptr();
    case CapType::AsidControl:
    case CapType::Smc:
    case CapType::SgiSignal:
      return 0;
    KEEL_GENERIC_CAP_TYPES:
      return 0;
  }
  return 0;
}

#undef KEEL_GENERIC_CAP_TYPES

}  // namespace keel
