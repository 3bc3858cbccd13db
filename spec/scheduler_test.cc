// The abstract scheduler: queue order, the choice of the next thread, preemption by a woken
// thread, time slices and Yield among several threads.
#include "scheduler.h"

#include "test_support.h"

namespace keel::spec::test {
namespace {

// A world with extra threads made runnable by hand, each at a given priority and queued.
struct Threads {
  World w;
  std::vector<paddr_t> tcbs;

  explicit Threads(std::initializer_list<word_t> priorities) {
    word_t slot = kFirstFree;
    for (word_t prio : priorities) {
      EXPECT_EQ(w.retype(kCapUntyped, ObjectType::TCB, 0, slot, 1).label, kOk);
      const paddr_t t = w.cap(slot++).ptr;
      w.s.thread(t)->priority = prio;
      w.s.thread(t)->state = ThreadState::Running;
      sched_append(w.s, t);
      tcbs.push_back(t);
    }
  }
  Step yield() {
    SyscallEvent e;
    e.regs[7] = static_cast<word_t>(-7);
    return step(w.s, e);
  }
};

TEST(Scheduler, EnqueueAtHeadAppendAtTailAndNeverTwice) {
  Threads t({10, 10});
  State& s = t.w.s;
  EXPECT_EQ(s.ready_queues.at({0, 10}), (std::vector<paddr_t>{t.tcbs[0], t.tcbs[1]}));
  sched_dequeue(s, t.tcbs[1]);
  sched_enqueue(s, t.tcbs[1]);
  sched_enqueue(s, t.tcbs[1]);
  sched_append(s, t.tcbs[1]);
  EXPECT_EQ(s.ready_queues.at({0, 10}), (std::vector<paddr_t>{t.tcbs[1], t.tcbs[0]}));
  sched_dequeue(s, t.tcbs[0]);
  sched_dequeue(s, t.tcbs[1]);
  EXPECT_TRUE(s.ready_queues.empty());  // an emptied queue disappears
}

TEST(Scheduler, YieldGivesTheTurnToAnEqualPriorityThread) {
  Threads t({kNumPriorities - 1, 7});
  Step st = t.yield();
  EXPECT_EQ(st.result.outcome, Outcome::Returned);
  EXPECT_EQ(st.state.cur_thread, t.tcbs[0]);
  // The yielder goes behind the thread it let run; the lower priority waits on.
  EXPECT_EQ(st.state.ready_queues.at({0, kNumPriorities - 1}), std::vector<paddr_t>{kRootTcb});
  EXPECT_EQ(st.state.ready_queues.at({0, 7}), std::vector<paddr_t>{t.tcbs[1]});
  EXPECT_TRUE(check_invariants(st.state).empty());
}

TEST(Scheduler, YieldWithOnlyLowerPrioritiesReadyKeepsRunning) {
  Threads t({3});
  Step st = t.yield();
  EXPECT_EQ(st.state.cur_thread, kRootTcb);
  EXPECT_EQ(st.state.ready_queues.at({0, 3}), std::vector<paddr_t>{t.tcbs[0]});
}

TEST(Scheduler, AWokenHigherPriorityThreadRunsAtOnce) {
  Threads t({});
  State& s = t.w.s;
  s.thread(kRootTcb)->priority = 5;
  ASSERT_EQ(t.w.retype(kCapUntyped, ObjectType::TCB, 0, kFirstFree, 1).label, kOk);
  const paddr_t hi = t.w.cap(kFirstFree).ptr;
  s.thread(hi)->priority = 9;
  s.thread(hi)->state = ThreadState::Restart;
  sched_enqueue(s, hi);
  possible_switch_to(s, hi);
  schedule(s);
  EXPECT_EQ(s.cur_thread, hi);
  EXPECT_EQ(s.ready_queues.at({0, 5}), std::vector<paddr_t>{kRootTcb});  // preempted: at the head
}

TEST(Scheduler, AWokenLowerPriorityThreadWaitsItsTurn) {
  Threads t({});
  State& s = t.w.s;
  ASSERT_EQ(t.w.retype(kCapUntyped, ObjectType::TCB, 0, kFirstFree, 1).label, kOk);
  const paddr_t lo = t.w.cap(kFirstFree).ptr;
  s.thread(lo)->state = ThreadState::Restart;
  possible_switch_to(s, lo);
  schedule(s);
  EXPECT_EQ(s.cur_thread, kRootTcb);
  EXPECT_EQ(s.ready_queues.at({0, 0}), std::vector<paddr_t>{lo});
}

TEST(Scheduler, TheTimeSliceEndsAfterFiveTicks) {
  Threads t({kNumPriorities - 1});
  State& s = t.w.s;
  for (word_t i = 1; i < kTimeSlice; ++i) {
    timer_tick(s);
    schedule(s);
    EXPECT_EQ(s.cur_thread, kRootTcb) << "tick " << i;
  }
  timer_tick(s);
  schedule(s);
  EXPECT_EQ(s.cur_thread, t.tcbs[0]);
  EXPECT_EQ(s.thread(kRootTcb)->time_slice, kTimeSlice);  // refilled for its next turn
  EXPECT_EQ(s.ready_queues.at({0, kNumPriorities - 1}), std::vector<paddr_t>{kRootTcb});
}

TEST(Scheduler, TheLastThreadStoppingLeavesTheIdleThread) {
  World w;
  SyscallEvent e;
  e.regs[7] = 12345;  // an unknown syscall: the root task faults with no handler
  Step st = step(w.s, e);
  EXPECT_EQ(st.result.outcome, Outcome::Faulted);
  EXPECT_FALSE(st.state.cur_thread.has_value());
}

TEST(SchedulerInvariants, CatchAStrandedRunnableThreadAndAQueuedCurrentThread) {
  Threads t({4});
  State s = t.w.s;
  sched_dequeue(s, t.tcbs[0]);
  EXPECT_FALSE(check_invariants(s).empty());  // runnable, not current, not queued
  s = t.w.s;
  sched_enqueue(s, kRootTcb);
  EXPECT_FALSE(check_invariants(s).empty());  // the current thread queued
  s = t.w.s;
  s.thread(t.tcbs[0])->state = ThreadState::Inactive;
  EXPECT_FALSE(check_invariants(s).empty());  // a queued thread that cannot run
}

}  // namespace
}  // namespace keel::spec::test
