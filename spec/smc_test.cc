// SMC: decode order, the reply, and sel4test SMC0001-SMC0008 expressed on the spec.
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr word_t kArmStdSvcVersion = 0x8400ff03;
constexpr word_t kUnassignedSmc = 0x82000000;
constexpr cptr_t kEnvSmc = 18;  // sel4test's env->smc: a CNode_Copy of the master

struct Smc : ::testing::Test {
  World w;
  std::vector<SmcArgs> seen;
  void SetUp() override {
    // A monitor answering "Standard Service version 0.1" and echoing the other registers + 1.
    w.oracle = [this](const SmcArgs& a) {
      seen.push_back(a);
      SmcArgs r{};
      r[0] = 0, r[1] = 1;
      for (unsigned i = 2; i < 8; ++i) r[i] = a[i] + 1;
      return r;
    };
    ASSERT_EQ(w.copy(kEnvSmc, kCapSMC).label, kOk);
  }
  Reply smc_call(cptr_t cap, word_t x0, word_t label = 37, word_t len = 8) {
    std::vector<word_t> mrs{x0, 10, 20, 30, 40, 50, 60, 70};
    mrs.resize(len);
    return w.call(cap, static_cast<Label>(label), mrs);
  }
};

TEST_F(Smc, DecodeOrderLabelLengthBadge) {
  ASSERT_EQ(w.mint(19, kEnvSmc, kArmStdSvcVersion).label, kOk);
  EXPECT_EQ(smc_call(19, kUnassignedSmc, 36, 3).label, err(Error::IllegalOperation));  // label first
  EXPECT_EQ(smc_call(19, kUnassignedSmc, 37, 7).label, err(Error::TruncatedMessage));  // then length
  Reply r = smc_call(19, kUnassignedSmc);                                              // then badge
  EXPECT_EQ(r.label, err(Error::IllegalOperation));
  EXPECT_EQ(r.length, 0u);
  EXPECT_TRUE(seen.empty());
}

TEST_F(Smc, CallRepliesWithTheEightResults) {
  Reply r = smc_call(kCapSMC, 0);  // badge 0 allows any function ID, 0 included
  EXPECT_EQ(r.label, kOk);
  EXPECT_EQ(r.words, (std::vector<word_t>{0, 1, 21, 31, 41, 51, 61, 71}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (SmcArgs{0, 10, 20, 30, 40, 50, 60, 70}));
}

TEST_F(Smc, SendMakesTheCallButGetsNoReply) {
  SyscallEvent e;
  e.regs = {kCapSMC, MessageInfo{37, 0, 0, 8}.to_word(), 1, 2, 3, 4, 0, static_cast<word_t>(-3)};
  e.smc_oracle = w.oracle;
  Step st = step(w.s, e);
  EXPECT_EQ(st.result.outcome, Outcome::Returned);
  ASSERT_TRUE(st.result.smc.has_value());
  EXPECT_EQ(st.result.smc->args[0], 1u);
  EXPECT_EQ(st.result.regs, e.regs);  // nothing written back
}

TEST_F(Smc, NoIpcBufferMeansTruncatedAndReadOnlyBufferMeansFourWords) {
  State with_buffer = w.s;
  w.s.slots.erase(SlotRef{kRootTcb, kTcbBuffer});
  EXPECT_EQ(smc_call(kCapSMC, 0).label, err(Error::TruncatedMessage));  // length clamped to 4
  w.s = with_buffer;
  w.s.slots.at(SlotRef{kRootTcb, kTcbBuffer}).cap.vm_rights = VmRights::ReadOnly;
  SyscallResult r = w.syscall(Syscall::Call, kCapSMC, 37, {0, 10, 20, 30, 40, 50, 60, 70});
  Reply rep = reply_of(r);
  EXPECT_EQ(rep.label, kOk);
  EXPECT_EQ(rep.length, 4u);  // the kernel may not write results 4..7
  EXPECT_EQ(r.ipc_buffer[5], 40u);
  ASSERT_EQ(seen.size(), 1u);  // but the SMC did happen
}

TEST_F(Smc, SMC0001_BadgedCapAllowsOnlyItsFunction) {
  ASSERT_EQ(w.mint(19, kEnvSmc, kArmStdSvcVersion).label, kOk);
  Reply r = smc_call(19, kArmStdSvcVersion);
  ASSERT_EQ(r.label, kOk);
  EXPECT_NE(r.words[0], kArmStdSvcVersion);
  EXPECT_GE(r.words[0] + r.words[1], 1u);
  EXPECT_EQ(smc_call(19, kUnassignedSmc).label, err(Error::IllegalOperation));
  EXPECT_EQ(w.mint(20, 19, kUnassignedSmc).label, err(Error::IllegalOperation));
}

TEST_F(Smc, SMC0002_CanBeCopied) {
  EXPECT_EQ(w.copy(19, kEnvSmc).label, kOk);
  EXPECT_EQ(w.cap(19), Cap::smc(0));
}

TEST_F(Smc, SMC0003_CopiesLoseRevocableAuthority) {
  ASSERT_EQ(w.copy(19, kEnvSmc).label, kOk);
  EXPECT_EQ(w.revoke(kEnvSmc).label, kOk);
  EXPECT_FALSE(w.cap(19).is_null());
}

TEST_F(Smc, SMC0004_UnbadgedCanBeBadged) { EXPECT_EQ(w.mint(19, kEnvSmc, 1).label, kOk); }

TEST_F(Smc, SMC0005_BadgedCannotChangeBadge) {
  ASSERT_EQ(w.mint(19, kEnvSmc, 1).label, kOk);
  EXPECT_EQ(w.mint(20, 19, 2).label, err(Error::IllegalOperation));
  EXPECT_TRUE(w.cap(20).is_null());
  EXPECT_EQ(w.mutate(20, 19, 0).label, err(Error::IllegalOperation));  // Mutate never
}

TEST_F(Smc, SMC0006_BadgedCanBeCopied) {
  ASSERT_EQ(w.mint(19, kEnvSmc, 1).label, kOk);
  EXPECT_EQ(w.copy(20, 19).label, kOk);
  EXPECT_EQ(w.cap(20), Cap::smc(1));
}

TEST_F(Smc, SMC0007_OriginalBadgedRevokesCopies) {
  ASSERT_EQ(w.mint(19, kEnvSmc, 1).label, kOk);
  ASSERT_EQ(w.copy(20, 19).label, kOk);
  EXPECT_EQ(w.revoke(19).label, kOk);
  EXPECT_TRUE(w.cap(20).is_null());
}

TEST_F(Smc, SMC0008_OriginalBadgedKeepsOtherOriginals) {
  ASSERT_EQ(w.mint(19, kEnvSmc, 1).label, kOk);
  ASSERT_EQ(w.mint(20, kEnvSmc, 1).label, kOk);
  ASSERT_EQ(w.copy(21, 20).label, kOk);
  EXPECT_EQ(w.revoke(20).label, kOk);
  EXPECT_TRUE(w.cap(21).is_null());
  EXPECT_FALSE(w.cap(19).is_null());
  // and the master revokes them all
  EXPECT_EQ(w.revoke(kCapSMC).label, kOk);
  for (word_t i : {kEnvSmc, word_t{19}, word_t{20}}) EXPECT_TRUE(w.cap(i).is_null()) << i;
}

TEST_F(Smc, BadgeRulesOnTheTree) {
  ASSERT_EQ(w.mint(19, kEnvSmc, 1).label, kOk);
  const Slot* minted = w.s.slot_at(root_slot(19));
  EXPECT_TRUE(minted->revocable && minted->first_badged);  // badge differs from its source
  EXPECT_EQ(minted->parent, root_slot(kCapSMC));           // env->smc is not revocable
  ASSERT_EQ(w.copy(20, 19).label, kOk);
  const Slot* copied = w.s.slot_at(root_slot(20));
  EXPECT_FALSE(copied->revocable || copied->first_badged);
  EXPECT_EQ(copied->parent, root_slot(19));
}

}  // namespace
}  // namespace keel::spec::test
