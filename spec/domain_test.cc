// Domain invocations (threads.md §3) with one domain and a two-entry schedule: every error in
// seL4's order with its words (sel4test DOMAINS0001-0003), where a thread goes when its domain is
// set, and the schedule's start switching at the end of the same kernel entry.
#include "scheduler.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

using W = std::vector<word_t>;
constexpr cptr_t kT = kFirstFree;

Reply domain_call(World& w, Label l, const W& mrs, const std::vector<cptr_t>& extra = {}) {
  return w.call(kCapDomain, l, mrs, extra);
}

TEST(DomainSetSet, DecodeOrderAndErrorWords) {
  World w;
  const State before = w.s;
  EXPECT_EQ(domain_call(w, Label::DomainSetSet, {}, {kCapInitThreadTCB}).label, err(Error::TruncatedMessage));
  // The domain is checked before the cap is even looked for (DOMAINS0002: ND + 10).
  for (word_t d : {kNumDomains, kNumDomains + 10, ~word_t{0}}) {
    Reply r = domain_call(w, Label::DomainSetSet, {d});
    EXPECT_EQ(r.label, err(Error::InvalidArgument)) << d;
    EXPECT_EQ(r.words, W{0});
  }
  EXPECT_EQ(domain_call(w, Label::DomainSetSet, {0}).label, err(Error::TruncatedMessage));
  Reply r = domain_call(w, Label::DomainSetSet, {0}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, W{1});
  EXPECT_EQ(w.changed_since(before), "");
}

// sel4test DOMAINS0003, and the converse.
TEST(DomainSetSet, LabelsBelongToTheirCaps) {
  World w;
  const State before = w.s;
  EXPECT_EQ(w.call(kCapInitThreadTCB, Label::DomainSetSet, {0}, {kCapInitThreadTCB}).label,
            err(Error::IllegalOperation));
  for (Label l : {Label::TCBSetPriority, Label::TCBResume, Label::InvalidInvocation, Label::CNodeCopy})
    EXPECT_EQ(domain_call(w, l, {0, 0, 1}, {kCapInitThreadTCB}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(before), "");
}

// sel4test DOMAINS0001 (ND - 1 = 0): the caller setting its own domain gets its reply and runs on.
TEST(DomainSetSet, OnTheCallerItself) {
  World w;
  Reply r = domain_call(w, Label::DomainSetSet, {0}, {kCapInitThreadTCB});
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.length, 0u);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  EXPECT_EQ(w.thread(kRootTcb).domain, 0u);
}

// setDomain re-queues a runnable thread at the head of its (new) queue.
TEST(DomainSetSet, MovesARunnableThreadToTheHeadOfItsQueue) {
  World w;
  const paddr_t t1 = w.runnable_thread(kT, 10);
  const paddr_t t2 = w.runnable_thread(kT + 1, 10);
  ASSERT_EQ(w.queue(10), (std::vector<paddr_t>{t2, t1}));
  ASSERT_EQ(domain_call(w, Label::DomainSetSet, {0}, {kT}).label, kOk);
  EXPECT_EQ(w.queue(10), (std::vector<paddr_t>{t1, t2}));
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
  const paddr_t idle = w.new_thread(kT + 2);
  ASSERT_EQ(domain_call(w, Label::DomainSetSet, {0}, {kT + 2}).label, kOk);
  EXPECT_EQ(w.thread(idle).state, ThreadState::Inactive);  // not queued
  EXPECT_TRUE(w.queue(0).empty());
}

TEST(DomainScheduleConfigure, DecodeOrderAndErrorWords) {
  World w;
  const State before = w.s;
  EXPECT_EQ(domain_call(w, Label::DomainScheduleConfigure, {0, 0}).label, err(Error::TruncatedMessage));
  // The last entry is never writable: index < NDS - 1 = 1.
  Reply r = domain_call(w, Label::DomainScheduleConfigure, {1, 0, 5});
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (W{0, kNumDomainSchedules - 2}));
  r = domain_call(w, Label::DomainScheduleConfigure, {0, 1, 5});
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (W{0, kNumDomains - 1}));
  EXPECT_EQ(domain_call(w, Label::DomainScheduleConfigure, {0, word_t{1} << 32, 5}).label,
            err(Error::RangeError));  // the whole word
  r = domain_call(w, Label::DomainScheduleConfigure, {0, 0, kMaxDomainDuration + 1});
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, W{2});
  // Duration 0 with a domain other than 0 (InvalidArgument(1)) cannot be reached with one domain:
  // the domain check refuses it first. Entry 0 is the start entry: it cannot become an end marker.
  r = domain_call(w, Label::DomainScheduleConfigure, {0, 0, 0});
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, W{2});
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(DomainScheduleConfigure, TheEntryTakesEffectAtTheNextDomainSwitch) {
  World w;
  ASSERT_EQ(domain_call(w, Label::DomainScheduleConfigure, {0, 0, 5}).label, kOk);
  EXPECT_EQ(w.s.domain_schedule[0], (DomainScheduleEntry{0, 5}));
  EXPECT_EQ(w.s.domain_time, kMaxDomainDuration);  // the running entry keeps its time
  ASSERT_EQ(domain_call(w, Label::DomainScheduleConfigure, {0, 0, kMaxDomainDuration}).label, kOk);
  EXPECT_EQ(w.s.domain_schedule[0].length, kMaxDomainDuration);
}

TEST(DomainScheduleSetStart, DecodeOrderAndErrorWords) {
  World w;
  const State before = w.s;
  EXPECT_EQ(domain_call(w, Label::DomainScheduleSetStart, {}).label, err(Error::TruncatedMessage));
  Reply r = domain_call(w, Label::DomainScheduleSetStart, {kNumDomainSchedules});
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (W{0, kNumDomainSchedules - 1}));
  r = domain_call(w, Label::DomainScheduleSetStart, {kNumDomainSchedules - 1});  // the end marker
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, W{0});
  EXPECT_EQ(w.changed_since(before), "");
}

// threads.md §3.2: the domain time runs out at once and schedule() at the end of the same entry
// starts the start entry afresh, with the caller queued at the head of its domain and chosen.
TEST(DomainScheduleSetStart, SwitchesAtTheEndOfTheSameKernelEntry) {
  World w;
  const paddr_t t = w.runnable_thread(kT, 255);
  ASSERT_EQ(domain_call(w, Label::DomainScheduleConfigure, {0, 0, 5}).label, kOk);
  Reply r = domain_call(w, Label::DomainScheduleSetStart, {0});
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(w.s.domain_schedule_start, 0u);
  EXPECT_EQ(w.s.domain_schedule_index, 0u);
  EXPECT_EQ(w.s.domain_time, 5u);
  EXPECT_EQ(w.s.cur_domain, 0u);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);  // at the head of its queue, ahead of t
  EXPECT_EQ(w.queue(255), std::vector<paddr_t>{t});
  // With one domain the kernel tick never runs its time down.
  timer_tick(w.s);
  schedule(w.s);
  EXPECT_EQ(w.s.domain_time, 5u);
}

TEST(DomainInvariants, CatchABrokenSchedule) {
  World w;
  EXPECT_TRUE(check_invariants(w.s).empty());
  State s = w.s;
  s.domain_schedule.back() = DomainScheduleEntry{0, 3};
  EXPECT_FALSE(check_invariants(s).empty());  // the last entry must stay an end marker
  s = w.s;
  s.domain_schedule[0] = DomainScheduleEntry{1, 3};
  EXPECT_FALSE(check_invariants(s).empty());  // no domain 1
  s = w.s;
  s.domain_schedule_start = 1;
  EXPECT_FALSE(check_invariants(s).empty());  // the start entry is an end marker
  s = w.s;
  s.domain_time = 0;
  EXPECT_FALSE(check_invariants(s).empty());
  s = w.s;
  s.thread(kRootTcb)->domain = 1;
  EXPECT_FALSE(check_invariants(s).empty());
  s = w.s;
  s.thread(kRootTcb)->flags = 2;
  EXPECT_FALSE(check_invariants(s).empty());
}

TEST(NextDomain, WrapsToTheStartAtAnEndMarker) {
  World w;
  State& s = w.s;
  s.domain_schedule[0] = DomainScheduleEntry{0, 9};
  s.domain_time = 1;
  next_domain(s);
  EXPECT_EQ(s.domain_schedule_index, 0u);
  EXPECT_EQ(s.domain_time, 9u);
  EXPECT_EQ(s.cur_domain, 0u);
}

}  // namespace
}  // namespace keel::spec::test
