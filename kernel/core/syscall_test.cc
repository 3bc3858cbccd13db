// Host tests of the syscall path: debug syscalls, invoking bad caps, faults, error replies.
#include <gtest/gtest.h>

#include <cstring>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cap.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/entry.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/message.h"

namespace keel {
namespace {

using host::HostKernel;

constexpr sword_t sys(Syscall s) { return static_cast<sword_t>(s); }

TEST(DebugSyscall, PutCharPrintsTheLowByte) {
  HostKernel k;
  k.machine().console.clear();
  const auto r = k.syscall(sys(Syscall::DebugPutChar), {0x100 + 'k', 11, 22, 33, 44, 55});
  EXPECT_EQ(k.machine().console, "k");
  // No register is written by DebugPutChar.
  EXPECT_EQ(r.x[0], 0x100u + 'k');
  EXPECT_EQ(r.x[1], 11u);
  EXPECT_EQ(r.x[5], 55u);
}

TEST(DebugSyscall, CapIdentifyReturnsSeL4Tags) {
  HostKernel k;
  const word_t expected[] = {0, 12, 10, 9,  14, 11, 13, 0,
                             0, 1,  1,  20, 0,  0,  0,  config::kAllowSmcCalls ? 25u : 0u};
  for (word_t slot = 0; slot < 16; ++slot) {
    EXPECT_EQ(k.syscall(sys(Syscall::DebugCapIdentify), {slot}).x[0], expected[slot]) << slot;
  }
  // A CPtr whose guard bits are not zero fails to resolve: 0.
  EXPECT_EQ(k.syscall(sys(Syscall::DebugCapIdentify), {word_t{1} << 40}).x[0], 0u);
}

TEST(DebugSyscall, NameThreadRenamesTheTcb) {
  HostKernel k;
  std::memcpy(k.ipc_buffer() + 1, "alpha", 6);
  k.syscall(sys(Syscall::DebugNameThread), {kCapInitThreadTCB});
  EXPECT_STREQ(k.root()->name, "alpha");
  EXPECT_FALSE(k.halted());
}

TEST(DebugSyscall, NameThreadOnANonTcbHaltsAsSeL4Does) {
  HostKernel k;
  k.syscall(sys(Syscall::DebugNameThread), {kCapInitThreadCNode});
  EXPECT_TRUE(k.halted());
}

TEST(DebugSyscall, HaltPowersOff) {
  HostKernel k;
  k.syscall(sys(Syscall::DebugHalt), {});
  EXPECT_TRUE(k.halted());
}

TEST(Syscall, UnknownNumberStopsATaskWithoutFaultHandler) {
  HostKernel k;
  k.syscall(-100, {});
  EXPECT_NE(k.machine().console.find("unknown syscall fault"), std::string::npos);
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
  EXPECT_FALSE(k.halted());  // the kernel idles: an interrupt could still wake a thread
  EXPECT_EQ(ks.cur_thread, ks.idle_thread);
}

TEST(Syscall, InvokingAnEmptySlotIsInvalidCapability) {
  HostKernel k;
  const auto r = k.call(kCapNull, 1, {});
  EXPECT_EQ(r.label(), word_t(Error::InvalidCapability));
  EXPECT_EQ(r.info().length, 1u);
  EXPECT_EQ(r.x[2], 0u);  // the invoked cap
  EXPECT_EQ(r.x[0], 0u);
  const word_t first_empty = k.bootinfo()->empty.start;
  EXPECT_EQ(k.call(first_empty, 1, {}).label(), word_t(Error::InvalidCapability));
}

TEST(Syscall, CallOnAnUnresolvableCptrIsACapFault) {
  HostKernel k;
  k.call(word_t{1} << 40, 1, {});
  EXPECT_NE(k.machine().console.find("cap fault"), std::string::npos);
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
}

TEST(Syscall, NBSendOnAnUnresolvableCptrDoesNothing) {
  HostKernel k;
  const auto r = k.syscall(sys(Syscall::NBSend), {word_t{1} << 40, 0, 7, 8, 9, 10});
  EXPECT_EQ(k.root()->state, ThreadState::Running);
  EXPECT_EQ(r.x[2], 7u);
}

TEST(Syscall, SendGetsNoErrorReply) {
  HostKernel k;
  const auto r = k.syscall(sys(Syscall::Send), {kCapNull, MessageInfo{1, 0, 0, 0}.to_word(), 7});
  const word_t info = MessageInfo{1, 0, 0, 0}.to_word();
  EXPECT_EQ(r.x[1], info);
  EXPECT_EQ(r.x[2], 7u);
}

TEST(Message, FailedLookupWordsFollowSeL4) {
  HostKernel k;
  SyscallError e = SyscallError::failed_lookup(
      true, LookupFault{
                .type = LookupFailureType::GuardMismatch, .bits_left = 9, .bits_found = 3, .guard_found = 5});
  reply_error(k.root(), e);
  const word_t* regs = k.root()->context.regs;
  EXPECT_EQ(MessageInfo::from_word(regs[X1]).label, word_t(Error::FailedLookup));
  EXPECT_EQ(MessageInfo::from_word(regs[X1]).length, 5u);
  EXPECT_EQ(regs[X2], 1u);               // source
  EXPECT_EQ(regs[X3], 4u);               // seL4_GuardMismatch
  EXPECT_EQ(regs[X4], 9u);               // bits left
  EXPECT_EQ(regs[X5], 5u);               // guard found
  EXPECT_EQ(k.ipc_buffer()[1 + 4], 3u);  // bits found, in the IPC buffer
}

TEST(Message, ErrorWordsStopAtFourWithoutAnIpcBuffer) {
  HostKernel k;
  cte_delete_one(k.root()->slot(kTcbBuffer));
  reply_error(k.root(), SyscallError::failed_lookup(
                            false, LookupFault{.type = LookupFailureType::GuardMismatch, .bits_left = 1}));
  EXPECT_EQ(MessageInfo::from_word(k.root()->context.regs[X1]).length, 4u);
}

TEST(Message, RangeErrorCarriesBounds) {
  HostKernel k;
  reply_error(k.root(), SyscallError::range(1, 64));
  const word_t* regs = k.root()->context.regs;
  EXPECT_EQ(MessageInfo::from_word(regs[X1]).label, word_t(Error::RangeError));
  EXPECT_EQ(MessageInfo::from_word(regs[X1]).length, 2u);
  EXPECT_EQ(regs[X2], 1u);
  EXPECT_EQ(regs[X3], 64u);
}

}  // namespace
}  // namespace keel

namespace keel {
namespace {

// A long revoke stops at a preemption point when an interrupt is pending; the kernel takes
// the interrupt, the syscall restarts and finishes, and nothing is lost or done twice.
TEST(Preemption, PendingInterruptPreemptsRevokeWhichRestartsAndFinishes) {
  host::HostKernel k;
  const word_t first = k.bootinfo()->empty.start;
  constexpr word_t kCopies = 300;
  for (word_t i = 0; i < kCopies; ++i) {
    ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeCopy), {first + i, 64, kCapSMC, 64, 0xf},
                     {kCapInitThreadCNode})
                  .label(),
              0u);
  }
  k.machine().pending_irqs = {33};
  const auto r = k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {kCapSMC, 64});
  EXPECT_EQ(r.label(), 0u);
  EXPECT_GE(k.last_restarts, 1u);
  EXPECT_TRUE(k.machine().pending_irqs.empty());
  EXPECT_NE(k.machine().console.find("interrupt 33 has no handler"), std::string::npos);
  for (word_t i = 0; i < kCopies; ++i) EXPECT_EQ(k.syscall(-12, {first + i}).x[0], 0u) << i;
  EXPECT_EQ(k.syscall(-12, {kCapSMC}).x[0], 25u);
}

}  // namespace
}  // namespace keel

namespace keel {
namespace {

// Revoking the root CNode's original cap (slot 2) deletes the TCB's copy, which is the thread's
// CSpace root: the syscall completes, every later lookup fails, and the invariant check still
// finds the root CNode from what boot made.
TEST(Syscall, RevokingTheRootCNodeCapLeavesTheThreadWithoutACSpace) {
  host::HostKernel k;
  EXPECT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {kCapInitThreadCNode, 64}).label(), 0u);
  EXPECT_TRUE(k.root()->slot(kTcbCTable)->cap.is_null());
  EXPECT_EQ(k.syscall(-12, {kCapSMC}).x[0], 0u);
}

}  // namespace
}  // namespace keel

namespace keel {
namespace {

// Exceptions from user mode that are not syscalls are reported and stop the thread; the kernel
// itself carries on (here: idle, as nothing else can run).
TEST(UserException, UndefinedInstructionIsReportedNotFatalToTheKernel) {
  host::HostKernel k;
  handle_user_exception(0x02000000, 0);
  EXPECT_NE(k.machine().console.find("user exception fault in thread \"rootserver\""), std::string::npos);
  EXPECT_NE(k.machine().console.find("code 0x2000000"), std::string::npos);
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
  EXPECT_FALSE(k.halted());
  EXPECT_EQ(ks.cur_thread, ks.idle_thread);
}

TEST(UserException, DataAbortIsAVmFaultWithTheAddress) {
  host::HostKernel k;
  handle_vm_fault(0x92000007, 0xdead000, false);
  EXPECT_NE(k.machine().console.find("vm fault"), std::string::npos);
  EXPECT_NE(k.machine().console.find("address 0xdead000"), std::string::npos);
  EXPECT_EQ(k.root()->state, ThreadState::Inactive);
}

}  // namespace
}  // namespace keel
