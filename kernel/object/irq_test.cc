// IRQControl and IRQ handlers through the syscall path: every error in seL4's order with its
// words, and the lifecycle seen on the host machine's interrupt controller (masks, triggers):
// issue, delivery, Ack, SetNotification, Clear, deletion, issue again.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/core/kernel_state.h"
#include "kernel/object/irq.h"

namespace keel {
namespace {

constexpr word_t err(Error e) { return static_cast<word_t>(e); }
constexpr word_t kIrq = 40;

class IrqTest : public ::testing::Test {
 protected:
  host::HostKernel k;
  word_t free_slot = k.bootinfo()->empty.start + 100;  // well clear of retype()'s slots

  host::SyscallResult get(word_t irq, word_t dest, word_t depth = 64,
                          std::initializer_list<cptr_t> extra = {kCapInitThreadCNode}) {
    return k.call(kCapIRQControl, word_t(Label::IRQIssueIRQHandler), {irq, dest, depth}, extra);
  }
  host::SyscallResult get_trigger(word_t irq, word_t edge, word_t dest) {
    return k.call(kCapIRQControl, word_t(Label::ARMIRQIssueIRQHandlerTrigger), {irq, edge, dest, 64},
                  {kCapInitThreadCNode});
  }
  host::SyscallResult invoke(cptr_t handler, Label l, std::initializer_list<cptr_t> extra = {}) {
    return k.call(handler, word_t(l), {}, extra);
  }
  host::SyscallResult del(word_t slot) {
    return k.call(kCapInitThreadCNode, word_t(Label::CNodeDelete), {slot, 64});
  }
  bool masked(word_t irq) { return k.machine().irq_masked[irq]; }
  bool printed(const char* what) { return k.machine().console.find(what) != std::string::npos; }
};

TEST_F(IrqTest, BootMasksEveryIrqButTheTimers) {
  for (word_t irq = 0; irq < kNumIrqs; ++irq) {
    EXPECT_EQ(masked(irq), irq != 27) << irq;
    EXPECT_EQ(irq_state(irq), irq == 27 ? IrqState::Timer : IrqState::Inactive) << irq;
    EXPECT_TRUE(irq_slot(irq)->cap.is_null());
  }
}

TEST_F(IrqTest, GetChecksInSeL4Order) {
  EXPECT_EQ(
      k.call(kCapIRQControl, word_t(Label::IRQIssueIRQHandler), {kIrq, free_slot}, {kCapInitThreadCNode})
          .label(),
      err(Error::TruncatedMessage));
  EXPECT_EQ(get(kIrq, free_slot, 64, {}).label(), err(Error::TruncatedMessage));
  auto r = get(160, free_slot);
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[2], 0u);
  EXPECT_EQ(r.x[3], 159u);
  EXPECT_EQ(get(27, free_slot).label(), err(Error::RevokeFirst));  // the kernel's timer
  r = get(kIrq, free_slot, 64, {kCapSMC});
  EXPECT_EQ(r.label(), err(Error::FailedLookup));
  EXPECT_EQ(r.x[2], 0u);  // the destination, not a source
  EXPECT_EQ(r.x[3], word_t(LookupFailureType::InvalidRoot));
  r = get(kIrq, free_slot, 65);
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[2], 1u);
  EXPECT_EQ(r.x[3], 64u);
  EXPECT_EQ(get(kIrq, kCapSMC).label(), err(Error::DeleteFirst));
  EXPECT_EQ(irq_state(kIrq), IrqState::Inactive);
  EXPECT_TRUE(masked(kIrq));
  // Labels IRQControl does not have (IssueSGISignal it has: arch/aarch64/object/sgi_test.cc).
  EXPECT_EQ(k.call(kCapIRQControl, 51, {1, 0, free_slot, 64}, {kCapInitThreadCNode}).label(),
            err(Error::IllegalOperation));
  EXPECT_EQ(k.call(kCapIRQControl, word_t(Label::IRQAckIRQ), {}).label(), err(Error::IllegalOperation));
}

TEST_F(IrqTest, LifecycleGetAckDeleteGetAgain) {
  ASSERT_EQ(get(kIrq, free_slot).label(), 0u);
  EXPECT_EQ(k.root_cap(free_slot), IrqHandlerCap::make(kIrq));
  EXPECT_EQ(irq_state(kIrq), IrqState::Signal);
  EXPECT_FALSE(masked(kIrq));  // issuing unmasks (seL4 setIRQState)
  EXPECT_EQ(get(kIrq, free_slot + 1).label(), err(Error::RevokeFirst));
  k.interrupt(kIrq);  // delivered with no notification bound: masked until Ack
  EXPECT_TRUE(masked(kIrq));
  EXPECT_TRUE(printed("interrupt 40 undelivered"));
  ASSERT_EQ(invoke(free_slot, Label::IRQAckIRQ).label(), 0u);
  EXPECT_FALSE(masked(kIrq));
  ASSERT_EQ(invoke(free_slot, Label::IRQAckIRQ).label(), 0u);  // Ack has no checks
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeCopy), {free_slot + 1, 64, free_slot, 64, 0xf},
                   {kCapInitThreadCNode})
                .label(),
            0u);
  ASSERT_EQ(del(free_slot).label(), 0u);  // a copy is left: nothing changes
  EXPECT_EQ(irq_state(kIrq), IrqState::Signal);
  EXPECT_FALSE(masked(kIrq));
  ASSERT_EQ(del(free_slot + 1).label(), 0u);  // the last one: masked and free
  EXPECT_EQ(irq_state(kIrq), IrqState::Inactive);
  EXPECT_TRUE(masked(kIrq));
  ASSERT_EQ(get(kIrq, free_slot).label(), 0u);
  EXPECT_FALSE(masked(kIrq));
}

TEST_F(IrqTest, SetNotificationAndClear) {
  ASSERT_EQ(get(kIrq, free_slot).label(), 0u);
  const word_t ntfn = k.retype(ObjectType::Notification);
  const word_t read_only = free_slot + 1;
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeMint), {read_only, 64, ntfn, 64, 0x2, 0},
                   {kCapInitThreadCNode})
                .label(),
            0u);
  EXPECT_EQ(invoke(free_slot, Label::IRQSetIRQHandler).label(), err(Error::TruncatedMessage));
  auto r = invoke(free_slot, Label::IRQSetIRQHandler, {kCapSMC});
  EXPECT_EQ(r.label(), err(Error::InvalidCapability));
  EXPECT_EQ(r.x[2], 0u);  // seL4 numbers this extra cap 0
  r = invoke(free_slot, Label::IRQSetIRQHandler, {read_only});
  EXPECT_EQ(r.label(), err(Error::InvalidCapability));
  EXPECT_EQ(r.x[2], 0u);
  EXPECT_TRUE(irq_slot(kIrq)->cap.is_null());
  ASSERT_EQ(invoke(free_slot, Label::IRQSetIRQHandler, {ntfn}).label(), 0u);
  EXPECT_EQ(irq_slot(kIrq)->cap, k.root_cap(ntfn));
  ASSERT_EQ(invoke(free_slot, Label::IRQSetIRQHandler, {ntfn}).label(), 0u);  // replaces itself
  EXPECT_EQ(irq_slot(kIrq)->cap, k.root_cap(ntfn));
  k.interrupt(kIrq);  // signalled (a hook until notifications can be), and masked
  EXPECT_TRUE(masked(kIrq));
  EXPECT_FALSE(printed("undelivered"));
  ASSERT_EQ(invoke(free_slot, Label::IRQClearIRQHandler).label(), 0u);
  EXPECT_TRUE(irq_slot(kIrq)->cap.is_null());
  EXPECT_EQ(invoke(free_slot, Label::IRQIssueIRQHandler).label(), err(Error::IllegalOperation));
}

TEST_F(IrqTest, DeletingTheHandlerUnbindsItsNotification) {
  ASSERT_EQ(get(kIrq, free_slot).label(), 0u);
  const word_t ntfn = k.retype(ObjectType::Notification);
  ASSERT_EQ(invoke(free_slot, Label::IRQSetIRQHandler, {ntfn}).label(), 0u);
  ASSERT_EQ(del(free_slot).label(), 0u);
  EXPECT_TRUE(irq_slot(kIrq)->cap.is_null());
  EXPECT_EQ(irq_state(kIrq), IrqState::Inactive);
  EXPECT_TRUE(masked(kIrq));
  // Revoking IRQControl deletes every handler cap: they are its children.
  ASSERT_EQ(get(kIrq, free_slot).label(), 0u);
  ASSERT_EQ(get(kIrq + 1, free_slot + 1).label(), 0u);
  ASSERT_EQ(invoke(free_slot, Label::IRQSetIRQHandler, {ntfn}).label(), 0u);
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {kCapIRQControl, 64}).label(), 0u);
  EXPECT_TRUE(k.root_cap(free_slot).is_null());
  EXPECT_TRUE(k.root_cap(free_slot + 1).is_null());
  EXPECT_TRUE(irq_slot(kIrq)->cap.is_null());
  EXPECT_TRUE(masked(kIrq) && masked(kIrq + 1));
  EXPECT_EQ(k.root_cap(ntfn).type(), CapType::Notification);
}

TEST_F(IrqTest, GetTriggerSetsTheTriggerMode) {
  EXPECT_EQ(k.call(kCapIRQControl, word_t(Label::ARMIRQIssueIRQHandlerTrigger), {kIrq, 1, free_slot},
                   {kCapInitThreadCNode})
                .label(),
            err(Error::TruncatedMessage));
  EXPECT_EQ(get_trigger(27, 1, free_slot).label(), err(Error::RevokeFirst));
  EXPECT_FALSE(k.machine().irq_edge[27]);
  ASSERT_EQ(get_trigger(kIrq, 5, free_slot).label(), 0u);
  EXPECT_TRUE(k.machine().irq_edge[kIrq]);
  EXPECT_FALSE(masked(kIrq));
  ASSERT_EQ(del(free_slot).label(), 0u);
  EXPECT_TRUE(k.machine().irq_edge[kIrq]);  // deletion leaves the trigger alone
  ASSERT_EQ(get_trigger(kIrq, 0, free_slot).label(), 0u);
  EXPECT_FALSE(k.machine().irq_edge[kIrq]);
}

TEST_F(IrqTest, IrqsNobodyOwnsAreMaskedAndTheTickStillTicks) {
  k.interrupt(50);
  EXPECT_TRUE(printed("interrupt 50 has no handler"));
  EXPECT_TRUE(masked(50));
  k.interrupt(300);
  EXPECT_TRUE(printed("interrupt 300 is above maxIRQ"));
  const word_t slice = k.root()->time_slice;
  k.tick();
  EXPECT_EQ(k.root()->time_slice, slice - 1);
  EXPECT_FALSE(masked(27));
}

}  // namespace
}  // namespace keel
