// The kernel built with four domains (KEEL_NUM_DOMAINS=4, as sel4test's DOMAINS=ON): threads
// run only in their domain's time, the domain schedule is followed tick by tick, and the
// domain invocations' limits follow the number of domains and schedule entries.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/core/kernel_state.h"

namespace keel {
namespace {

static_assert(config::kNumDomains == 4 && config::kNumDomainSchedules == 100, "built with four domains");

constexpr word_t err(Error e) { return static_cast<word_t>(e); }

class Domains : public ::testing::Test {
 protected:
  host::HostKernel k;
  host::SyscallResult call(cptr_t cap, Label l, std::initializer_list<word_t> mrs,
                           std::initializer_list<cptr_t> extra = {}) {
    return k.call(cap, word_t(l), mrs, extra);
  }
  // A started thread at priority 255 in `domain`.
  word_t thread_in(word_t domain) {
    const word_t t = k.new_thread(255);
    EXPECT_EQ(call(kCapDomain, Label::DomainSetSet, {domain}, {t}).label(), 0u);
    k.start_thread(t, 0x400000);
    return t;
  }
};

TEST_F(Domains, LimitsFollowTheConfiguration) {
  auto r = call(kCapDomain, Label::DomainSetSet, {4}, {kCapInitThreadTCB});
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  r = call(kCapDomain, Label::DomainScheduleConfigure, {99, 0, 5});
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[3], 98u);
  r = call(kCapDomain, Label::DomainScheduleConfigure, {0, 4, 5});
  EXPECT_EQ(r.label(), err(Error::RangeError));
  EXPECT_EQ(r.x[3], 3u);
  r = call(kCapDomain, Label::DomainScheduleConfigure, {1, 2, 0});  // an end marker is all zero
  EXPECT_EQ(r.label(), err(Error::InvalidArgument));
  EXPECT_EQ(r.x[2], 1u);
}

TEST_F(Domains, AThreadOfAnotherDomainNeverRunsInThisOne) {
  const word_t t = thread_in(1);
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_TRUE(k.thread_at(t)->queued);
  (void)call(kCapInitThreadTCB, Label::TCBSuspend, {});  // no reply: it is suspended
  EXPECT_EQ(ks.cur_thread, ks.idle_thread);              // domain 0 has nothing left, domain 1 waits its turn
}

TEST_F(Domains, TheScheduleHandsTheCpuFromDomainToDomain) {
  const word_t t = thread_in(1);
  ASSERT_EQ(call(kCapDomain, Label::DomainScheduleConfigure, {0, 0, 3}).label(), 0u);
  ASSERT_EQ(call(kCapDomain, Label::DomainScheduleConfigure, {1, 1, 2}).label(), 0u);
  ASSERT_EQ(call(kCapDomain, Label::DomainScheduleSetStart, {0}).label(), 0u);
  EXPECT_EQ(ks.cur_domain, 0u);
  EXPECT_EQ(ks.domain_time, 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ks.cur_thread, k.root());
    k.tick();
  }
  EXPECT_EQ(ks.cur_domain, 1u);
  EXPECT_EQ(ks.cur_thread, k.thread_at(t));
  k.tick();
  k.tick();
  EXPECT_EQ(ks.cur_domain, 0u);  // the schedule wraps at its end marker
  EXPECT_EQ(ks.cur_thread, k.root());
}

}  // namespace
}  // namespace keel
