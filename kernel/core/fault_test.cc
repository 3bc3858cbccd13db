// Fault delivery through the syscall and exception paths on the host: the fault messages of
// each fault type, fault replies that restart or stop the thread, queued faults, double faults
// and cancelling a thread that waits for its fault's reply (docs/sel4-facts/ipc.md §5).
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/core/entry.h"
#include "kernel/core/kernel_state.h"

namespace keel {
namespace {

constexpr sword_t sys(Syscall s) { return static_cast<sword_t>(s); }
constexpr word_t info(word_t label, word_t length) { return MessageInfo{label, 0, 0, length}.to_word(); }

// The root task handles the faults of a priority-100 thread whose fault handler is the root's
// endpoint (badge 0x5a through a minted cap).
class FaultTest : public ::testing::Test {
 protected:
  host::HostKernel k;
  word_t ep = k.retype(ObjectType::Endpoint);
  word_t handler = k.retype(ObjectType::Endpoint);
  word_t t_slot = k.new_thread(100);
  Tcb* t = nullptr;
  word_t* buf = k.ipc_buffer();

  void SetUp() override {
    mint(handler, ep, 0xf, 0x5a);
    set_fault_handler(handler);
    k.start_thread(t_slot, 0x400000);
    t = k.thread_at(t_slot);
  }
  void mint(word_t dest, word_t src, word_t rights, word_t badge) {
    ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {dest, 64}).label(), 0u);
    ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeMint), {dest, 64, src, 64, rights, badge},
                     {kCapInitThreadCNode})
                  .label(),
              0u);
  }
  void set_fault_handler(cptr_t c) {
    ASSERT_EQ(
        k.call(t_slot, word_t(Label::TCBSetSpace), {c, 0, 0}, {kCapInitThreadCNode, kCapInitThreadVSpace})
            .label(),
        0u);
  }
  const word_t* root_regs() { return k.root()->context.regs; }
  word_t mr(unsigned i) { return i < 4 ? root_regs()[X2 + i] : buf[ipc_buffer::kMsg + i]; }
  // The root waits for the fault; t runs and raises an unknown syscall 0xc1 with x0..x5 set.
  void unknown_syscall_fault() {
    k.syscall(sys(Syscall::Recv), {ep});
    ASSERT_EQ(ks.cur_thread, t);
    k.syscall(t, 0xc1, {10, 11, 12, 13, 14, 15});
  }
  // The root replies with `label` and `words` (MR0..3 in registers, the rest in its buffer).
  void reply(word_t label, std::initializer_list<word_t> words) {
    std::array<word_t, 6> x{0, info(label, words.size())};
    word_t i = 0;
    for (word_t w : words) {
      if (i < 4)
        x[2 + i] = w;
      else
        buf[ipc_buffer::kMsg + i] = w;
      ++i;
    }
    k.syscall(sys(Syscall::Reply), x);
  }
};

TEST_F(FaultTest, AnUnknownSyscallSendsItsRegistersToTheHandler) {
  unknown_syscall_fault();
  ASSERT_EQ(ks.cur_thread, k.root());
  EXPECT_EQ(t->state, ThreadState::BlockedOnReply);
  EXPECT_EQ(root_regs()[X0], 0x5au);
  EXPECT_EQ(root_regs()[X1], info(2, 13));
  EXPECT_EQ(mr(0), 10u);
  EXPECT_EQ(mr(5), 15u);
  EXPECT_EQ(mr(8), t->context.regs[FaultIP]);  // the svc
  EXPECT_EQ(mr(10), t->context.regs[FaultIP] + 4);
  EXPECT_EQ(mr(11), t->context.regs[SPSR_EL1]);
  EXPECT_EQ(mr(12), 0xc1u);
}

TEST_F(FaultTest, AReplyWithLabelZeroSetsRegistersAndRestarts) {
  unknown_syscall_fault();
  const word_t svc = t->context.regs[FaultIP];
  // MR0 = new x0, MR8 = the restart PC past the svc, MR11 = an SPSR that must be sanitised.
  reply(0, {0x1234, 11, 12, 13, 14, 15, 16, 17, svc + 4, 0x8000, 0, 0xf00003c5});
  EXPECT_TRUE(k.root()->slot(kTcbCaller)->cap.is_null());
  EXPECT_EQ(t->state, ThreadState::Restart);
  EXPECT_TRUE(t->fault.is_null());
  EXPECT_EQ(t->context.regs[X0], 0x1234u);
  EXPECT_EQ(t->context.regs[FaultIP], svc + 4);
  EXPECT_EQ(t->context.regs[SP_EL0], 0x8000u);
  EXPECT_EQ(t->context.regs[SPSR_EL1], 0xf0000040u);
}

TEST_F(FaultTest, ANonZeroLabelLeavesTheThreadInactiveWithItsNewRegisters) {
  unknown_syscall_fault();
  reply(1, {0x99});
  EXPECT_EQ(t->state, ThreadState::Inactive);
  EXPECT_EQ(t->context.regs[X0], 0x99u);
}

TEST_F(FaultTest, AVmFaultSendsAddressKindAndStatus) {
  k.syscall(sys(Syscall::Recv), {ep});
  ASSERT_EQ(ks.cur_thread, t);
  t->context.regs[FaultIP] = t->context.regs[NextIP];  // as the entry code does for an abort
  handle_vm_fault(0x92000007, 0xdead000, false);
  EXPECT_EQ(root_regs()[X1], info(5, 4));
  EXPECT_EQ(mr(0), t->context.regs[FaultIP]);
  EXPECT_EQ(mr(1), 0xdead000u);
  EXPECT_EQ(mr(2), 0u);
  EXPECT_EQ(mr(3), 0x92000007u);
  reply(7, {});  // any label restarts a VM fault
  EXPECT_EQ(t->state, ThreadState::Restart);
}

TEST_F(FaultTest, AUserExceptionSendsPcSpSpsrAndTheSyndrome) {
  k.syscall(sys(Syscall::Recv), {ep});
  t->context.regs[FaultIP] = t->context.regs[NextIP];
  handle_user_exception(0x02000000, 0);
  EXPECT_EQ(root_regs()[X1], info(3, 5));
  EXPECT_EQ(mr(0), t->context.regs[FaultIP]);
  EXPECT_EQ(mr(3), 0x02000000u);
  EXPECT_EQ(mr(4), 0u);
}

TEST_F(FaultTest, AFaultWithNobodyWaitingQueuesOnTheHandlersEndpoint) {
  // The root is busy elsewhere: it waits on another endpoint, so t's fault queues.
  const word_t other = k.retype(ObjectType::Endpoint);
  k.syscall(sys(Syscall::Recv), {other});
  k.syscall(t, 0xc1, {1});
  EXPECT_EQ(t->state, ThreadState::BlockedOnSend);
  EXPECT_EQ(t->fault.type, FaultType::UnknownSyscall);
  EXPECT_TRUE(t->blocked.is_call);
  EXPECT_TRUE(t->blocked.can_grant_reply);
}

TEST_F(FaultTest, AHandlerCapWithoutGrantIsADoubleFault) {
  mint(handler, ep, 0x1, 0);  // Write only: no reply could be granted
  k.syscall(sys(Syscall::Recv), {ep});
  k.syscall(t, 0xc1, {});
  EXPECT_EQ(t->state, ThreadState::Inactive);
  EXPECT_TRUE(t->fault.is_null());
  EXPECT_NE(k.machine().console.find("no fault handler"), std::string::npos);
}

TEST_F(FaultTest, SuspendingAFaulterWaitingForItsReplyDropsFaultAndReplyCap) {
  unknown_syscall_fault();
  ASSERT_EQ(k.call(t_slot, word_t(Label::TCBSuspend), {}).label(), 0u);
  EXPECT_EQ(t->state, ThreadState::Inactive);
  EXPECT_TRUE(t->fault.is_null());
  EXPECT_TRUE(k.root()->slot(kTcbCaller)->cap.is_null());
}

}  // namespace
}  // namespace keel
