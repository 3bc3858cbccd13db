// Host tests of SGIs: IRQControl IssueSGISignal's errors in seL4's order with their words, the
// cap it makes and where it sits in the derivation tree, and invoking the cap (any label, the
// SGI on the host machine's one-core GIC, delivery through an IRQ handler with its badge).
#include <gtest/gtest.h>

#include "arch/aarch64/object/sgi.h"
#include "host/test_driver.h"
#include "kernel/api/bootinfo.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cap.h"
#include "kernel/cap/mdb.h"
#include "kernel/object/irq.h"

namespace keel {
namespace {

using host::HostKernel;
using host::HostMachine;
using host::SyscallResult;

constexpr word_t e(Error x) { return word_t(x); }

class SgiTest : public ::testing::Test {
 protected:
  HostKernel k;
  word_t slot(unsigned i) { return k.bootinfo()->empty.start + 100 + i; }

  SyscallResult issue(std::initializer_list<word_t> mrs,
                      std::initializer_list<cptr_t> extra = {kCapInitThreadCNode}) {
    return k.call(kCapIRQControl, word_t(Label::ARMIRQIssueSGISignal), mrs, extra);
  }
  SyscallResult cnode(Label l, std::initializer_list<word_t> mrs) {
    return k.call(kCapInitThreadCNode, word_t(l), mrs, {kCapInitThreadCNode});
  }
  const std::vector<HostMachine::Sgi>& sgis() { return k.machine().sgis; }
};

TEST_F(SgiTest, IssueChecksInSeL4Order) {
  EXPECT_EQ(issue({3, 0, slot(0)}).label(), e(Error::TruncatedMessage));
  EXPECT_EQ(issue({3, 0, slot(0), 64}, {}).label(), e(Error::TruncatedMessage));
  SyscallResult r = issue({16, 8, slot(0), 64});  // the id before the target
  EXPECT_EQ(r.label(), e(Error::RangeError));
  EXPECT_EQ(r.x[2], 0u);
  EXPECT_EQ(r.x[3], 15u);
  EXPECT_EQ(issue({~word_t{0}, 0, slot(0), 64}).label(), e(Error::RangeError));  // the whole word
  r = issue({15, 8, slot(0), 64});
  EXPECT_EQ(r.label(), e(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 1u);
  EXPECT_EQ(issue({15, ~word_t{0}, slot(0), 64}).label(), e(Error::InvalidArgument));
  r = issue({3, 0, slot(0), 64}, {kCapSMC});  // the target before the root's type
  EXPECT_EQ(r.label(), e(Error::FailedLookup));
  EXPECT_EQ(r.x[2], 0u);
  EXPECT_EQ(r.x[3], word_t(LookupFailureType::InvalidRoot));
  r = issue({3, 0, slot(0), 0});
  EXPECT_EQ(r.label(), e(Error::RangeError));
  EXPECT_EQ(r.x[2], 1u);
  EXPECT_EQ(r.x[3], 64u);
  EXPECT_EQ(issue({3, 0, kCapSMC, 64}).label(), e(Error::DeleteFirst));
  EXPECT_TRUE(k.root_cap(slot(0)).is_null());
  EXPECT_TRUE(sgis().empty());
  EXPECT_EQ(k.call(kCapIRQControl, 51, {3, 0, slot(0), 64}, {kCapInitThreadCNode}).label(),
            e(Error::IllegalOperation));
}

TEST_F(SgiTest, IssueMakesAChildOfIrqControlAndTouchesNoIrq) {
  ASSERT_EQ(issue({15, 7, slot(0), 64}).label(), 0u);
  ASSERT_EQ(issue({0, 0, slot(1), 64}).label(), 0u);
  EXPECT_EQ(k.root_cap(slot(0)), SgiSignalCap::make(15, 7));
  EXPECT_EQ(k.root_cap(slot(1)), SgiSignalCap::make(0, 0));
  for (word_t irq = 0; irq < kNumSgis; ++irq) EXPECT_EQ(irq_state(irq), IrqState::Inactive) << irq;
  EXPECT_EQ(k.syscall(k.root(), sword_t(Syscall::DebugCapIdentify), {slot(0)}).x[0], 27u);
  // Mint changes nothing (no badge, no rights); the copy is a child, revoked with its parent.
  ASSERT_EQ(cnode(Label::CNodeMint, {slot(2), 64, slot(0), 64, 0, 0x99}).label(), 0u);
  EXPECT_EQ(k.root_cap(slot(2)), SgiSignalCap::make(15, 7));
  ASSERT_EQ(issue({15, 7, slot(3), 64}).label(), 0u);  // another original, not a parent of slot 2
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {slot(3), 64}).label(), 0u);
  EXPECT_FALSE(k.root_cap(slot(2)).is_null());
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {slot(0), 64}).label(), 0u);
  EXPECT_TRUE(k.root_cap(slot(2)).is_null());
  ASSERT_EQ(k.call(kCapInitThreadCNode, word_t(Label::CNodeRevoke), {kCapIRQControl, 64}).label(), 0u);
  EXPECT_TRUE(k.root_cap(slot(0)).is_null());
  EXPECT_TRUE(k.root_cap(slot(1)).is_null());
  EXPECT_TRUE(k.root_cap(slot(3)).is_null());
}

TEST_F(SgiTest, InvokingRaisesTheSgiWithAnyLabel) {
  ASSERT_EQ(issue({9, 3, slot(0), 64}).label(), 0u);
  const SyscallResult r = k.call(slot(0), 1000, {1, 2, 3});
  EXPECT_EQ(r.label(), 0u);  // success: label 0, no words
  EXPECT_EQ(r.x[1], 0u);
  EXPECT_EQ(sgis(), (std::vector<HostMachine::Sgi>{{3, 9}}));
  EXPECT_TRUE(k.machine().pending_irqs.empty()) << "interface 3 is no CPU of this machine";
  k.syscall(sword_t(Syscall::Send), {slot(0), 0, 0, 0, 0, 0});  // Send too, without a reply
  EXPECT_EQ(sgis().size(), 2u);
}

TEST_F(SgiTest, AnSgiToThisCoreReachesTheHandlersNotification) {
  const word_t ntfn = k.retype(ObjectType::Notification);
  ASSERT_EQ(cnode(Label::CNodeMint, {slot(1), 64, ntfn, 64, 0xf, 0x55}).label(), 0u);
  ASSERT_EQ(k.call(kCapIRQControl, word_t(Label::IRQIssueIRQHandler), {4, slot(2), 64}, {kCapInitThreadCNode})
                .label(),
            0u);  // IRQs 0..15 are SGIs; IRQControl hands them out like any other
  ASSERT_EQ(k.call(slot(2), word_t(Label::IRQSetIRQHandler), {}, {slot(1)}).label(), 0u);
  ASSERT_EQ(issue({4, 0, slot(0), 64}).label(), 0u);
  ASSERT_EQ(k.call(slot(0), 0, {}).label(), 0u);
  EXPECT_EQ(k.machine().pending_irqs, std::vector<word_t>{4});
  k.take_pending_interrupts();
  EXPECT_TRUE(k.machine().irq_masked[4]) << "delivered: masked until Ack";
  const SyscallResult w = k.syscall(k.root(), sword_t(Syscall::NBRecv), {ntfn});
  EXPECT_EQ(w.x[0], 0x55u);  // the handler's notification cap's badge
}

}  // namespace
}  // namespace keel
