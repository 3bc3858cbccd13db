// The kernel built as a release kernel (KEEL_DEBUG_BUILD=0, seL4's KernelDebugBuild off): every
// debug syscall number is an unknown syscall, delivered as an UnknownSyscall fault carrying the
// number, or stopping a thread without a fault handler; nothing halts, prints or names threads.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/core/kernel_state.h"

namespace keel {
namespace {

static_assert(!config::kDebugBuild && !config::kPrinting, "this test binary is built as a release kernel");

constexpr sword_t sys(Syscall s) { return static_cast<sword_t>(s); }
constexpr word_t info(word_t label, word_t length) { return MessageInfo{label, 0, 0, length}.to_word(); }

constexpr Syscall kDebugSyscalls[] = {Syscall::DebugPutChar,  Syscall::DebugDumpScheduler,
                                      Syscall::DebugHalt,     Syscall::DebugCapIdentify,
                                      Syscall::DebugSnapshot, Syscall::DebugNameThread};

// The root task handles the faults of a priority-100 thread (fault handler: badge 0x5a).
class ReleaseKernel : public ::testing::Test {
 protected:
  host::HostKernel k;
  word_t ep = k.retype(ObjectType::Endpoint);
  word_t handler = k.retype(ObjectType::Endpoint);
  word_t t_slot = k.new_thread(100);
  Tcb* t = nullptr;
  word_t* buf = k.ipc_buffer();

  void SetUp() override {
    ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {handler, 64}).label(), 0u);
    ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeMint), {handler, 64, ep, 64, 0xf, 0x5a},
                     {kCapInitThreadCNode})
                  .label(),
              0u);
    ASSERT_EQ(k.call(t_slot, word_t(Label::TCBSetSpace), {handler, 0, 0},
                     {kCapInitThreadCNode, kCapInitThreadVSpace})
                  .label(),
              0u);
    k.start_thread(t_slot, 0x400000);
    t = k.thread_at(t_slot);
  }
  word_t mr(unsigned i) { return i < 4 ? k.root()->context.regs[X2 + i] : buf[ipc_buffer::kMsg + i]; }
};

TEST_F(ReleaseKernel, EachDebugSyscallIsAnUnknownSyscallFault) {
  for (const Syscall s : kDebugSyscalls) {
    SCOPED_TRACE(sys(s));
    k.syscall(sys(Syscall::Recv), {ep});
    ASSERT_EQ(ks.cur_thread, t);
    // x0 = a TCB cap, so a DebugNameThread that ran would name it; x1 = 'x' for DebugPutChar.
    k.syscall(t, sys(s), {t_slot, 'x', 2, 3, 4, 5});
    ASSERT_EQ(ks.cur_thread, k.root());
    EXPECT_EQ(t->state, ThreadState::BlockedOnReply);
    EXPECT_EQ(k.root()->context.regs[X0], 0x5au);
    EXPECT_EQ(k.root()->context.regs[X1], info(word_t(FaultType::UnknownSyscall), 13));
    EXPECT_EQ(mr(0), t_slot);
    EXPECT_EQ(mr(12), word_t(sys(s)));
    // The reply resumes the thread past the svc, as for any unknown syscall.
    buf[ipc_buffer::kMsg + 8] = mr(10);
    k.syscall(sys(Syscall::Reply), {0, info(0, 12), 0x600d, 0, 0, 0});
    EXPECT_EQ(t->state, ThreadState::Restart);
    EXPECT_EQ(t->context.regs[X0], 0x600du);
  }
  EXPECT_FALSE(k.halted());
  EXPECT_EQ(t->name[0], '\0');               // not named
  EXPECT_TRUE(k.machine().console.empty());  // nothing printed, not even the boot lines
}

TEST(ReleaseKernelRoot, EachDebugSyscallStopsARootWithoutFaultHandlerAndTheKernelRuns) {
  for (const Syscall s : kDebugSyscalls) {
    SCOPED_TRACE(sys(s));
    host::HostKernel k;
    k.syscall(sys(s), {kCapInitThreadTCB, 'x'});
    EXPECT_FALSE(k.halted());
    EXPECT_EQ(k.root()->state, ThreadState::Inactive);
    EXPECT_EQ(ks.cur_thread, ks.idle_thread);
    EXPECT_TRUE(k.machine().console.empty());
  }
}

}  // namespace
}  // namespace keel
