// ASIDControl_MakePool turns a 4 KiB untyped into the lowest free ASID pool; ASIDPool_Assign
// gives a VSpace the lowest free ASID of a pool (never ASID 0).
#include "arch/aarch64/object/asid_invocation.h"

#include "arch/aarch64/object/asid.h"
#include "arch/aarch64/object/vspace_checks.h"
#include "kernel/cap/cspace.h"
#include "kernel/cap/mdb.h"
#include "kernel/lib/kernel_window.h"
#include "kernel/machine/machine.h"
#include "kernel/object/create.h"

namespace keel {

namespace {

using arch::AsidPool;
using arch::g_asid_table;
using arch::kAsidPoolIndexBits;
using arch::kNumAsidPoolsBits;

constexpr word_t kNumPools = word_t{1} << kNumAsidPoolsBits;
constexpr word_t kPoolSize = word_t{1} << kAsidPoolIndexBits;

struct MakePoolMessage {
  const Invocation& inv;
  cptr_t index() const { return inv.mr(0); }
  word_t depth() const { return inv.mr(1); }
};

struct MakePoolOp {
  word_t pool_number;
  Cte* untyped;
  Cte* dest;
};

Result<word_t> free_pool_number() {
  for (word_t i = 0; i < kNumPools; ++i) {
    if (g_asid_table[i] == 0) return i;
  }
  return SyscallError::of(Error::DeleteFirst);  // seL4: every pool number is taken
}

Result<MakePoolOp> decode_make_pool(const Invocation& inv) {
  if (inv.op() != Label::ARMASIDControlMakePool) return SyscallError::of(Error::IllegalOperation);
  if (inv.length < 2 || inv.num_extra < 2) return SyscallError::of(Error::TruncatedMessage);
  const MakePoolMessage msg{inv};
  const Result<word_t> pool = free_pool_number();
  if (!pool.ok()) return pool.error;
  const Cap ut = inv.extra[0].cap;
  // seL4: the pool's memory is exactly one 4 KiB RAM untyped
  if (ut.type() != CapType::Untyped || UntypedCap{ut}.size_bits() != kAsidPoolBits ||
      UntypedCap{ut}.is_device())
    return SyscallError::invalid_capability(1);
  const SyscallError children = ensure_no_children(inv.extra[0].slot);
  if (children.type != Error::NoError) return children;
  const Result<Cte*> dest = lookup_target_slot(inv.extra[1].cap, msg.index(), msg.depth());
  if (!dest.ok()) return dest.error;
  const SyscallError occupied = ensure_empty_slot(dest.value);
  if (occupied.type != Error::NoError) return occupied;
  return MakePoolOp{pool.value, inv.extra[0].slot, dest.value};
}

PerformStatus perform_make_pool(const MakePoolOp& op) {
  const UntypedCap ut{op.untyped->cap};
  op.untyped->cap = ut.with_free_index(word_t{1} << ut.size_bits());  // fully used
  machine::mark_memory_live(ut.ptr(), word_t{1} << kAsidPoolBits);
  zero_memory(ut.ptr(), word_t{1} << kAsidPoolBits);
  cte_insert(AsidPoolCap::make(ut.ptr(), op.pool_number << kAsidPoolIndexBits), op.untyped, op.dest);
  g_asid_table[op.pool_number] = ut.ptr();
  return PerformStatus::Done;
}

struct AssignOp {
  Cte* vspace_slot;
  AsidPool* pool;
  word_t asid;
};

Result<AssignOp> decode_assign(const Invocation& inv) {
  if (inv.op() != Label::ARMASIDPoolAssign) return SyscallError::of(Error::IllegalOperation);
  if (inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const Cap vspace = inv.extra[0].cap;
  if (vspace.type() != CapType::VSpace || VSpaceCap{vspace}.is_mapped())
    return SyscallError::invalid_capability(1);
  const AsidPoolCap pool_cap{inv.cap};
  const paddr_t pool = g_asid_table[pool_cap.asid_base() >> kAsidPoolIndexBits];
  if (pool == 0) return arch::asid_lookup_failed();
  if (pool != pool_cap.ptr()) return SyscallError::invalid_capability(0);  // seL4: a stale pool cap
  AsidPool* p = ptr_from_paddr<AsidPool>(pool);
  for (word_t i = 0; i < kPoolSize; ++i) {
    if (pool_cap.asid_base() + i != 0 && p->vspace[i] == 0)
      return AssignOp{inv.extra[0].slot, p, pool_cap.asid_base() + i};
  }
  return SyscallError::of(Error::DeleteFirst);  // seL4: the pool is full
}

PerformStatus perform_assign(const AssignOp& op) {
  const VSpaceCap vspace{op.vspace_slot->cap};
  op.vspace_slot->cap = vspace.with_mapping(op.asid, 0);
  op.pool->vspace[op.asid & (kPoolSize - 1)] = vspace.ptr();
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_asid_control(const Invocation& inv) {
  return decode_then_perform(inv, decode_make_pool, perform_make_pool);
}

Outcome invoke_asid_pool(const Invocation& inv) {
  return decode_then_perform(inv, decode_assign, perform_assign);
}

}  // namespace keel
