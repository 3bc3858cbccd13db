// Threads through the syscall path on the host: making a second thread run with Configure,
// WriteRegisters and Resume; priorities and MCP; preemption by Resume and SetPriority; time
// slices; Yield; Suspend; the register invocations and SetFlags (docs/sel4-facts/threads.md).
#include <gtest/gtest.h>

#include "host/sanitizer.h"
#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/core/kernel_state.h"
#include "kernel/object/tcb_registers.h"

namespace keel {
namespace {

constexpr word_t err(Error e) { return static_cast<word_t>(e); }

class ThreadTest : public ::testing::Test {
 protected:
  host::HostKernel k;

  host::SyscallResult call(cptr_t cap, Label l, std::initializer_list<word_t> mrs,
                           std::initializer_list<cptr_t> extra = {}) {
    return k.call(cap, word_t(l), mrs, extra);
  }
  word_t make_thread(word_t prio) { return k.new_thread(prio); }
  // Starts a thread at pc with WriteRegisters(resume): pc, sp, spsr, x0.
  host::SyscallResult start(word_t t, word_t pc, word_t arg = 0) {
    return call(t, Label::TCBWriteRegisters, {1, 4, pc, 0x8000, 0, arg});
  }
};

TEST_F(ThreadTest, ConfigureInstallsTheRootsAndTheFaultHandler) {
  const word_t t = k.retype(ObjectType::TCB);
  ASSERT_EQ(call(t, Label::TCBConfigure, {77, 0, 0, 0},
                 {kCapInitThreadCNode, kCapInitThreadVSpace, kCapInitThreadIPCBuffer})
                .label(),
            0u);
  Tcb* th = k.thread_at(t);
  EXPECT_EQ(th->fault_handler, 77u);
  EXPECT_EQ(th->slot(kTcbCTable)->cap.type(), CapType::CNode);
  EXPECT_EQ(th->slot(kTcbVTable)->cap.type(), CapType::VSpace);
  EXPECT_TRUE(th->slot(kTcbBuffer)->cap.is_null());  // address 0: no buffer
  EXPECT_EQ(th->state, ThreadState::Inactive);
}

TEST_F(ThreadTest, ConfigureErrorsFollowSeL4) {
  const word_t t = k.retype(ObjectType::TCB);
  const word_t unassigned = k.retype(ObjectType::VSpace);
  auto configure = [&](std::initializer_list<word_t> mrs, std::initializer_list<cptr_t> caps) {
    return call(t, Label::TCBConfigure, mrs, caps).label();
  };
  const std::initializer_list<cptr_t> caps = {kCapInitThreadCNode, kCapInitThreadVSpace,
                                              kCapInitThreadIPCBuffer};
  EXPECT_EQ(configure({0, 0, 0}, caps), err(Error::TruncatedMessage));
  EXPECT_EQ(configure({0, 0, 0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace}),
            err(Error::TruncatedMessage));
  // The buffer is checked first, then the CSpace root, then the VSpace root.
  EXPECT_EQ(configure({0, 0, 0, k.root()->ipc_buffer + 8}, caps), err(Error::AlignmentError));
  EXPECT_EQ(configure({0, 0, 0, 0}, {kCapInitThreadTCB, kCapInitThreadVSpace, kCapInitThreadIPCBuffer}),
            err(Error::IllegalOperation));
  EXPECT_EQ(configure({0, 0, 0, 0}, {kCapInitThreadCNode, unassigned, kCapInitThreadIPCBuffer}),
            err(Error::IllegalOperation));
  // A guard of 60 bits cannot fit a CNode of 12 bits: cap data gives a null cap.
  EXPECT_EQ(configure({0, 60, 0, 0}, caps), err(Error::IllegalOperation));
  EXPECT_TRUE(k.thread_at(t)->slot(kTcbCTable)->cap.is_null());
}

TEST_F(ThreadTest, ALowerPriorityThreadWaitsAndRunsWhenTheRootLowersItself) {
  const word_t t = make_thread(100);
  ASSERT_EQ(start(t, 0x400000).label(), 0u);
  Tcb* th = k.thread_at(t);
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(th->state, ThreadState::Restart);
  EXPECT_TRUE(th->queued);
  ASSERT_EQ(call(kCapInitThreadTCB, Label::TCBSetPriority, {50}, {kCapInitThreadTCB}).label(), 0u);
  EXPECT_EQ(ks.cur_thread, th);
  EXPECT_EQ(th->state, ThreadState::Running);
  EXPECT_EQ(th->context.regs[NextIP], 0x400000u);
  EXPECT_EQ(th->context.regs[X0], 0u);
  EXPECT_TRUE(k.root()->queued);
}

TEST_F(ThreadTest, ResumingAHigherPriorityThreadPreemptsTheCaller) {
  const word_t t = make_thread(200);
  ASSERT_EQ(call(kCapInitThreadTCB, Label::TCBSetPriority, {150}, {kCapInitThreadTCB}).label(), 0u);
  const auto r = start(t, 0x400000, 42);
  EXPECT_EQ(r.label(), 0u);  // the caller's reply is written before the switch
  EXPECT_EQ(ks.cur_thread, k.thread_at(t));
  EXPECT_EQ(k.thread_at(t)->context.regs[X0], 42u);
  EXPECT_EQ(ks.ready_queues[0][150].head, k.root());
}

TEST_F(ThreadTest, PrioritiesAreCheckedAgainstTheAuthoritysMcp) {
  const word_t t = k.retype(ObjectType::TCB);  // priority 0, MCP 0
  auto r = call(kCapInitThreadTCB, Label::TCBSetPriority, {1}, {t});
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[2], 0u);
  EXPECT_EQ(r.x[3], 0u);  // the authority's MCP, not the caller's 255
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBSetPriority, {word_t{1} << 32}, {kCapInitThreadTCB}).label(),
            err(Error::RangeError));  // the whole word is compared
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBSetPriority, {1}, {kCapInitThreadCNode}).label(),
            err(Error::InvalidCapability));
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBSetSchedParams, {1}, {kCapInitThreadTCB}).label(),
            err(Error::TruncatedMessage));
  // Lowering one's own MCP cannot be undone with oneself as authority.
  ASSERT_EQ(call(kCapInitThreadTCB, Label::TCBSetMCPriority, {100}, {kCapInitThreadTCB}).label(), 0u);
  r = call(kCapInitThreadTCB, Label::TCBSetMCPriority, {101}, {kCapInitThreadTCB});
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[3], 100u);
  // SetSchedParams stores the MCP first and does not clamp the priority to it.
  ASSERT_EQ(call(t, Label::TCBSetSchedParams, {10, 90}, {kCapInitThreadTCB}).label(), 0u);
  EXPECT_EQ(k.thread_at(t)->mcp, 10u);
  EXPECT_EQ(k.thread_at(t)->priority, 90u);
}

TEST_F(ThreadTest, EqualPrioritiesShareTheCpuByTimeSlices) {
  const word_t t = make_thread(255);
  ASSERT_EQ(start(t, 0x400000).label(), 0u);
  for (unsigned i = 1; i < config::kTimeSliceTicks; ++i) {
    k.tick();
    EXPECT_EQ(ks.cur_thread, k.root()) << "tick " << i;
  }
  k.tick();
  EXPECT_EQ(ks.cur_thread, k.thread_at(t));
  EXPECT_EQ(k.root()->time_slice, config::kTimeSliceTicks);
  EXPECT_EQ(ks.ready_queues[0][255].tail, k.root());
  for (unsigned i = 0; i < config::kTimeSliceTicks; ++i) k.tick();
  EXPECT_EQ(ks.cur_thread, k.root());
}

TEST_F(ThreadTest, YieldHandsOverToAnEqualPriorityThreadOnly) {
  const word_t lo = make_thread(10);
  ASSERT_EQ(start(lo, 0x400000).label(), 0u);
  const auto alone = k.syscall(-7, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(ks.cur_thread, k.root());  // a lower priority never gets the turn
  EXPECT_EQ(alone.x[0], 1u);
  EXPECT_EQ(alone.x[5], 6u);  // Yield writes no register
  const word_t peer = make_thread(255);
  ASSERT_EQ(start(peer, 0x400000).label(), 0u);
  k.syscall(-7, {});
  EXPECT_EQ(ks.cur_thread, k.thread_at(peer));
}

TEST_F(ThreadTest, SuspendStopsAThreadAndResumeRestartsItsSyscall) {
  const word_t t = make_thread(255);
  ASSERT_EQ(start(t, 0x400000).label(), 0u);
  ASSERT_EQ(call(t, Label::TCBSuspend, {}).label(), 0u);
  Tcb* th = k.thread_at(t);
  EXPECT_EQ(th->state, ThreadState::Inactive);
  EXPECT_FALSE(th->queued);
  ASSERT_EQ(call(kCapInitThreadTCB, Label::TCBResume, {}).label(), 0u);  // self: a no-op
  ASSERT_EQ(call(t, Label::TCBResume, {}).label(), 0u);
  EXPECT_EQ(th->state, ThreadState::Restart);
  EXPECT_EQ(ks.ready_queues[0][255].head, th);
}

TEST_F(ThreadTest, ASuspendedCallerGetsNoReply) {
  const word_t t = make_thread(1);
  ASSERT_EQ(start(t, 0x400000).label(), 0u);
  const auto r = call(kCapInitThreadTCB, Label::TCBSuspend, {});
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
  EXPECT_EQ(r.x[0], word_t(kCapInitThreadTCB));  // x0 untouched: no reply was written
  EXPECT_EQ(ks.cur_thread, k.thread_at(t));
}

TEST_F(ThreadTest, ReadRegistersReturnsTheContextInSeL4Order) {
  const word_t t = make_thread(1);
  Tcb* th = k.thread_at(t);
  for (unsigned i = 0; i < kNumContextRegs; ++i) th->context.regs[i] = 1000 + i;
  const auto r = call(t, Label::TCBReadRegisters, {0, kUserContextWords});
  ASSERT_EQ(r.label(), 0u);
  EXPECT_EQ(r.info().length, kUserContextWords);
  EXPECT_EQ(k.mr(0, r), 1000u + FaultIP);  // pc is the restart PC
  EXPECT_EQ(k.mr(1, r), 1000u + SP_EL0);
  EXPECT_EQ(k.mr(3, r), 1000u + X0);
  EXPECT_EQ(k.mr(12, r), 1000u + X16);
  EXPECT_EQ(k.mr(17, r), 1000u + X9);
  EXPECT_EQ(k.mr(34, r), 1000u + TPIDR_EL0);
  EXPECT_EQ(k.mr(35, r), 1000u + TPIDRRO_EL0);
  auto range = call(t, Label::TCBReadRegisters, {0, 37});
  EXPECT_EQ(range.label(), err(Error::RangeError));
  EXPECT_EQ(range.x[2], 1u);
  EXPECT_EQ(range.x[3], 36u);
  EXPECT_EQ(call(t, Label::TCBReadRegisters, {0, 0}).label(), err(Error::RangeError));
  EXPECT_EQ(call(t, Label::TCBReadRegisters, {0}).label(), err(Error::TruncatedMessage));
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBReadRegisters, {0, 1}).label(), err(Error::IllegalOperation));
}

TEST_F(ThreadTest, WriteRegistersSanitisesTheSpsrAndMovesTheResumePoint) {
  const word_t t = make_thread(1);
  ASSERT_EQ(call(t, Label::TCBWriteRegisters, {0, 3, 0x1234, 0x8000, 0xffffffffffffffff}).label(), 0u);
  const Tcb* th = k.thread_at(t);
  EXPECT_EQ(th->context.regs[SPSR_EL1], 0xf0000000u | kPstateUser);
  EXPECT_EQ(th->context.regs[NextIP], 0x1234u);
  EXPECT_EQ(th->state, ThreadState::Inactive);  // no resume asked for
  EXPECT_EQ(call(t, Label::TCBWriteRegisters, {0, 3, 1, 2}).label(), err(Error::TruncatedMessage));
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBWriteRegisters, {0, 0}).label(), err(Error::IllegalOperation));
}

TEST_F(ThreadTest, CopyRegistersMovesTheGroupsAskedFor) {
  const word_t a = make_thread(1), b = make_thread(1);
  Tcb* src = k.thread_at(a);
  Tcb* dst = k.thread_at(b);
  for (unsigned i = 0; i < kNumContextRegs; ++i) src->context.regs[i] = 500 + i;
  ASSERT_EQ(call(b, Label::TCBCopyRegisters, {4}, {a}).label(), 0u);  // frame registers only
  EXPECT_EQ(dst->context.regs[X0], 500u + X0);
  EXPECT_EQ(dst->context.regs[NextIP], 500u + FaultIP);
  EXPECT_EQ(dst->context.regs[SPSR_EL1], 500u + SPSR_EL1);  // copied raw
  EXPECT_EQ(dst->context.regs[X9], 0u);
  ASSERT_EQ(call(b, Label::TCBCopyRegisters, {8 | 2}, {a}).label(), 0u);  // integer, and resume
  EXPECT_EQ(dst->context.regs[X9], 500u + X9);
  EXPECT_EQ(dst->state, ThreadState::Restart);
  EXPECT_EQ(call(b, Label::TCBCopyRegisters, {8}, {kCapInitThreadCNode}).label(),
            err(Error::InvalidCapability));
  EXPECT_EQ(call(b, Label::TCBCopyRegisters, {8}).label(), err(Error::TruncatedMessage));
}

TEST_F(ThreadTest, SetFlagsRepliesWithTheNewFlagsAndSetTlsBaseWritesTpidr) {
  auto flags = [&](word_t clear, word_t set) {
    const auto r = call(kCapInitThreadTCB, Label::TCBSetFlags, {clear, set});
    EXPECT_EQ(r.label(), 0u);
    EXPECT_EQ(r.info().length, 1u);
    return r.x[2];
  };
  EXPECT_EQ(flags(0, 0), 0u);
  EXPECT_EQ(flags(0, 1 | 2), 1u);  // bits outside the mask are dropped
  EXPECT_EQ(flags(1, 0), 0u);
  EXPECT_EQ(flags(1, 1), 1u);  // set wins over clear
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBSetFlags, {0}).label(), err(Error::TruncatedMessage));
  const word_t t = make_thread(1);
  ASSERT_EQ(call(t, Label::TCBSetTLSBase, {0xabc}).label(), 0u);
  EXPECT_EQ(k.thread_at(t)->context.regs[TPIDR_EL0], 0xabcu);
}

TEST_F(ThreadTest, BindingANotificationFollowsSeL4sChecks) {
  const word_t n = k.retype(ObjectType::Notification);
  const word_t t = k.retype(ObjectType::TCB);
  EXPECT_EQ(call(t, Label::TCBBindNotification, {}).label(), err(Error::TruncatedMessage));
  EXPECT_EQ(call(t, Label::TCBBindNotification, {}, {kCapInitThreadTCB}).label(),
            err(Error::IllegalOperation));
  EXPECT_EQ(call(t, Label::TCBUnbindNotification, {}).label(), err(Error::IllegalOperation));
  ASSERT_EQ(call(t, Label::TCBBindNotification, {}, {n}).label(), 0u);
  EXPECT_EQ(k.thread_at(t)->bound_notification, NotificationCap{k.root_cap(n)}.ptr());
  EXPECT_EQ(call(t, Label::TCBBindNotification, {}, {n}).label(), err(Error::IllegalOperation));  // bound
  EXPECT_EQ(call(kCapInitThreadTCB, Label::TCBBindNotification, {}, {n}).label(),
            err(Error::IllegalOperation));  // the notification is bound to another
  // Deleting the notification unbinds the thread.
  ASSERT_EQ(call(kCapInitThreadCNode, Label::CNodeDelete, {n, 64}).label(), 0u);
  EXPECT_EQ(k.thread_at(t)->bound_notification, 0u);
}

TEST_F(ThreadTest, DeletingAQueuedThreadTakesItOffItsQueue) {
  const word_t t = make_thread(10);
  ASSERT_EQ(start(t, 0x400000).label(), 0u);
  ASSERT_TRUE(k.thread_at(t)->queued);
  Tcb* th = k.thread_at(t);
  ASSERT_EQ(call(kCapInitThreadCNode, Label::CNodeDelete, {t, 64}).label(), 0u);
  EXPECT_FALSE(host::read_raw(th->queued));  // the TCB is dead: its memory is poisoned
  EXPECT_EQ(ks.ready_queues[0][10].head, nullptr);
  EXPECT_EQ(ks.ready_l1[0], 0u);
}

}  // namespace
}  // namespace keel
