// Priorities, Suspend and Resume. A priority is checked against the maximum controlled
// priority of the authority TCB named in the call, never the caller's or the target's own.
#include "kernel/object/tcb_sched.h"

#include "kernel/core/kernel_state.h"
#include "kernel/lib/mutation.h"

namespace keel {

namespace {

Tcb* target_of(const Invocation& inv) { return tcb_from_object(ThreadCap{inv.cap}.ptr()); }

// seL4 checkPrio: the whole word is compared, so a value of 2^32 is out of range too.
SyscallError check_priority(word_t value, const Tcb* authority) {
  // The planted bug compares with the highest priority instead of the authority's MCP (a
  // wild priority would index past the ready queues rather than be caught).
  const word_t limit = mutant(Mutant::SkipMcpCheck) ? config::kNumPriorities - 1 : authority->mcp;
  if (value > limit) return SyscallError::range(0, authority->mcp);
  return SyscallError::of(Error::NoError);
}

// The authority TCB: the first extra cap (seL4 reads it before any value check).
Result<const Tcb*> authority_of(const Invocation& inv) {
  if (inv.extra[0].cap.type() != CapType::Thread) return SyscallError::invalid_capability(1);
  return static_cast<const Tcb*>(tcb_from_object(ThreadCap{inv.extra[0].cap}.ptr()));
}

// SetPriority and SetMCPriority: one value checked against the authority's MCP.
Result<SchedParamsOp> decode_one_value(const Invocation& inv, bool is_mcp) {
  // seL4: TCB SetPriority / SetMCPriority — the value and the authority cap.
  if (inv.length < 1 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const Result<const Tcb*> auth = authority_of(inv);
  if (!auth.ok()) return auth.error;
  const SyscallError e = check_priority(inv.mr(0), auth.value);
  if (e.type != Error::NoError) return e;
  return SchedParamsOp{target_of(inv), is_mcp, !is_mcp, inv.mr(0), inv.mr(0)};
}

Result<SchedParamsOp> decode_set_priority(const Invocation& inv) { return decode_one_value(inv, false); }
Result<SchedParamsOp> decode_set_mc_priority(const Invocation& inv) { return decode_one_value(inv, true); }

Result<SchedParamsOp> decode_set_sched_params(const Invocation& inv) {
  // seL4: TCB SetSchedParams — MCP then priority, both checked against the authority's MCP.
  if (inv.length < 2 || inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  const Result<const Tcb*> auth = authority_of(inv);
  if (!auth.ok()) return auth.error;
  for (unsigned i = 0; i < 2; ++i) {
    const SyscallError e = check_priority(inv.mr(i), auth.value);
    if (e.type != Error::NoError) return e;
  }
  return SchedParamsOp{target_of(inv), true, true, inv.mr(0), inv.mr(1)};
}

// The MCP is stored first and the priority is not clamped to it (seL4 allows prio > MCP).
PerformStatus perform_sched_params(const SchedParamsOp& op) {
  if (op.set_mcp) op.target->mcp = op.mcp;
  if (op.set_priority) set_priority(op.target, op.priority);
  return PerformStatus::Done;
}

struct ThreadOp {
  Tcb* target;
};

// seL4: Suspend and Resume have no checks at all (a thread may suspend itself).
Result<ThreadOp> decode_thread_op(const Invocation& inv) { return ThreadOp{target_of(inv)}; }

PerformStatus perform_suspend(const ThreadOp& op) {
  suspend(op.target);
  return PerformStatus::Done;
}

PerformStatus perform_resume(const ThreadOp& op) {
  restart(op.target);
  return PerformStatus::Done;
}

}  // namespace

void set_priority(Tcb* t, word_t priority) {
  tcb_sched_dequeue(t);
  t->priority = priority;
  if (!is_runnable(t)) return;
  if (t == ks.cur_thread) {
    reschedule_required();
  } else {
    possible_switch_to(t);
  }
}

Outcome invoke_tcb_sched(const Invocation& inv) {
  const Label l = inv.op();
  if (l == Label::TCBSetPriority) return decode_then_perform(inv, decode_set_priority, perform_sched_params);
  if (l == Label::TCBSetMCPriority)
    return decode_then_perform(inv, decode_set_mc_priority, perform_sched_params);
  if (l == Label::TCBSetSchedParams)
    return decode_then_perform(inv, decode_set_sched_params, perform_sched_params);
  if (l == Label::TCBSuspend) return decode_then_perform(inv, decode_thread_op, perform_suspend);
  if (l == Label::TCBResume) return decode_then_perform(inv, decode_thread_op, perform_resume);
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
