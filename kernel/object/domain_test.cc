// The domain cap through the syscall path: DomainSet_Set and the domain schedule's errors in
// seL4's order (one domain, two schedule entries), and a ScheduleSetStart taking effect.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/core/kernel_state.h"

namespace keel {
namespace {

constexpr word_t err(Error e) { return static_cast<word_t>(e); }

class DomainTest : public ::testing::Test {
 protected:
  host::HostKernel k;
  host::SyscallResult call(Label l, std::initializer_list<word_t> mrs,
                           std::initializer_list<cptr_t> extra = {}) {
    return k.call(kCapDomain, word_t(l), mrs, extra);
  }
};

TEST_F(DomainTest, SetChecksTheDomainThenTheThreadCap) {
  EXPECT_EQ(call(Label::DomainSetSet, {}, {kCapInitThreadTCB}).label(), err(Error::TruncatedMessage));
  auto r = call(Label::DomainSetSet, {1}, {kCapInitThreadTCB});
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 0u);
  EXPECT_EQ(call(Label::DomainSetSet, {0}).label(), err(Error::TruncatedMessage));
  r = call(Label::DomainSetSet, {0}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 1u);
  EXPECT_EQ(call(Label::DomainSetSet, {0}, {kCapInitThreadTCB}).label(), 0u);
  EXPECT_EQ(ks.cur_thread, k.root());
  // A TCB label on the domain cap, and the domain label on a TCB cap, are illegal.
  EXPECT_EQ(call(Label::TCBSuspend, {}).label(), err(Error::IllegalOperation));
  EXPECT_EQ(k.call(kCapInitThreadTCB, word_t(Label::DomainSetSet), {0}, {kCapInitThreadTCB}).label(),
            err(Error::IllegalOperation));
}

TEST_F(DomainTest, ScheduleConfigureErrorsFollowSeL4) {
  auto configure = [&](word_t index, word_t domain, word_t duration) {
    return call(Label::DomainScheduleConfigure, {index, domain, duration});
  };
  EXPECT_EQ(call(Label::DomainScheduleConfigure, {0, 0}).label(), err(Error::TruncatedMessage));
  auto r = configure(1, 0, 5);  // the last entry is the fixed end marker
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[3], 0u);
  r = configure(0, 1, 5);
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[3], 0u);
  r = configure(0, 0, word_t{1} << 56);
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 2u);
  r = configure(0, 0, 0);  // the start entry cannot become an end marker
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 2u);
  EXPECT_EQ(configure(0, 0, 7).label(), 0u);
  EXPECT_EQ(ks.domain_schedule[0].length, 7u);
}

TEST_F(DomainTest, ScheduleSetStartRestartsTheScheduleAtOnce) {
  EXPECT_EQ(call(Label::DomainScheduleSetStart, {}).label(), err(Error::TruncatedMessage));
  auto r = call(Label::DomainScheduleSetStart, {2});
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[3], 1u);
  r = call(Label::DomainScheduleSetStart, {1});  // an end marker
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 0u);
  ASSERT_EQ(call(Label::DomainScheduleConfigure, {0, 0, 9}).label(), 0u);
  ASSERT_EQ(call(Label::DomainScheduleSetStart, {0}).label(), 0u);
  EXPECT_EQ(ks.domain_schedule_index, 0u);
  EXPECT_EQ(ks.domain_time, 9u);  // the new entry 0 began at the end of the call
  EXPECT_EQ(ks.cur_thread, k.root());
}

}  // namespace
}  // namespace keel
