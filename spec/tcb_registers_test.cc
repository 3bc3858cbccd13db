// Thread register invocations (threads.md §1.1-1.3, §1.10, §1.11): every error in seL4's order
// with its words, the seL4_UserContext round trip, sanitising, restart points, CopyRegisters bit
// by bit, SetTLSBase and SetFlags.
#include "test_support.h"

namespace keel::spec::test {
namespace {

using W = std::vector<word_t>;
constexpr cptr_t kT = kFirstFree;  // a second thread's cap

Reply read(World& w, cptr_t tcb, const W& mrs) { return w.call(tcb, Label::TCBReadRegisters, mrs); }
Reply write(World& w, cptr_t tcb, const W& mrs) { return w.call(tcb, Label::TCBWriteRegisters, mrs); }
Reply copy_regs(World& w, cptr_t dest, word_t flags, cptr_t src) {
  return w.call(dest, Label::TCBCopyRegisters, {flags}, {src});
}

// 36 context words, all different; the SPSR word has every bit set.
W context() {
  W c;
  for (word_t i = 0; i < kNumContextRegs; ++i) c.push_back(0x1000 + i);
  c[kRegSpsr] = ~word_t{0};
  return c;
}
W write_message(word_t flags, const W& words) {
  W m{flags, words.size()};
  m.insert(m.end(), words.begin(), words.end());
  return m;
}
void drop_ipc_buffer(World& w) { w.s.slots.erase(SlotRef{kRootTcb, kTcbBuffer}); }

TEST(TcbReadRegisters, DecodeOrderAndErrorWords) {
  World w;
  w.new_thread(kT);
  const State before = w.s;
  EXPECT_EQ(read(w, kT, {}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(read(w, kT, {0}).label, err(Error::TruncatedMessage));
  for (word_t n : {word_t{0}, word_t{37}, word_t{1} << 63}) {
    Reply r = read(w, kT, {0, n});
    EXPECT_EQ(r.label, err(Error::RangeError)) << n;
    EXPECT_EQ(r.words, (W{1, 36}));
  }
  // The count is checked before the target is compared with the caller.
  EXPECT_EQ(read(w, kCapInitThreadTCB, {0, 0}).label, err(Error::RangeError));
  EXPECT_EQ(read(w, kCapInitThreadTCB, {0, 1}).label, err(Error::IllegalOperation));
  EXPECT_EQ(read(w, kCapInitThreadTCB, {1, 1}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(TcbReadRegisters, ANewThreadReadsAsZerosWithTheUserSpsr) {
  World w;
  const paddr_t t = w.new_thread(kT);
  W expected(kNumContextRegs, 0);
  expected[kRegSpsr] = kPstateUser;
  Reply r = read(w, kT, {0xff00, 36});  // the arch flags are ignored
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.length, 36u);
  EXPECT_EQ(r.words, expected);
  EXPECT_EQ(read(w, kT, {0, 3}).words, (W{0, 0, kPstateUser}));
  EXPECT_EQ(w.thread(t).state, ThreadState::Inactive);
}

TEST(TcbReadRegisters, WithoutAWritableBufferTheReplyStopsAtFourWords) {
  World w;
  w.new_thread(kT);
  w.s.slots.at(SlotRef{kRootTcb, kTcbBuffer}).cap.vm_rights = VmRights::ReadOnly;
  Reply r = read(w, kT, {0, 36});
  EXPECT_EQ(r.length, 4u);
  EXPECT_EQ(r.words, (W{0, 0, kPstateUser, 0}));
  EXPECT_EQ(read(w, kT, {0, 3}).length, 3u);
  drop_ipc_buffer(w);
  EXPECT_EQ(read(w, kT, {0, 36}).length, 4u);
  // Send: nothing is written back.
  SyscallResult s = w.syscall(Syscall::Send, kT, static_cast<word_t>(Label::TCBReadRegisters), {0, 36});
  EXPECT_EQ(s.regs[1], (MessageInfo{2, 0, 0, 2}.to_word()));
  EXPECT_EQ(s.regs[3], 36u);
}

// threads.md §1.1, §1.12: a thread between syscalls reads pc = its svc (FaultIP) unless the read
// suspends it first, which moves its restart point to NextIP.
TEST(TcbReadRegisters, SuspendingFirstReadsTheNextInstruction) {
  World w;
  const paddr_t t = w.thread_between_syscalls(kT);
  EXPECT_EQ(read(w, kT, {0, 1}).words, W{0});
  EXPECT_EQ(w.thread(t).state, ThreadState::Running);
  EXPECT_EQ(read(w, kT, {1, 1}).words, W{4});
  EXPECT_EQ(w.thread(t).state, ThreadState::Inactive);
  EXPECT_TRUE(w.queue(10).empty());
}

TEST(TcbWriteRegisters, DecodeOrder) {
  World w;
  w.new_thread(kT);
  const State before = w.s;
  EXPECT_EQ(write(w, kT, {}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(write(w, kT, {0}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(write(w, kT, {0, 3, 1, 2}).label, err(Error::TruncatedMessage));  // 2 words for 3
  EXPECT_EQ(write(w, kT, {0, ~word_t{0}, 1, 2}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(write(w, kCapInitThreadTCB, {0, 1}).label, err(Error::TruncatedMessage));  // before self
  EXPECT_EQ(write(w, kCapInitThreadTCB, {0, 0}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.changed_since(before), "");
  // Without an IPC buffer the message is four words long: at most two registers.
  drop_ipc_buffer(w);
  EXPECT_EQ(write(w, kT, {0, 3, 1, 2, 3}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(write(w, kT, {0, 2, 1, 2}).label, kOk);
}

TEST(TcbWriteRegisters, RoundTripWithTheSpsrSanitised) {
  World w;
  const paddr_t t = w.new_thread(kT);
  const W c = context();
  ASSERT_EQ(write(w, kT, write_message(0, c)).label, kOk);
  W expected = c;
  expected[kRegSpsr] = 0xF000'0040;  // NZCV kept, EL0t with only F masked
  Reply r = read(w, kT, {0, 36});
  EXPECT_EQ(r.words, expected);
  EXPECT_EQ(w.thread(t).next_ip, c[kRegPc]);
  EXPECT_EQ(w.thread(t).state, ThreadState::Inactive);  // no resume bit
  EXPECT_EQ(w.thread(t).regs[reg_index_of_x(30)], c[16]);
  EXPECT_EQ(w.thread(t).regs[kRegTpidrroEl0], c[35]);
}

TEST(TcbWriteRegisters, OnlyTheSpsrIsSanitised) {
  World w;
  const paddr_t t = w.new_thread(kT);
  const word_t kernel_pc = 0xffff'0000'0000'0000;
  for (auto [spsr, want] :
       {std::pair<word_t, word_t>{0, 0x40}, {0x3c5, 0x40}, {0xa000'0000, 0xa000'0040}, {0x0020'0200, 0x40}}) {
    ASSERT_EQ(write(w, kT, {0, 3, kernel_pc, 1, spsr}).label, kOk);
    EXPECT_EQ(w.thread(t).regs[kRegSpsr], want) << spsr;
  }
  EXPECT_EQ(w.thread(t).regs[kRegPc], kernel_pc);  // taken as written: it faults later
  EXPECT_EQ(w.thread(t).regs[kRegSp], 1u);
}

TEST(TcbWriteRegisters, ACountAbove36IsClamped) {
  World w;
  const paddr_t t = w.new_thread(kT);
  W words = context();
  words.insert(words.end(), {7, 7, 7, 7});
  ASSERT_EQ(write(w, kT, write_message(0, words)).label, kOk);
  EXPECT_EQ(w.thread(t).regs[kRegTpidrroEl0], 0x1000u + 35);
}

// threads.md §1.2: NextIP := FaultIP even when nothing is written.
TEST(TcbWriteRegisters, CountZeroRewindsToTheSvc) {
  World w;
  const paddr_t t = w.thread_between_syscalls(kT);
  ASSERT_EQ(w.thread(t).next_ip, 4u);
  ASSERT_EQ(write(w, kT, {0, 0}).label, kOk);
  EXPECT_EQ(w.thread(t).next_ip, 0u);
  EXPECT_EQ(w.thread(t).state, ThreadState::Running);  // no resume, no suspend
}

// sel4test REGRESSIONS0001: a thread started by WriteRegisters(resume) begins exactly there.
TEST(TcbWriteRegisters, ResumeStartsTheThreadAtTheWrittenPc) {
  World w;
  ASSERT_EQ(w.call(kCapInitThreadTCB, Label::TCBSetPriority, {100}, {kCapInitThreadTCB}).label, kOk);
  const paddr_t lo = w.configured_thread(kT, 10);
  ASSERT_EQ(write(w, kT, {1, 1, 0x3000}).label, kOk);
  EXPECT_EQ(w.thread(lo).state, ThreadState::Restart);
  EXPECT_EQ(w.queue(10), std::vector<paddr_t>{lo});
  EXPECT_NE(w.s.slot_at(SlotRef{lo, kTcbReply}), nullptr);
  const paddr_t hi = w.configured_thread(kT + 1, 200);
  ASSERT_EQ(write(w, kT + 1, {1, 3, 0x5000, 1, 0}).label, kOk);
  EXPECT_EQ(w.s.cur_thread, hi);
  EXPECT_EQ(w.thread(hi).next_ip, 0x5000u);
  EXPECT_EQ(w.thread(hi).regs[kRegSp], 1u);
  EXPECT_EQ(w.thread(hi).regs[kRegSpsr], kPstateUser);
}

TEST(TcbCopyRegisters, DecodeOrder) {
  World w;
  w.new_thread(kT);
  const State before = w.s;
  EXPECT_EQ(w.call(kT, Label::TCBCopyRegisters, {}, {kCapInitThreadCNode}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(w.call(kT, Label::TCBCopyRegisters, {0xf}, {}).label, err(Error::TruncatedMessage));
  Reply r = copy_regs(w, kT, 0xf, kCapInitThreadCNode);
  EXPECT_EQ(r.label, err(Error::InvalidCapability));
  EXPECT_EQ(r.words, W{1});
  EXPECT_EQ(w.changed_since(before), "");
  // No self checks: the caller may copy itself onto itself.
  EXPECT_EQ(copy_regs(w, kCapInitThreadTCB, 0, kCapInitThreadTCB).label, kOk);
}

TEST(TcbCopyRegisters, FrameAndIntegerRegistersSeparately) {
  World w;
  const paddr_t src = w.new_thread(kT), dest = w.new_thread(kT + 1);
  ASSERT_EQ(write(w, kT, write_message(0, context())).label, kOk);
  w.thread(src).regs[kRegSpsr] = 0x3c5;  // forged: the copy is raw, whatever the source holds
  ASSERT_EQ(copy_regs(w, kT + 1, 4, kT).label, kOk);
  const Thread& d = w.thread(dest);
  for (unsigned i = 0; i < kNumContextRegs; ++i)
    EXPECT_EQ(d.regs[i], i < kNumFrameRegs ? w.thread(src).regs[i] : 0) << i;
  EXPECT_EQ(d.regs[kRegSpsr], 0x3c5u);
  EXPECT_EQ(d.next_ip, 0x1000u);  // NextIP := the copied FaultIP
  EXPECT_EQ(d.state, ThreadState::Inactive);
  const paddr_t dest2 = w.new_thread(kT + 2);
  ASSERT_EQ(copy_regs(w, kT + 2, 8, kT).label, kOk);
  for (unsigned i = 0; i < kNumContextRegs; ++i)
    EXPECT_EQ(w.thread(dest2).regs[i],
              i < kNumFrameRegs ? (i == kRegSpsr ? kPstateUser : 0) : w.thread(src).regs[i])
        << i;
  EXPECT_EQ(w.thread(dest2).next_ip, 0u);
}

TEST(TcbCopyRegisters, SuspendTheSourceThenResumeTheDestination) {
  World w;
  const paddr_t src = w.runnable_thread(kT, 10);
  const paddr_t dest = w.new_thread(kT + 1);
  ASSERT_EQ(copy_regs(w, kT + 1, 1, kT).label, kOk);
  EXPECT_EQ(w.thread(src).state, ThreadState::Inactive);
  EXPECT_TRUE(w.queue(10).empty());
  EXPECT_EQ(w.thread(dest).state, ThreadState::Inactive);
  ASSERT_EQ(copy_regs(w, kT + 1, 2, kT).label, kOk);
  EXPECT_EQ(w.thread(dest).state, ThreadState::Restart);
  EXPECT_EQ(w.queue(0), std::vector<paddr_t>{dest});
  // Suspend and resume of one thread in one call: it ends up restarted.
  ASSERT_EQ(copy_regs(w, kT, 3, kT).label, kOk);
  EXPECT_EQ(w.thread(src).state, ThreadState::Restart);
}

TEST(TcbCopyRegisters, SuspendingTheCallerAsSourceGivesNoReply) {
  World w;
  const paddr_t t = w.runnable_thread(kT, 10);
  SyscallResult r =
      w.syscall(Syscall::Call, kT, static_cast<word_t>(Label::TCBCopyRegisters), {1}, {kCapInitThreadTCB});
  EXPECT_EQ(r.outcome, Outcome::Stopped);
  EXPECT_EQ(r.regs[0], kT);
  EXPECT_EQ(w.thread(kRootTcb).state, ThreadState::Inactive);
  EXPECT_EQ(w.s.cur_thread, t);
}

// threads.md §1.3: copying into the caller, whose reply then overwrites x0 and x1 only.
TEST(TcbCopyRegisters, IntoTheCallerTheReplyOverwritesX0AndX1) {
  World w;
  const paddr_t src = w.new_thread(kT);
  ASSERT_EQ(write(w, kT, write_message(0, context())).label, kOk);
  SyscallResult r =
      w.syscall(Syscall::Call, kCapInitThreadTCB, static_cast<word_t>(Label::TCBCopyRegisters), {4}, {kT});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[1], 0u);
  for (unsigned i = 2; i < 8; ++i) EXPECT_EQ(r.regs[i], w.x(src, i)) << i;
  EXPECT_EQ(w.thread(kRootTcb).next_ip, 0x1000u);  // it goes on at the copied pc
  EXPECT_EQ(w.thread(kRootTcb).regs[kRegSp], 0x1001u);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
}

TEST(TcbSetTlsBase, WritesTpidrEl0) {
  World w;
  const paddr_t t = w.new_thread(kT);
  const State before = w.s;
  EXPECT_EQ(w.call(kT, Label::TCBSetTLSBase, {}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(w.changed_since(before), "");
  // sel4utils starts a thread with WriteRegisters and then SetTLSBase: the latter wins.
  ASSERT_EQ(write(w, kT, write_message(0, context())).label, kOk);
  ASSERT_EQ(w.call(kT, Label::TCBSetTLSBase, {0xabc}).label, kOk);
  EXPECT_EQ(w.thread(t).regs[kRegTpidrEl0], 0xabcu);
  EXPECT_EQ(w.thread(t).regs[kRegTpidrroEl0], 0x1000u + 35);
  ASSERT_EQ(w.call(kCapInitThreadTCB, Label::TCBSetTLSBase, {0x77}).label, kOk);
  EXPECT_EQ(w.thread(kRootTcb).regs[kRegTpidrEl0], 0x77u);
  EXPECT_EQ(w.s.cur_thread, kRootTcb);
}

// sel4test FPU0003: the reply is the new flags; setting wins over clearing; unknown bits drop.
TEST(TcbSetFlags, RepliesWithTheNewFlags) {
  World w;
  const State before = w.s;
  EXPECT_EQ(w.call(kCapInitThreadTCB, Label::TCBSetFlags, {0}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(w.changed_since(before), "");
  auto set_flags = [&](word_t clear, word_t set) {
    return w.call(kCapInitThreadTCB, Label::TCBSetFlags, {clear, set});
  };
  Reply r = set_flags(0, 0);
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.words, W{0});
  EXPECT_EQ(set_flags(0, 1).words, W{1});
  EXPECT_EQ(w.thread(kRootTcb).flags, kTcbFlagFpuDisabled);
  EXPECT_EQ(set_flags(1, 0).words, W{0});
  EXPECT_EQ(set_flags(0, ~word_t{0}).words, W{1});
  EXPECT_EQ(set_flags(1, 1).words, W{1});
  EXPECT_EQ(set_flags(~word_t{0}, 0).words, W{0});
  // On another thread, and with Send (nothing written back, the flags still change).
  const paddr_t t = w.new_thread(kT);
  SyscallResult s = w.syscall(Syscall::Send, kT, static_cast<word_t>(Label::TCBSetFlags), {0, 1});
  EXPECT_EQ(s.regs[1], (MessageInfo{16, 0, 0, 2}.to_word()));
  EXPECT_EQ(w.thread(t).flags, 1u);
}

}  // namespace
}  // namespace keel::spec::test
