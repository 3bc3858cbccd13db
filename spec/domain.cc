// Domain cap invocations of seL4 16.0.0 (reference §6.7, docs/sel4-facts/threads.md §3):
// DomainSet_Set, DomainSet_ScheduleConfigure and DomainSet_ScheduleSetStart with seL4's checks in
// order. With kNumDomains = 1 the only domain is 0 and the schedule has one usable entry.
#include "constants.h"
#include "invocation.h"
#include "scheduler.h"

namespace keel::spec {

namespace {

InvocationResult decode_domain_set_set(State& s, const Invocation& inv) {
  // seL4: DomainSet_Set — no domain word
  if (inv.length == 0) return SyscallError::of(Error::TruncatedMessage);
  const word_t domain = inv.mrs[0];  // the whole word (the stub sends a u8)
  // seL4: DomainSet_Set — no such domain (checked before the thread cap is looked at)
  if (domain >= kNumDomains) return SyscallError::invalid_argument(0);
  // seL4: DomainSet_Set — no thread cap
  if (inv.extra_caps.empty()) return SyscallError::of(Error::TruncatedMessage);
  const Cap& c = s.cap_at(inv.extra_caps[0]);
  // seL4: DomainSet_Set — cap0 not a thread cap (InvalidArgument, not InvalidCapability)
  if (c.type != CapType::Thread) return SyscallError::invalid_argument(1);
  // seL4 prepareSetDomain releases the thread's FPU state when the domain differs from the
  // current one: FPU state is not modelled. No possibleSwitchTo: it waits for a reschedule.
  set_domain(s, c.ptr, domain);
  return Done{};
}

InvocationResult decode_schedule_configure(State& s, const Invocation& inv) {
  // seL4: DomainSet_ScheduleConfigure — index, domain and duration
  if (inv.length < 3) return SyscallError::of(Error::TruncatedMessage);
  const word_t index = inv.mrs[0], domain = inv.mrs[1], duration = inv.mrs[2];
  // seL4: DomainSet_ScheduleConfigure — the last entry stays an end marker
  if (index >= kNumDomainSchedules - 1) return SyscallError::range(0, kNumDomainSchedules - 2);
  // seL4: DomainSet_ScheduleConfigure — no such domain (the whole word)
  if (domain >= kNumDomains) return SyscallError::range(0, kNumDomains - 1);
  // seL4: DomainSet_ScheduleConfigure — the duration does not fit in 56 bits
  if (duration > kMaxDomainDuration) return SyscallError::invalid_argument(2);
  // seL4: DomainSet_ScheduleConfigure — an end marker must name domain 0
  if (duration == 0 && domain != 0) return SyscallError::invalid_argument(1);
  // seL4: DomainSet_ScheduleConfigure — the start entry cannot become an end marker
  if (index == s.domain_schedule_start && duration == 0) return SyscallError::invalid_argument(2);
  s.domain_schedule[index] = DomainScheduleEntry{domain, duration};  // in effect at the next nextDomain
  return Done{};
}

InvocationResult decode_schedule_set_start(State& s, const Invocation& inv) {
  // seL4: DomainSet_ScheduleSetStart — no index
  if (inv.length < 1) return SyscallError::of(Error::TruncatedMessage);
  const word_t index = inv.mrs[0];
  // seL4: DomainSet_ScheduleSetStart — index past the schedule
  if (index >= kNumDomainSchedules) return SyscallError::range(0, kNumDomainSchedules - 1);
  // seL4: DomainSet_ScheduleSetStart — the entry is an end marker
  if (s.domain_schedule[index].is_end_marker()) return SyscallError::invalid_argument(0);
  // The domain time runs out now and the index points before the fixed end marker, so the
  // schedule() at the end of this very kernel entry moves to the start entry (next_domain).
  s.domain_schedule_start = index;
  s.domain_time = 0;
  s.domain_schedule_index = kNumDomainSchedules - 2;
  reschedule_required(s);
  return Done{};
}

}  // namespace

InvocationResult invoke_domain(State& s, const Invocation& inv) {
  const auto label = static_cast<Label>(inv.label);
  if (label == Label::DomainSetSet) return decode_domain_set_set(s, inv);
  if (label == Label::DomainScheduleConfigure) return decode_schedule_configure(s, inv);
  if (label == Label::DomainScheduleSetStart) return decode_schedule_set_start(s, inv);
  // seL4: domain cap — any other label (a TCB label included)
  return SyscallError::of(Error::IllegalOperation);
}

}  // namespace keel::spec
