// Host tests of the SMC cap: seL4's decode order and errors, the call and its reply, the badge
// rules through CNode invocations (sel4test SMC0001-SMC0008), and the frame condition.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/bootinfo.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/cap/cap.h"
#include "kernel/cap/mdb.h"

namespace keel {
namespace {

using host::HostKernel;
using host::SyscallResult;

constexpr word_t kPsciVersion = 0x84000000;
constexpr word_t kPsciFeatures = 0x8400000a;
constexpr word_t kSmc = word_t(Label::ARMSMCCall);
constexpr word_t kMinus1 = ~word_t{0};

word_t err(const SyscallResult& r) { return r.label(); }
constexpr word_t e(Error x) { return word_t(x); }

class SmcTest : public ::testing::Test {
 protected:
  HostKernel k;
  word_t free_slot(unsigned i) { return k.bootinfo()->empty.start + i; }

  SyscallResult smc(cptr_t cap, std::initializer_list<word_t> x) { return k.call(cap, kSmc, x); }
  SyscallResult cnode(Label l, std::initializer_list<word_t> mrs, bool with_src_root = true) {
    if (with_src_root) return k.call(kCapInitThreadCNode, word_t(l), mrs, {kCapInitThreadCNode});
    return k.call(kCapInitThreadCNode, word_t(l), mrs);
  }
  SyscallResult mint(word_t dest, word_t src, word_t badge) {
    return cnode(Label::CNodeMint, {dest, 64, src, 64, 0xf, badge});
  }
  SyscallResult copy(word_t dest, word_t src) { return cnode(Label::CNodeCopy, {dest, 64, src, 64, 0xf}); }
  SyscallResult revoke(word_t slot) { return cnode(Label::CNodeRevoke, {slot, 64}, false); }
  word_t identify(word_t slot) { return k.syscall(-12, {slot}).x[0]; }
};

TEST_F(SmcTest, MasterCapCallsPsciVersionAndRepliesEightWords) {
  const auto r = smc(kCapSMC, {kPsciVersion, 1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(err(r), 0u);
  EXPECT_EQ(r.info().length, 8u);
  EXPECT_EQ(r.x[0], 0u);                                           // badge register
  EXPECT_EQ(k.mr(0, r), 0x10001u);                                 // PSCI 1.1
  for (unsigned i = 1; i < 8; ++i) EXPECT_EQ(k.mr(i, r), i) << i;  // QEMU leaves x1..x7
  ASSERT_EQ(k.machine().smc_calls.size(), 1u);
  const auto& made = k.machine().smc_calls[0];
  EXPECT_EQ(made.x[0], kPsciVersion);
  EXPECT_EQ(made.x[7], 7u);
  for (unsigned i = 8; i < 18; ++i) EXPECT_EQ(made.x[i], 0u) << "x" << i;
}

TEST_F(SmcTest, PsciFeaturesAndUnknownIds) {
  EXPECT_EQ(k.mr(0, smc(kCapSMC, {kPsciFeatures, 0x84000008, 0, 0, 0, 0, 0, 0})), 0u);
  EXPECT_EQ(k.mr(0, smc(kCapSMC, {kPsciFeatures, 0x84000012, 0, 0, 0, 0, 0, 0})), kMinus1);
  EXPECT_EQ(k.mr(0, smc(kCapSMC, {0x82000000, 0, 0, 0, 0, 0, 0, 0})), kMinus1);
}

TEST_F(SmcTest, WrongLabelIsIllegalOperation) {
  const auto r = k.call(kCapSMC, kSmc - 1, {kPsciVersion, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(err(r), e(Error::IllegalOperation));
  EXPECT_EQ(r.info().length, 0u);
  EXPECT_TRUE(k.machine().smc_calls.empty());
}

TEST_F(SmcTest, FewerThanEightWordsIsTruncatedMessage) {
  EXPECT_EQ(err(smc(kCapSMC, {kPsciVersion, 0, 0, 0, 0, 0, 0})), e(Error::TruncatedMessage));
  EXPECT_TRUE(k.machine().smc_calls.empty());
}

// The label check comes first, then the length, then the badge.
TEST_F(SmcTest, ChecksComeInSeL4sOrder) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, kPsciVersion)), 0u);
  EXPECT_EQ(err(k.call(free_slot(0), 5, {0x1})), e(Error::IllegalOperation));
  EXPECT_EQ(err(smc(free_slot(0), {0x1})), e(Error::TruncatedMessage));
  EXPECT_EQ(err(smc(free_slot(0), {0x1, 0, 0, 0, 0, 0, 0, 0})), e(Error::IllegalOperation));
}

TEST_F(SmcTest, WithoutAnIpcBufferEveryCallIsTruncated) {
  cte_delete_one(k.root()->slot(kTcbBuffer));
  EXPECT_EQ(err(smc(kCapSMC, {kPsciVersion, 0, 0, 0, 0, 0, 0, 0})), e(Error::TruncatedMessage));
}

TEST_F(SmcTest, ReadOnlyIpcBufferGetsFourResultWords) {
  Cte* buf = k.root()->slot(kTcbBuffer);
  buf->cap = FrameCap{buf->cap}.with_rights(VmRights::ReadOnly);
  const auto r = smc(kCapSMC, {kPsciVersion, 1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(err(r), 0u);
  EXPECT_EQ(r.info().length, 4u);
  EXPECT_EQ(r.x[2], 0x10001u);
}

TEST_F(SmcTest, SendMakesTheCallAndDropsTheResults) {
  const word_t info = MessageInfo{kSmc, 0, 0, 8}.to_word();
  k.ipc_buffer()[1 + 4] = 0;
  const auto r = k.syscall(-3, {kCapSMC, info, kPsciVersion, 0, 0, 0});
  EXPECT_EQ(k.machine().smc_calls.size(), 1u);
  EXPECT_EQ(r.x[1], info);
  EXPECT_EQ(r.x[2], kPsciVersion);
}

TEST_F(SmcTest, BadgedCapAllowsOnlyItsFunctionId) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, kPsciVersion)), 0u);
  EXPECT_EQ(k.mr(0, smc(free_slot(0), {kPsciVersion, 0, 0, 0, 0, 0, 0, 0})), 0x10001u);
  EXPECT_EQ(err(smc(free_slot(0), {kPsciFeatures, 0, 0, 0, 0, 0, 0, 0})), e(Error::IllegalOperation));
  // Full 64-bit compare: upper bits of x0 or the SVE hint (bit 16) make a different ID.
  EXPECT_EQ(err(smc(free_slot(0), {kPsciVersion | (word_t{1} << 32), 0, 0, 0, 0, 0, 0, 0})),
            e(Error::IllegalOperation));
  EXPECT_EQ(err(smc(free_slot(0), {kPsciVersion | 0x10000, 0, 0, 0, 0, 0, 0, 0})),
            e(Error::IllegalOperation));
  EXPECT_EQ(k.machine().smc_calls.size(), 1u);
}

// sel4test SMC0001: mint, call, denied call, no re-badging.
TEST_F(SmcTest, SeL4Test0001) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, 0x8400ff03)), 0u);
  EXPECT_EQ(err(smc(free_slot(0), {0x8400ff03, 0, 0, 0, 0, 0, 0, 0})), 0u);
  EXPECT_EQ(err(smc(free_slot(0), {0x82000000, 0, 0, 0, 0, 0, 0, 0})), e(Error::IllegalOperation));
  EXPECT_EQ(err(mint(free_slot(1), free_slot(0), 0x82000000)), e(Error::IllegalOperation));
  EXPECT_EQ(identify(free_slot(1)), 0u);
}

// SMC0002/0003: a copy exists and survives revoking the cap it was copied from, when that
// cap is itself a non-revocable copy (as sel4test's env->smc is).
TEST_F(SmcTest, SeL4Test0002And0003) {
  ASSERT_EQ(err(copy(free_slot(0), kCapSMC)), 0u);  // env->smc
  ASSERT_EQ(err(copy(free_slot(1), free_slot(0))), 0u);
  EXPECT_EQ(identify(free_slot(1)), 25u);
  EXPECT_EQ(err(revoke(free_slot(0))), 0u);
  EXPECT_EQ(identify(free_slot(1)), 25u);
}

// SMC0004/0005: unbadged caps can be badged; badged ones cannot change badge or be mutated.
TEST_F(SmcTest, SeL4Test0004And0005) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, 1)), 0u);
  EXPECT_EQ(err(mint(free_slot(1), free_slot(0), 2)), e(Error::IllegalOperation));
  EXPECT_EQ(err(mint(free_slot(1), free_slot(0), 1)), e(Error::IllegalOperation));
  EXPECT_EQ(err(mint(free_slot(1), free_slot(0), 0)), e(Error::IllegalOperation));
  EXPECT_EQ(identify(free_slot(1)), 0u);
  EXPECT_EQ(err(cnode(Label::CNodeMutate, {free_slot(1), 64, kCapSMC, 64, 5})), e(Error::IllegalOperation));
  EXPECT_EQ(identify(kCapSMC), 25u);  // the source stays where it was
}

// SMC0006/0007: badged caps copy; revoking the minted original removes its copies.
TEST_F(SmcTest, SeL4Test0006And0007) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, 1)), 0u);
  ASSERT_EQ(err(copy(free_slot(1), free_slot(0))), 0u);
  EXPECT_EQ(err(revoke(free_slot(0))), 0u);
  EXPECT_EQ(identify(free_slot(1)), 0u);
  EXPECT_EQ(identify(free_slot(0)), 25u);
}

// SMC0008: revoking one badged original leaves independently minted originals alone.
TEST_F(SmcTest, SeL4Test0008) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, 1)), 0u);
  ASSERT_EQ(err(mint(free_slot(1), kCapSMC, 1)), 0u);
  ASSERT_EQ(err(copy(free_slot(2), free_slot(1))), 0u);
  EXPECT_EQ(err(revoke(free_slot(1))), 0u);
  EXPECT_EQ(identify(free_slot(2)), 0u);
  EXPECT_EQ(identify(free_slot(0)), 25u);
}

TEST_F(SmcTest, RevokingTheMasterRemovesEveryDerivedSmcCap) {
  ASSERT_EQ(err(mint(free_slot(0), kCapSMC, 1)), 0u);
  ASSERT_EQ(err(copy(free_slot(1), free_slot(0))), 0u);
  ASSERT_EQ(err(copy(free_slot(2), kCapSMC)), 0u);
  EXPECT_EQ(err(revoke(kCapSMC)), 0u);
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(identify(free_slot(i)), 0u) << i;
  EXPECT_EQ(identify(kCapSMC), 25u);
}

TEST_F(SmcTest, WellBehavedMonitorKeepsTheFrameCondition) {
  smc(kCapSMC, {kPsciVersion, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(k.machine().frame_violations.empty());
}

TEST_F(SmcTest, FrameConditionCatchesAMonitorThatWritesKernelMemory) {
  // A byte of the bootinfo frame: live memory (free RAM is poisoned under ASan).
  auto* byte = reinterpret_cast<uint8_t*>(k.bootinfo()) + 100;
  k.machine().monitor = [byte](const machine::SmcRegs& in, host::HostMachine&) {
    *byte ^= 1;
    return in;
  };
  smc(kCapSMC, {0xc2000001, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(k.machine().frame_violations.size(), 1u);
  EXPECT_EQ(k.machine().frame_violations[0].function_id, 0xc2000001u);
}

// RAM is read-only during the call: a write that puts back the value already there is seen too.
TEST_F(SmcTest, FrameConditionCatchesAMonitorThatRewritesKernelMemoryUnchanged) {
  auto* word = reinterpret_cast<volatile word_t*>(k.bootinfo());
  k.machine().monitor = [word](const machine::SmcRegs& in, host::HostMachine&) {
    *word = *word;
    return in;
  };
  smc(kCapSMC, {0xc2000002, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(k.machine().frame_violations.size(), 1u);
  EXPECT_EQ(k.machine().frame_violations[0].what, "kernel-visible memory written");
  k.machine().monitor = host::psci_monitor;  // RAM is writable again after the call, and quiet
  smc(kCapSMC, {kPsciVersion, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(k.machine().frame_violations.size(), 1u);
}

TEST_F(SmcTest, FrameConditionCatchesAMonitorThatTouchesTheInterruptController) {
  k.machine().monitor = [](const machine::SmcRegs& in, host::HostMachine& m) {
    m.interrupt_controller_state ^= 1;
    return in;
  };
  smc(kCapSMC, {0x84000001, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(k.machine().frame_violations.size(), 1u);
  EXPECT_EQ(k.machine().frame_violations[0].what, "interrupt controller state changed");
}

}  // namespace
}  // namespace keel
