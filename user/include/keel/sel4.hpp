// keel's typed C++ layer over the libsel4-compatible C API: one small class per kind of cap.
#pragma once

#include <keel/runtime.h>
#include <sel4/sel4.h>

namespace keel {

// Any capability: a CPtr in the caller's CSpace.
class Cap {
 public:
  constexpr explicit Cap(seL4_CPtr cptr) : cptr_(cptr) {}
  constexpr seL4_CPtr cptr() const { return cptr_; }
  // The kernel's cap-type tag for this slot (seL4_CapTag_*; debug kernels only).
  seL4_Uint32 identify() const { return seL4_DebugCapIdentify(cptr_); }

 protected:
  seL4_CPtr cptr_;
};

// A CNode cap and the depth at which indices inside it are resolved (64 for a root CNode whose
// guard makes one level cover the whole word, as the initial CNode does).
class CNode : public Cap {
 public:
  constexpr CNode(seL4_CPtr cptr, seL4_Uint8 depth = seL4_WordBits) : Cap(cptr), depth_(depth) {}
  constexpr seL4_Uint8 depth() const { return depth_; }

  [[nodiscard]] seL4_Error revoke(seL4_Word index) const { return seL4_CNode_Revoke(cptr_, index, depth_); }
  [[nodiscard]] seL4_Error remove(seL4_Word index) const { return seL4_CNode_Delete(cptr_, index, depth_); }
  [[nodiscard]] seL4_Error cancel_badged_sends(seL4_Word index) const {
    return seL4_CNode_CancelBadgedSends(cptr_, index, depth_);
  }
  [[nodiscard]] seL4_Error save_caller(seL4_Word index) const {
    return seL4_CNode_SaveCaller(cptr_, index, depth_);
  }
  [[nodiscard]] seL4_Error copy(seL4_Word dest, const CNode& src_root, seL4_Word src,
                                seL4_CapRights_t rights) const {
    return seL4_CNode_Copy(cptr_, dest, depth_, src_root.cptr(), src, src_root.depth(), rights);
  }
  [[nodiscard]] seL4_Error mint(seL4_Word dest, const CNode& src_root, seL4_Word src, seL4_CapRights_t rights,
                                seL4_Word badge) const {
    return seL4_CNode_Mint(cptr_, dest, depth_, src_root.cptr(), src, src_root.depth(), rights, badge);
  }
  [[nodiscard]] seL4_Error move(seL4_Word dest, const CNode& src_root, seL4_Word src) const {
    return seL4_CNode_Move(cptr_, dest, depth_, src_root.cptr(), src, src_root.depth());
  }
  [[nodiscard]] seL4_Error mutate(seL4_Word dest, const CNode& src_root, seL4_Word src,
                                  seL4_Word data) const {
    return seL4_CNode_Mutate(cptr_, dest, depth_, src_root.cptr(), src, src_root.depth(), data);
  }
  // dest <- pivot (with dest_badge), pivot <- src (with pivot_badge), all in this CNode.
  [[nodiscard]] seL4_Error rotate(seL4_Word dest, seL4_Word dest_badge, seL4_Word pivot,
                                  seL4_Word pivot_badge, seL4_Word src) const {
    return seL4_CNode_Rotate(cptr_, dest, depth_, dest_badge, cptr_, pivot, depth_, pivot_badge, cptr_, src,
                             depth_);
  }

 private:
  seL4_Uint8 depth_;
};

class Untyped : public Cap {
 public:
  using Cap::Cap;
  // Makes `count` objects into slots offset.. of the CNode `dest` (the root CNode itself when
  // dest is the root and node_depth is 0).
  [[nodiscard]] seL4_Error retype(seL4_Word type, seL4_Word size_bits, const CNode& root,
                                  seL4_Word node_index, seL4_Word node_depth, seL4_Word offset,
                                  seL4_Word count) const {
    return seL4_Untyped_Retype(cptr_, type, size_bits, root.cptr(), node_index, node_depth, offset, count);
  }
  // The common case: objects straight into slots of the root CNode.
  [[nodiscard]] seL4_Error retype_into_root(seL4_Word type, seL4_Word size_bits, const CNode& root,
                                            seL4_Word offset, seL4_Word count = 1) const {
    return retype(type, size_bits, root, 0, 0, offset, count);
  }
};

class Smc : public Cap {
 public:
  using Cap::Cap;
  // out is written only on success, as with seL4_ARM_SMC_Call.
  [[nodiscard]] seL4_Error call(const seL4_ARM_SMCContext& args, seL4_ARM_SMCContext& out) const {
    seL4_ARM_SMCContext in = args;
    return seL4_ARM_SMC_Call(cptr_, &in, &out);
  }
};

class Tcb : public Cap {
 public:
  using Cap::Cap;
  [[nodiscard]] seL4_Error suspend() const { return seL4_TCB_Suspend(cptr_); }
  [[nodiscard]] seL4_Error resume() const { return seL4_TCB_Resume(cptr_); }
  [[nodiscard]] seL4_Error set_priority(const Tcb& authority, seL4_Word prio) const {
    return seL4_TCB_SetPriority(cptr_, authority.cptr(), prio);
  }
  // Only a debug kernel has DebugNameThread; on a release kernel it would fault the caller.
  void set_name(const char* name) const {
    if (keel_debug_kernel() != 0) seL4_DebugNameThread(cptr_, name);
  }
};

class Frame : public Cap {
 public:
  using Cap::Cap;
  // Physical address of the frame, or 0 with *error set.
  [[nodiscard]] seL4_Word physical_address(seL4_Error* error = nullptr) const {
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(cptr_);
    if (error != nullptr) *error = static_cast<seL4_Error>(r.error);
    return r.paddr;
  }
};

// The initial caps every root task starts with.
inline constexpr CNode kRootCNode{seL4_CapInitThreadCNode};
inline constexpr Tcb kRootTcb{seL4_CapInitThreadTCB};
inline constexpr Smc kMasterSmc{seL4_CapSMC};

}  // namespace keel
