// Domains: which domain a thread belongs to, and the schedule of domains. A schedule entry of
// duration 0 is an end marker; the last entry can never be written, so one always exists.
#include "kernel/object/domain.h"

#include "kernel/core/fpu.h"
#include "kernel/core/kernel_state.h"

namespace keel {

namespace {

struct SetDomainOp {
  Tcb* target;
  word_t domain;
};

Result<SetDomainOp> decode_set_domain(const Invocation& inv) {
  // seL4: DomainSet_Set — the domain word, then the thread cap; a wrong cap is an argument error.
  if (inv.length < 1) return SyscallError::of(Error::TruncatedMessage);
  if (inv.mr(0) >= config::kNumDomains) return SyscallError::invalid_argument(0);
  if (inv.num_extra < 1) return SyscallError::of(Error::TruncatedMessage);
  if (inv.extra[0].cap.type() != CapType::Thread) return SyscallError::invalid_argument(1);
  return SetDomainOp{tcb_from_object(ThreadCap{inv.extra[0].cap}.ptr()), inv.mr(0)};
}

// seL4 setDomain: no preemption check; a runnable thread joins the head of its new queue.
PerformStatus perform_set_domain(const SetDomainOp& op) {
  if (op.domain != ks.cur_domain) fpu_release(op.target);  // seL4 prepareSetDomain
  tcb_sched_dequeue(op.target);
  op.target->domain = op.domain;
  if (is_runnable(op.target)) tcb_sched_enqueue(op.target);
  if (op.target == ks.cur_thread) reschedule_required();
  return PerformStatus::Done;
}

struct ScheduleEntryOp {
  word_t index;
  DomainScheduleEntry entry;
};

Result<ScheduleEntryOp> decode_schedule_configure(const Invocation& inv) {
  // seL4: DomainSet_ScheduleConfigure — index, domain, duration; the last entry is fixed.
  if (inv.length < 3) return SyscallError::of(Error::TruncatedMessage);
  const word_t index = inv.mr(0), domain = inv.mr(1), duration = inv.mr(2);
  if (index >= config::kNumDomainSchedules - 1)
    return SyscallError::range(0, config::kNumDomainSchedules - 2);
  if (domain >= config::kNumDomains) return SyscallError::range(0, config::kNumDomains - 1);
  if (duration > kMaxDomainDuration) return SyscallError::invalid_argument(2);
  // An end marker is all zero, and the schedule must not start at one.
  if (duration == 0 && domain != 0) return SyscallError::invalid_argument(1);
  if (duration == 0 && index == ks.domain_schedule_start) return SyscallError::invalid_argument(2);
  return ScheduleEntryOp{index, DomainScheduleEntry{domain, duration}};
}

PerformStatus perform_schedule_configure(const ScheduleEntryOp& op) {
  ks.domain_schedule[op.index] = op.entry;  // takes effect at the next change of domain
  return PerformStatus::Done;
}

struct SetStartOp {
  word_t index;
};

Result<SetStartOp> decode_schedule_set_start(const Invocation& inv) {
  // seL4: DomainSet_ScheduleSetStart — an index naming an entry that is not an end marker.
  if (inv.length < 1) return SyscallError::of(Error::TruncatedMessage);
  const word_t index = inv.mr(0);
  if (index >= config::kNumDomainSchedules) return SyscallError::range(0, config::kNumDomainSchedules - 1);
  if (ks.domain_schedule[index].length == 0) return SyscallError::invalid_argument(0);
  return SetStartOp{index};
}

// The new schedule starts at the end of this very entry: the domain's time is up, and the
// index sits just before the fixed end marker, so the next domain is the new start.
PerformStatus perform_schedule_set_start(const SetStartOp& op) {
  ks.domain_schedule_start = op.index;
  ks.domain_time = 0;
  ks.domain_schedule_index = config::kNumDomainSchedules - 2;
  reschedule_required();
  return PerformStatus::Done;
}

}  // namespace

Outcome invoke_domain(const Invocation& inv) {
  const Label l = inv.op();
  if (l == Label::DomainSetSet) return decode_then_perform(inv, decode_set_domain, perform_set_domain);
  if (l == Label::DomainScheduleConfigure) {
    return decode_then_perform(inv, decode_schedule_configure, perform_schedule_configure);
  }
  if (l == Label::DomainScheduleSetStart) {
    return decode_then_perform(inv, decode_schedule_set_start, perform_schedule_set_start);
  }
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel
