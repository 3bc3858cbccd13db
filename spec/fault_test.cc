// Faults (ipc.md §5): delivery to a handler or a double fault, the four fault messages, the
// registers read at delivery, fault replies and their register writes, the exception entry,
// and the stale-fault rule of §2.8.
#include "fault.h"

#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr cptr_t kFaultEp = 30, kHandlerCap = 31, kOtherEp = 32, kH = 40, kF = 42;
constexpr word_t kBadge = 0xabababa;

word_t tag(word_t label, word_t len) { return MessageInfo{label, 0, 0, len}.to_word(); }

// Handler h (200, own buffer) and faulter f (100, own buffer, handler CPtr 31 = the fault
// endpoint minted with kBadge); f is current.
struct FaultWorld : World {
  paddr_t ep = make(ObjectType::Endpoint, kFaultEp);
  paddr_t h = 0, f = 0;
  explicit FaultWorld(word_t handler_rights = 0xf, bool handler_waits = true) {
    EXPECT_EQ(mint(kHandlerCap, kFaultEp, kBadge, handler_rights).label, kOk);
    make(ObjectType::Endpoint, kOtherEp);
    h = ipc_thread(kH, 200);
    f = ipc_thread(kF, 100, kHandlerCap);
    if (handler_waits) {
      EXPECT_EQ(syscall_as(h, Syscall::Recv, kFaultEp).outcome, Outcome::Blocked);
    }
    run_as(f);
  }
  SyscallResult exception(ExceptionEvent e) {
    Step st = spec::exception(s, e);
    s = st.state;
    EXPECT_TRUE(check_invariants(s).empty()) << check_invariants(s).front();
    return st.result;
  }
  // The message the handler holds: x2..x5 then its buffer.
  std::vector<word_t> message() {
    const MessageInfo info = MessageInfo::from_word(x(h, 1));
    std::vector<word_t> m;
    for (word_t i = 0; i < info.length; ++i) m.push_back(i < 4 ? x(h, 2 + unsigned(i)) : buffer_of(h)[i + 1]);
    return m;
  }
};

TEST(Fault, ACapFaultGoesToTheWaitingHandlerAsACall) {
  FaultWorld w;
  SyscallResult r = w.syscall(Syscall::Call, word_t{1} << 63, 0, {});
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  const Fault want{.kind = Fault::Kind::CapFault,
                   .address = word_t{1} << 63,
                   .lookup = LookupFault::guard_mismatch(64, 0, 52)};
  EXPECT_EQ(r.fault, want);
  EXPECT_EQ(w.thread(w.f).state, ThreadState::BlockedOnReply);
  EXPECT_EQ(w.thread(w.f).fault, want);
  EXPECT_EQ(w.s.cap_at({w.h, kTcbCaller}), Cap::reply(w.f, false, true));
  EXPECT_EQ(w.x(w.h, 0), kBadge);
  EXPECT_EQ(w.x(w.h, 1), tag(1, 7));
  EXPECT_EQ(w.message(), (std::vector<word_t>{0, word_t{1} << 63, 0, 4, 64, 0, 52}));
}

TEST(Fault, WithNoHandlerWaitingTheFaulterQueuesAsACaller) {
  FaultWorld w(0xf, false);
  SyscallResult r = w.syscall(Syscall::Recv, 60, 0, {});  // an empty slot: IPCRIGHTS0002's fault
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  EXPECT_EQ(w.thread(w.f).state, ThreadState::BlockedOnSend);
  EXPECT_EQ(w.thread(w.f).blocked, (IpcBlock{w.ep, kBadge, true, true, true}));
  EXPECT_EQ(w.syscall_as(w.h, Syscall::Recv, kFaultEp).outcome, Outcome::Returned);
  EXPECT_EQ(w.x(w.h, 1), tag(1, 5));
  EXPECT_EQ(w.message(), (std::vector<word_t>{0, 60, 1, 2, 0}));
  EXPECT_EQ(w.thread(w.f).state, ThreadState::BlockedOnReply);
}

TEST(Fault, AHandlerCapThatCannotTakeACallIsADoubleFault) {
  for (word_t rights : {word_t{0x3}, word_t{0xe}}) {  // no Grant/GrantReply; no Write
    FaultWorld w(rights);
    SyscallResult r = w.syscall(Syscall::Recv, 60, 0, {});
    EXPECT_EQ(r.outcome, Outcome::Faulted);
    EXPECT_EQ(w.thread(w.f).state, ThreadState::Inactive);
    EXPECT_FALSE(w.thread(w.f).fault.has_value());
    EXPECT_EQ(w.thread(w.h).state, ThreadState::BlockedOnReceive);
  }
  FaultWorld w;
  w.thread(w.f).fault_handler = word_t{1} << 63;  // does not resolve
  EXPECT_EQ(w.syscall(Syscall::Recv, 60, 0, {}).outcome, Outcome::Faulted);
}

TEST(Fault, UnknownSyscallSendsTheRegistersAtDelivery) {
  FaultWorld w(0xf, false);
  SyscallEvent e = w.event(static_cast<Syscall>(0xc1), 0x10, 0, {0x12, 0x13, 0x14, 0x15});
  e.regs[1] = 0x11, e.regs[6] = 0x16;
  w.thread(w.f).regs[kRegSp] = 0x8000;
  EXPECT_EQ(w.raw(e).outcome, Outcome::Blocked);
  // The handler reads the registers only now, after WriteRegisters (resume 0) moved the pc.
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kF, Label::TCBWriteRegisters, {0, 3, 0x5000, 0x8000, 0x40}).label, kOk);
  w.syscall_as(w.h, Syscall::Recv, kFaultEp);
  EXPECT_EQ(w.x(w.h, 1), tag(2, 13));
  EXPECT_EQ(w.message(), (std::vector<word_t>{0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0xc1, 0x5000, 0x8000,
                                              0x5000, 0x40, 0xc1}));
}

TEST(Fault, AHandlerWithoutAWritableBufferGetsFourWords) {
  FaultWorld w(0xf, false);
  EXPECT_EQ(w.raw(w.event(static_cast<Syscall>(0xc1), 0, 0, {})).outcome, Outcome::Blocked);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kH, Label::TCBSetIPCBuffer, {0}, {kCapInitThreadIPCBuffer}).label, kOk);
  w.syscall_as(w.h, Syscall::Recv, kFaultEp);
  EXPECT_EQ(w.x(w.h, 1), tag(2, 4));
}

// PAGEFAULT0004: the handler moves FaultIP past the svc and sets x0; label 0 restarts there.
TEST(Fault, AnUnknownSyscallReplyWritesRegistersBeforeTheLabelIsRead) {
  for (word_t label : {word_t{0}, word_t{1}}) {
    FaultWorld w;
    EXPECT_EQ(w.raw(w.event(static_cast<Syscall>(0xc1), 0, 0, {})).outcome, Outcome::Blocked);
    std::vector<word_t> reply{0x1234, 1, 2, 3, 4, 5, 6, 7, 0x104, 0x9000, 0x777, 0xF00003C5};
    EXPECT_EQ(w.syscall(Syscall::Reply, 0, label, reply).outcome, Outcome::Returned);
    const Thread& t = w.thread(w.f);
    EXPECT_EQ(w.x(w.f, 0), 0x1234u);
    EXPECT_EQ(w.x(w.f, 7), 7u);
    EXPECT_EQ(t.regs[kRegPc], 0x104u);
    EXPECT_EQ(t.regs[kRegSp], 0x9000u);
    EXPECT_EQ(t.regs[kRegSpsr], 0xF0000040u);  // sanitised: NZCV kept, EL0t with F masked
    EXPECT_FALSE(t.fault.has_value());
    EXPECT_EQ(w.s.slot_at({w.h, kTcbCaller}), nullptr);
    if (label == 0) {
      EXPECT_EQ(t.state, ThreadState::Restart);
      EXPECT_EQ(t.next_ip, 0x777u);  // the ELR word, until activation sets NextIP := FaultIP
      w.run_as(w.f);
      EXPECT_EQ(w.thread(w.f).next_ip, 0x104u);
    } else {
      EXPECT_EQ(t.state, ThreadState::Inactive);
    }
  }
}

TEST(Fault, AReplierWithoutABufferWritesOnlyItsRegisterWords) {
  FaultWorld w;
  EXPECT_EQ(w.raw(w.event(static_cast<Syscall>(0xc1), 0, 0, {})).outcome, Outcome::Blocked);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kH, Label::TCBSetIPCBuffer, {0}, {kCapInitThreadIPCBuffer}).label, kOk);
  w.run_as(w.h);
  SyscallEvent e = w.event(Syscall::Reply, 0, 0, {9, 9, 9, 9});
  e.regs[1] = tag(0, 12);
  w.raw(e);
  EXPECT_EQ(w.x(w.f, 3), 9u);
  EXPECT_EQ(w.x(w.f, 4), 0u);
  EXPECT_EQ(w.thread(w.f).regs[kRegPc], 0u);  // FaultIP unchanged: word 8 was skipped
  EXPECT_EQ(w.thread(w.f).state, ThreadState::Restart);
}

// PAGEFAULT0005: an undefined instruction.
TEST(Fault, AUserExceptionFromTheExceptionEntry) {
  FaultWorld w;
  w.thread(w.f).next_ip = 0x2000;
  w.thread(w.f).regs[kRegSp] = 0x8000;
  w.thread(w.f).regs[kRegSpsr] = 0x60000040;
  SyscallResult r =
      w.exception({.kind = ExceptionEvent::Kind::UserException, .regs = {1, 2}, .esr = 0x02000000});
  EXPECT_EQ(r.outcome, Outcome::Blocked);
  EXPECT_EQ(r.fault, (Fault{.kind = Fault::Kind::UserException, .code = 0x02000000}));
  EXPECT_EQ(w.thread(w.f).regs[kRegPc], 0x2000u);
  EXPECT_EQ(w.x(w.f, 1), 2u);
  EXPECT_EQ(w.x(w.h, 1), tag(3, 5));
  EXPECT_EQ(w.message(), (std::vector<word_t>{0x2000, 0x8000, 0x60000040, 0x02000000, 0}));
  w.syscall(Syscall::Reply, 0, 0, {0x2004, 0x7000});
  EXPECT_EQ(w.thread(w.f).state, ThreadState::Restart);
  EXPECT_EQ(w.thread(w.f).regs[kRegPc], 0x2004u);
  EXPECT_EQ(w.thread(w.f).regs[kRegSp], 0x7000u);
  EXPECT_EQ(w.thread(w.f).regs[kRegSpsr], 0x60000040u);
}

// PAGEFAULT0001..0003: a VM fault's reply always restarts and writes nothing.
TEST(Fault, VmFaultsReportAddressKindAndTheLow32BitsOfTheSyndrome) {
  FaultWorld w;
  w.thread(w.f).next_ip = 0x3000;
  w.exception({.kind = ExceptionEvent::Kind::VMFault, .esr = 0x1'9200'0044, .far = 0x7EDCBA987650});
  EXPECT_EQ(w.x(w.h, 1), tag(5, 4));
  EXPECT_EQ(w.message(), (std::vector<word_t>{0x3000, 0x7EDCBA987650, 0, 0x92000044}));
  w.syscall(Syscall::Reply, 0, 1, {0x1, 0x2, 0x3});
  EXPECT_EQ(w.thread(w.f).state, ThreadState::Restart);
  EXPECT_EQ(w.thread(w.f).regs[kRegPc], 0x3000u);
  FaultWorld i;
  i.thread(i.f).next_ip = 0xBAD000;
  i.exception({.kind = ExceptionEvent::Kind::VMFault, .esr = 0x82000004, .far = 0x1, .instruction = true});
  EXPECT_EQ(i.message(), (std::vector<word_t>{0xBAD000, 0xBAD000, 1, 0x82000004}));
}

TEST(Fault, AnExceptionWithNoHandlerStopsTheThread) {
  FaultWorld w;
  w.thread(w.f).fault_handler = 0;
  w.thread(w.f).next_ip = 0x2000;
  SyscallResult r = w.exception({.kind = ExceptionEvent::Kind::UserException, .esr = 0x02000000});
  EXPECT_EQ(r.outcome, Outcome::Faulted);
  EXPECT_EQ(w.thread(w.f).state, ThreadState::Inactive);
  EXPECT_EQ(w.thread(w.f).regs[kRegPc], 0x2000u);
}

// §2.8: a cancelled fault send keeps its fault, and the thread's next plain Send delivers the
// old fault message; cancelling a BlockedOnReply faulter clears the fault and the reply cap.
TEST(Fault, ACancelledFaultSendKeepsItsFaultAndACancelledReplyDoesNot) {
  FaultWorld w(0xf, false);
  EXPECT_EQ(w.syscall(Syscall::Recv, 60, 0, {}).outcome, Outcome::Blocked);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kF, Label::TCBSuspend, {}).label, kOk);
  EXPECT_TRUE(w.thread(w.f).fault.has_value());
  EXPECT_TRUE(w.object(w.ep).queue.empty());
  EXPECT_EQ(w.syscall_as(w.h, Syscall::Recv, kOtherEp).outcome, Outcome::Blocked);
  w.run_as(kRootTcb);
  EXPECT_EQ(w.call(kF, Label::TCBResume, {}).label, kOk);
  EXPECT_EQ(w.syscall_as(w.f, Syscall::Send, kOtherEp, 0, {42}).outcome, Outcome::Returned);
  EXPECT_EQ(w.x(w.h, 1), tag(1, 5));  // the fault message, not the one-word message
  EXPECT_TRUE(w.thread(w.f).fault.has_value());
  FaultWorld r;
  EXPECT_EQ(r.syscall(Syscall::Recv, 60, 0, {}).outcome, Outcome::Blocked);
  r.run_as(kRootTcb);
  EXPECT_EQ(r.call(kF, Label::TCBSuspend, {}).label, kOk);
  EXPECT_FALSE(r.thread(r.f).fault.has_value());
  EXPECT_EQ(r.s.slot_at({r.h, kTcbCaller}), nullptr);
}

}  // namespace
}  // namespace keel::spec::test
