// IRQControl and IRQHandler: every decode error in seL4's order with its words, the handler
// lifecycle (issue, notification, delivery, Ack, deletion, issue again), and the IRQ invariants.
#include "irq.h"

#include "cdt.h"
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr word_t kIrq = 40;
constexpr cptr_t kHandler = 20, kNtfn = 30;

struct Irq : ::testing::Test {
  World w;
  Reply get(word_t irq, cptr_t dest, word_t depth = 64, std::vector<cptr_t> extra = {kCapInitThreadCNode}) {
    return w.call(kCapIRQControl, Label::IRQIssueIRQHandler, {irq, dest, depth}, extra);
  }
  Reply get_trigger(word_t irq, word_t edge, cptr_t dest) {
    return w.call(kCapIRQControl, Label::ARMIRQIssueIRQHandlerTrigger, {irq, edge, dest, 64},
                  {kCapInitThreadCNode});
  }
  Reply handler(cptr_t h, Label l, std::vector<cptr_t> extra = {}) { return w.call(h, l, {}, extra); }
  void interrupt(word_t irq) {
    Step st = spec::interrupt(w.s, irq);
    ASSERT_EQ(st.result.outcome, Outcome::Returned);
    w.s = st.state;
    ASSERT_TRUE(check_invariants(w.s).empty()) << check_invariants(w.s).front();
  }
  bool masked(word_t irq) const { return w.s.irq_unmasked.count(irq) == 0; }
  SlotRef node_slot(word_t irq) const { return SlotRef{kIrqNode, irq}; }
};

TEST_F(Irq, GetChecksInSeL4Order) {
  EXPECT_EQ(w.call(kCapIRQControl, Label::IRQIssueIRQHandler, {kIrq, kHandler}, {kCapInitThreadCNode}).label,
            err(Error::TruncatedMessage));
  EXPECT_EQ(get(kIrq, kHandler, 64, {}).label, err(Error::TruncatedMessage));  // no destination CNode
  Reply r = get(kMaxIrq + 1, kHandler);
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 159}));
  EXPECT_EQ(get(~word_t{0}, kHandler).label, err(Error::RangeError));  // the full word counts
  EXPECT_EQ(get(kKernelTimerIrq, kHandler).label, err(Error::RevokeFirst));
  r = get(kIrq, kHandler, 64, {kCapSMC});  // the range check comes before the root's type
  EXPECT_EQ(r.label, err(Error::FailedLookup));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, word_t(LookupFailureType::InvalidRoot)}));
  r = get(kIrq, kHandler, 0);
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{1, 64}));
  EXPECT_EQ(get(kIrq, kCapSMC).label, err(Error::DeleteFirst));
  EXPECT_EQ(w.s.irq_states.size(), 1u);  // nothing changed: only the timer
}

TEST_F(Irq, GetIssuesAHandlerCapBelowIrqControlAndUnmasks) {
  ASSERT_EQ(get(kIrq, kHandler).label, kOk);
  EXPECT_EQ(w.cap(kHandler), Cap::irq_handler(kIrq));
  EXPECT_EQ(w.s.slot_at(root_slot(kHandler))->parent, root_slot(kCapIRQControl));
  EXPECT_EQ(irq_state(w.s, kIrq), IrqState::Signal);
  EXPECT_FALSE(masked(kIrq));
  EXPECT_EQ(get(kIrq, kHandler + 1).label, err(Error::RevokeFirst));
  EXPECT_EQ(get(0, kHandler + 1).label, kOk);  // IRQ 0 and 159 are in range
  EXPECT_EQ(get(kMaxIrq, kHandler + 2).label, kOk);
}

TEST_F(Irq, GetTriggerSetsTheTriggerBeforeIssuing) {
  EXPECT_EQ(
      w.call(kCapIRQControl, Label::ARMIRQIssueIRQHandlerTrigger, {kIrq, 1, kHandler}, {kCapInitThreadCNode})
          .label,
      err(Error::TruncatedMessage));
  EXPECT_EQ(get_trigger(kMaxIrq + 1, 1, kHandler).label, err(Error::RangeError));
  EXPECT_EQ(get_trigger(kKernelTimerIrq, 1, kHandler).label, err(Error::RevokeFirst));
  EXPECT_TRUE(w.s.irq_edge_triggered.empty());
  ASSERT_EQ(get_trigger(kIrq, 7, kHandler).label, kOk);  // any non-zero word: edge
  EXPECT_EQ(w.s.irq_edge_triggered, (std::set<word_t>{kIrq}));
  ASSERT_EQ(w.del(kHandler).label, kOk);
  ASSERT_EQ(get_trigger(kIrq, 0, kHandler).label, kOk);  // level again
  EXPECT_TRUE(w.s.irq_edge_triggered.empty());
}

TEST_F(Irq, OtherIrqControlLabelsAreIllegal) {
  EXPECT_EQ(w.call(kCapIRQControl, Label::IRQAckIRQ, {}).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.call(kCapIRQControl, static_cast<Label>(51), {1, 0, kHandler, 64}, {kCapInitThreadCNode}).label,
            err(Error::IllegalOperation));
}

// seL4 Arch_decodeIRQControlInvocation, IssueSGISignal: length and CNode, id, target, lookup,
// emptiness; then the cap goes below IRQControl and no IRQ changes.
TEST_F(Irq, IssueSgiSignalChecksInSeL4Order) {
  auto issue = [&](std::vector<word_t> mrs, std::vector<cptr_t> extra = {kCapInitThreadCNode}) {
    return w.call(kCapIRQControl, Label::ARMIRQIssueSGISignal, mrs, extra);
  };
  EXPECT_EQ(issue({1, 0, kHandler}).label, err(Error::TruncatedMessage));
  EXPECT_EQ(issue({1, 0, kHandler, 64}, {}).label, err(Error::TruncatedMessage));
  Reply r = issue({16, 8, kHandler, 64});
  EXPECT_EQ(r.label, err(Error::RangeError));
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 15}));
  r = issue({15, 8, kHandler, 64});
  EXPECT_EQ(r.label, err(Error::InvalidArgument));
  EXPECT_EQ(r.words, (std::vector<word_t>{1}));
  r = issue({1, 0, kHandler, 64}, {kCapSMC});
  EXPECT_EQ(r.label, err(Error::FailedLookup));
  EXPECT_EQ(issue({1, 0, kHandler, 0}).label, err(Error::RangeError));
  EXPECT_EQ(issue({1, 0, kCapSMC, 64}).label, err(Error::DeleteFirst));
  ASSERT_EQ(issue({15, 7, kHandler, 64}).label, kOk);
  EXPECT_EQ(w.cap(kHandler), Cap::sgi_signal(15, 7));
  const Slot* sl = w.s.slot_at(root_slot(kHandler));
  EXPECT_EQ(sl->parent, root_slot(kCapIRQControl));
  EXPECT_TRUE(sl->revocable && sl->first_badged);
  EXPECT_EQ(w.s.irq_states.size(), 1u);  // only the timer
}

TEST_F(Irq, InvokingAnSgiSignalCapRaisesItsSgi) {
  ASSERT_EQ(
      w.call(kCapIRQControl, Label::ARMIRQIssueSGISignal, {3, 2, kHandler, 64}, {kCapInitThreadCNode}).label,
      kOk);
  SyscallResult r = w.syscall(Syscall::Call, kHandler, 1000, {1, 2});  // any label
  EXPECT_EQ(r.sgi, (SgiSent{2, 3}));
  EXPECT_EQ(MessageInfo::from_word(r.regs[1]).label, kOk);
  EXPECT_EQ(MessageInfo::from_word(r.regs[1]).length, 0u);
  EXPECT_EQ(w.syscall(Syscall::NBSend, kHandler, 0, {}).sgi, (SgiSent{2, 3}));
  EXPECT_FALSE(w.syscall(Syscall::Call, kCapIRQControl, 0, {}).sgi.has_value());
}

TEST_F(Irq, SetNotificationWantsANotificationItMaySendTo) {
  ASSERT_EQ(get(kIrq, kHandler).label, kOk);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, kNtfn, 1).label, kOk);
  ASSERT_EQ(w.mint(kNtfn + 1, kNtfn, 0, 0x2).label, kOk);  // read only: no Write right
  EXPECT_EQ(handler(kHandler, Label::IRQSetIRQHandler).label, err(Error::TruncatedMessage));
  Reply r = handler(kHandler, Label::IRQSetIRQHandler, {kCapSMC});
  EXPECT_EQ(r.label, err(Error::InvalidCapability));
  EXPECT_EQ(r.words, (std::vector<word_t>{0}));  // seL4 numbers the extra cap 0 here
  r = handler(kHandler, Label::IRQSetIRQHandler, {kNtfn + 1});
  EXPECT_EQ(r.label, err(Error::InvalidCapability));
  EXPECT_EQ(r.words, (std::vector<word_t>{0}));
  EXPECT_EQ(w.s.slot_at(node_slot(kIrq)), nullptr);
  ASSERT_EQ(w.mint(kNtfn + 2, kNtfn, 77).label, kOk);
  ASSERT_EQ(handler(kHandler, Label::IRQSetIRQHandler, {kNtfn + 2}).label, kOk);
  EXPECT_EQ(w.s.cap_at(node_slot(kIrq)), w.cap(kNtfn + 2));                   // badge and all
  ASSERT_EQ(handler(kHandler, Label::IRQSetIRQHandler, {kNtfn}).label, kOk);  // replaces
  EXPECT_EQ(w.s.cap_at(node_slot(kIrq)), w.cap(kNtfn));
  ASSERT_EQ(handler(kHandler, Label::IRQClearIRQHandler).label, kOk);
  EXPECT_EQ(w.s.slot_at(node_slot(kIrq)), nullptr);
  EXPECT_EQ(handler(kHandler, Label::IRQIssueIRQHandler).label, err(Error::IllegalOperation));
}

TEST_F(Irq, DeliveryMasksUntilAckUnmasks) {
  ASSERT_EQ(get(kIrq, kHandler).label, kOk);
  interrupt(kIrq);  // no notification yet: undelivered, masked all the same
  EXPECT_TRUE(masked(kIrq));
  ASSERT_EQ(handler(kHandler, Label::IRQAckIRQ).label, kOk);
  EXPECT_FALSE(masked(kIrq));
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, kNtfn, 1).label, kOk);
  ASSERT_EQ(handler(kHandler, Label::IRQSetIRQHandler, {kNtfn}).label, kOk);
  interrupt(kIrq);
  EXPECT_TRUE(masked(kIrq));
  ASSERT_EQ(handler(kHandler, Label::IRQAckIRQ).label, kOk);
  EXPECT_FALSE(masked(kIrq));
  const State before = w.s;
  interrupt(kIrq + 1);  // inactive: masked again (it was), nothing else
  interrupt(kMaxIrq + 100);
  EXPECT_EQ(describe_difference(before, w.s), "");
  interrupt(kKernelTimerIrq);  // the tick still runs the clock
  EXPECT_EQ(w.s.thread(kRootTcb)->time_slice, kTimeSlice - 1);
}

TEST_F(Irq, DeletingTheLastHandlerFreesMasksAndUnbinds) {
  ASSERT_EQ(get(kIrq, kHandler).label, kOk);
  ASSERT_EQ(w.copy(kHandler + 1, kHandler).label, kOk);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, kNtfn, 1).label, kOk);
  ASSERT_EQ(handler(kHandler + 1, Label::IRQSetIRQHandler, {kNtfn}).label, kOk);
  ASSERT_EQ(w.del(kHandler).label, kOk);  // a copy remains
  EXPECT_EQ(irq_state(w.s, kIrq), IrqState::Signal);
  EXPECT_NE(w.s.slot_at(node_slot(kIrq)), nullptr);
  ASSERT_EQ(w.del(kHandler + 1).label, kOk);
  EXPECT_EQ(irq_state(w.s, kIrq), IrqState::Inactive);
  EXPECT_TRUE(masked(kIrq));
  EXPECT_EQ(w.s.slot_at(node_slot(kIrq)), nullptr);
  ASSERT_EQ(get(kIrq, kHandler).label, kOk);  // free again
  ASSERT_EQ(get(kIrq + 1, kHandler + 1).label, kOk);
  ASSERT_EQ(w.revoke(kCapIRQControl).label, kOk);  // every handler cap is a child
  EXPECT_TRUE(w.cap(kHandler).is_null());
  EXPECT_TRUE(w.cap(kHandler + 1).is_null());
  EXPECT_EQ(w.s.irq_states.size(), 1u);
  EXPECT_EQ(w.s.irq_unmasked, (std::set<word_t>{kKernelTimerIrq}));
}

TEST_F(Irq, TheBoundCapKeepsTheNotificationUntilItsUntypedIsRevoked) {
  ASSERT_EQ(get(kIrq, kHandler).label, kOk);
  ASSERT_EQ(w.retype(kCapUntyped, ObjectType::Notification, 0, kNtfn, 1).label, kOk);
  const paddr_t ntfn = w.cap(kNtfn).ptr;
  ASSERT_EQ(handler(kHandler, Label::IRQSetIRQHandler, {kNtfn}).label, kOk);
  ASSERT_EQ(w.del(kNtfn).label, kOk);
  EXPECT_TRUE(w.s.objects.count(ntfn));  // the IRQ's slot holds the last cap
  ASSERT_EQ(w.revoke(kCapUntyped).label, kOk);
  EXPECT_FALSE(w.s.objects.count(ntfn));
  EXPECT_EQ(w.s.slot_at(node_slot(kIrq)), nullptr);
  EXPECT_EQ(irq_state(w.s, kIrq), IrqState::Signal);  // the handler cap is still there
}

TEST_F(Irq, InvariantsCatchAStrayHandlerAnUnmaskedInactiveIrqAndAStrayCap) {
  State s = w.s;
  s.slots[root_slot(kHandler)] = Slot{Cap::irq_handler(kIrq), true, true, root_slot(kCapIRQControl)};
  std::vector<std::string> bad;
  check_irq_invariants(s, bad);
  EXPECT_EQ(bad.size(), 1u);
  s = w.s;
  s.irq_unmasked.insert(kIrq);
  bad.clear();
  check_irq_invariants(s, bad);
  EXPECT_EQ(bad.size(), 1u);
  s = w.s;
  s.irq_states[kIrq] = IrqState::Signal;
  s.irq_unmasked.insert(kIrq);
  s.slots[node_slot(kIrq)] = Slot{Cap::smc(0), false, false, std::nullopt};
  bad.clear();
  check_irq_invariants(s, bad);
  EXPECT_EQ(bad.size(), 1u);
  EXPECT_TRUE(s.slot_exists(node_slot(kMaxIrq)));
  EXPECT_FALSE(s.slot_exists(node_slot(kMaxIrq + 1)));
}

}  // namespace
}  // namespace keel::spec::test
