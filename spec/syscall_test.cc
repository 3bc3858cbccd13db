// The syscall step: error-reply encoding, lookup faults, Send vs Call, debug syscalls and the
// "not specified yet" outcome.
#include "test_support.h"

namespace keel::spec::test {
namespace {

TEST(Syscall, InvokingAnEmptySlotIsInvalidCapabilityZero) {
  World w;
  Reply r = w.call(30, Label::CNodeCopy, {});
  EXPECT_EQ(r.label, err(Error::InvalidCapability));
  EXPECT_EQ(r.words, (std::vector<word_t>{0}));
}

TEST(Syscall, ErrorReplyWordsAndRegisters) {
  World w;
  SyscallResult r = w.syscall(Syscall::Call, kCapInitThreadCNode, static_cast<word_t>(Label::CNodeDelete),
                              {word_t{1} << 63, 64});
  EXPECT_EQ(r.regs[0], 0u);
  EXPECT_EQ(r.regs[1], (MessageInfo{err(Error::FailedLookup), 0, 0, 5}.to_word()));
  EXPECT_EQ((std::vector<word_t>{r.regs[2], r.regs[3], r.regs[4], r.regs[5], r.ipc_buffer[5]}),
            (std::vector<word_t>{0, 4, 64, 0, 52}));
  // Without a writable buffer the fifth word cannot be written: the length stops at 4.
  w.s.slots.at(SlotRef{kRootTcb, kTcbBuffer}).cap.vm_rights = VmRights::ReadOnly;
  r = w.syscall(Syscall::Call, kCapInitThreadCNode, static_cast<word_t>(Label::CNodeDelete),
                {word_t{1} << 63, 64});
  EXPECT_EQ(MessageInfo::from_word(r.regs[1]).length, 4u);
  EXPECT_EQ(r.ipc_buffer[5], 0u);
}

// The svc as seL4's entry sees it: FaultIP := NextIP (the svc), NextIP += 4, x0..x7 saved; the
// reply lands in the thread's registers, and what the result reports is those registers.
TEST(Syscall, EveryEntrySavesTheRestartPointAndX0ToX7) {
  World w;
  SyscallEvent e;
  e.regs = {'a', 2, 3, 4, 5, 6, 7, static_cast<word_t>(Syscall::DebugPutChar)};
  Step st = step(w.s, e);
  const Thread& t = *st.state.thread(kRootTcb);
  EXPECT_EQ(t.regs[kRegPc], kRootEntry);
  EXPECT_EQ(t.next_ip, kRootEntry + 4);
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(t.regs[reg_index_of_x(i)], e.regs[i]) << i;
  EXPECT_EQ(t.regs[reg_index_of_x(8)], 0u);  // the rest is untouched
  EXPECT_EQ(t.regs[kRegSpsr], kPstateUser);
  EXPECT_EQ(st.result.regs, e.regs);
  w.s = st.state;
  SyscallResult r =
      w.syscall(Syscall::Call, kCapInitThreadTCB, static_cast<word_t>(Label::TCBSetFlags), {0, 1});
  EXPECT_EQ(w.thread(kRootTcb).regs[kRegPc], kRootEntry + 4);
  EXPECT_EQ(w.x(kRootTcb, 0), 0u);
  EXPECT_EQ(w.x(kRootTcb, 1), (MessageInfo{0, 0, 0, 1}.to_word()));
  EXPECT_EQ(w.x(kRootTcb, 2), 1u);
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(r.regs[i], w.x(kRootTcb, i)) << i;
  // A step the spec does not describe changes nothing, registers included.
  const State before = w.s;
  EXPECT_EQ(w.syscall(Syscall::DebugDumpScheduler, 0, 0, {}).outcome, Outcome::NotSpecified);
  EXPECT_EQ(describe_difference(before, w.s), "");
}

TEST(Syscall, SendDropsErrorsAndLeavesRegistersAlone) {
  World w;
  SyscallResult r = w.syscall(Syscall::Send, 30, 0, {1, 2});
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.regs[1], (MessageInfo{0, 0, 0, 2}.to_word()));
  EXPECT_EQ(r.regs[2], 1u);
}

TEST(Syscall, UnresolvableCPtrOnCallIsACapFault) {
  World w;
  SyscallResult r = w.syscall(Syscall::Call, word_t{1} << 63, 0, {});
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  ASSERT_TRUE(r.fault.has_value());
  EXPECT_EQ(r.fault->kind, Fault::Kind::CapFault);
  EXPECT_EQ(r.fault->address, word_t{1} << 63);
  EXPECT_EQ(r.fault->lookup, LookupFault::guard_mismatch(64, 0, 52));
  EXPECT_EQ(w.s.thread(kRootTcb)->state, ThreadState::Inactive);  // no fault handler
  EXPECT_EQ(w.syscall(Syscall::DebugPutChar, 'x', 0, {}).outcome, Outcome::NotSpecified);
}

TEST(Syscall, NBSendDropsALookupFailure) {
  World w;
  State before = w.s;
  EXPECT_EQ(w.syscall(Syscall::NBSend, word_t{1} << 63, 0, {}).outcome, Outcome::Returned);
  EXPECT_EQ(w.changed_since(before), "");
}

TEST(Syscall, ExtraCapLookupFailureIsACapFaultOnThatCPtr) {
  World w;
  SyscallResult r = w.syscall(Syscall::Call, kCapInitThreadCNode, static_cast<word_t>(Label::CNodeCopy),
                              {30, 64, 31, 64, 15}, {word_t{1} << 62});
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  EXPECT_EQ(r.fault->address, word_t{1} << 62);
}

TEST(Syscall, DebugCapIdentifyReturnsTheTag) {
  World w;
  auto identify = [&](cptr_t c) { return w.syscall(Syscall::DebugCapIdentify, c, 0, {}).regs[0]; };
  EXPECT_EQ(identify(kCapSMC), 25u);
  EXPECT_EQ(identify(kCapInitThreadCNode), 10u);
  EXPECT_EQ(identify(kCapInitThreadTCB), 12u);
  EXPECT_EQ(identify(kCapUntyped), 2u);
  EXPECT_EQ(identify(kCapInitThreadIPCBuffer), 1u);
  EXPECT_EQ(identify(30), 0u);               // empty
  EXPECT_EQ(identify(word_t{1} << 63), 0u);  // lookup fails
}

TEST(Syscall, DebugPutCharAndHalt) {
  World w;
  SyscallResult r = w.syscall(Syscall::DebugPutChar, 0x141, 0, {});
  EXPECT_EQ(r.output, "A");
  EXPECT_EQ(r.regs[0], 0x141u);
  EXPECT_EQ(w.syscall(Syscall::DebugHalt, 0, 0, {}).outcome, Outcome::Halted);
  EXPECT_TRUE(w.s.halted);
  EXPECT_EQ(w.syscall(Syscall::DebugPutChar, 'B', 0, {}).outcome, Outcome::Halted);
}

// Packs a string into IPC-buffer message words (msg[0] = byte 8), NUL-terminated.
std::vector<word_t> packed(const std::string& s) {
  std::vector<word_t> words((s.size() + 8) / 8, 0);
  for (size_t i = 0; i < s.size(); ++i) words[i / 8] |= word_t(uint8_t(s[i])) << (8 * (i % 8));
  return words;
}

TEST(Syscall, DebugNameThread) {
  World w;
  std::vector<word_t> name = packed("keel-root-task");
  SyscallEvent e;
  e.regs[0] = kCapInitThreadTCB;
  e.regs[7] = static_cast<word_t>(-14);
  for (size_t i = 0; i < name.size(); ++i) e.ipc_buffer[1 + i] = name[i];
  Step st = step(w.s, e);
  EXPECT_EQ(st.result.outcome, Outcome::Returned);
  EXPECT_EQ(st.state.thread(kRootTcb)->name, "keel-root-task");
  e.regs[0] = kCapSMC;  // not a TCB cap: the kernel halts
  EXPECT_EQ(step(w.s, e).result.outcome, Outcome::Halted);
  e.regs[0] = kCapInitThreadTCB;
  for (unsigned i = 1; i <= kMsgMaxLength; ++i) e.ipc_buffer[i] = 0x4141414141414141;  // no NUL
  EXPECT_EQ(step(w.s, e).result.outcome, Outcome::Halted);
}

TEST(Syscall, UnknownSyscallFaults) {
  World w;
  SyscallResult r = w.syscall(static_cast<Syscall>(-20), 0, 0, {});
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  EXPECT_EQ(r.fault->kind, Fault::Kind::UnknownSyscall);
  EXPECT_EQ(r.fault->syscall, static_cast<word_t>(-20));
}

TEST(Syscall, UnspecifiedOperationsLeaveTheStateAlone) {
  World w;
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Endpoint, 0, 18, 1).label, kOk);
  State before = w.s;
  // The buffer words of the event are not written either: the whole state is s0's.
  SyscallResult r = w.syscall(Syscall::DebugSnapshot, 18, 0, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(r.outcome, Outcome::NotSpecified);
  EXPECT_EQ(r.ipc_buffer[6], 6u);
  EXPECT_EQ(describe_difference(before, w.s), "");
  // An endpoint cap without the write right fails in decode: a Call gets InvalidCapability(0).
  ASSERT_EQ(w.mint(19, 18, 0, 0x2).label, kOk);
  const Reply rep = w.call(19, Label::CNodeCopy, {});
  EXPECT_EQ(rep.label, err(Error::InvalidCapability));
  EXPECT_EQ(rep.words, (std::vector<word_t>{0}));
}

TEST(State, DescribeDifferenceNamesTheFirstDifference) {
  World a, b;
  EXPECT_EQ(describe_difference(a.s, b.s), "");
  EXPECT_TRUE(a.s == b.s);
  ASSERT_EQ(b.mint(18, kCapSMC, 7).label, kOk);
  EXPECT_FALSE(a.s == b.s);
  EXPECT_NE(describe_difference(a.s, b.s).find("object 0x40020000: Tcb"), std::string::npos);  // registers
  *a.s.thread(kRootTcb) = *b.s.thread(kRootTcb);
  EXPECT_NE(describe_difference(a.s, b.s).find("object 0x40030000: Frame"), std::string::npos);  // buffer
  a.s.objects.at(kIpcFrame) = b.s.objects.at(kIpcFrame);
  EXPECT_EQ(describe_difference(a.s, b.s),
            "slot (0x40000000,18): absent vs Smc(badge=0x7) revocable first_badged parent=(0x40000000,15)");
  b.s.slots.at(root_slot(18)).first_badged = false;
  a.s.slots[root_slot(18)] = b.s.slots.at(root_slot(18));
  a.s.slots.at(root_slot(18)).first_badged = true;
  EXPECT_NE(describe_difference(a.s, b.s), "");
  EXPECT_EQ(describe_difference(a.s, b.s, /*compare_first_badged=*/false), "");
}

}  // namespace
}  // namespace keel::spec::test
