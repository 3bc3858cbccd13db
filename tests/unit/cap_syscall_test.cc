// End-to-end: CNode and Untyped invocations from the booted root task through the real syscall
// path, checking the reply registers (label, length, error words) seL4 programs see.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"
#include "kernel/api/object_type.h"
#include "kernel/cap/cap.h"
#include "kernel/lib/preemption.h"

namespace keel {
namespace {

using host::HostKernel;
using host::SyscallResult;

constexpr word_t D = 64;

struct RootTask : ::testing::Test {
  HostKernel k;
  word_t ut = 0;  // a non-device boot untyped
  word_t ut_bits = 0;
  word_t free_slot = 0;  // first empty slot

  void SetUp() override {
    ASSERT_TRUE(k.booted());
    const BootInfo* bi = k.bootinfo();
    free_slot = bi->empty.start;
    for (word_t s = bi->untyped.start; s < bi->untyped.end; ++s) {
      const UntypedDesc& d = bi->untyped_list[s - bi->untyped.start];
      if (!d.is_device && d.size_bits >= 16 && d.size_bits > ut_bits) {
        ut = s;
        ut_bits = d.size_bits;
      }
    }
    ASSERT_NE(ut, 0u);
  }
  SyscallResult retype(word_t type, word_t size, word_t offset, word_t n, word_t untyped = 0) {
    return k.call(untyped ? untyped : ut, word_t(Label::UntypedRetype), {type, size, 0, 0, offset, n},
                  {kCapInitThreadCNode});
  }
  SyscallResult cnode(Label l, std::initializer_list<word_t> mrs, std::initializer_list<cptr_t> caps = {}) {
    return k.call(kCapInitThreadCNode, word_t(l), mrs, caps);
  }
  word_t identify(word_t slot) { return k.syscall(-12, {slot}).x[0]; }
};

TEST_F(RootTask, RetypeAndCopy) {
  const SyscallResult r = retype(word_t(ObjectType::Endpoint), 0, free_slot, 4);
  EXPECT_EQ(r.x[0], 0u);
  EXPECT_EQ(r.x[1], 0u) << "label 0, length 0";
  for (word_t i = 0; i < 4; ++i) EXPECT_EQ(identify(free_slot + i), 4u);
  const SyscallResult m =
      cnode(Label::CNodeMint, {free_slot + 4, D, free_slot, D, 0xf, 42}, {kCapInitThreadCNode});
  EXPECT_EQ(m.x[1], 0u);
  EXPECT_EQ(identify(free_slot + 4), 4u);
  EXPECT_EQ(cnode(Label::CNodeRevoke, {free_slot, D}).x[1], 0u);
  EXPECT_EQ(identify(free_slot + 4), 0u);
  EXPECT_EQ(cnode(Label::CNodeRevoke, {ut, D}).x[1], 0u);
  for (word_t i = 0; i < 4; ++i) EXPECT_EQ(identify(free_slot + i), 0u);
}

TEST_F(RootTask, ErrorReplyWords) {
  SyscallResult r = retype(99, 0, free_slot, 1);
  EXPECT_EQ(r.label(), word_t(Error::InvalidArgument));
  EXPECT_EQ(r.info().length, 1u);
  EXPECT_EQ(k.mr(0, r), 0u);
  r = retype(word_t(ObjectType::Endpoint), 0, free_slot, 300);
  EXPECT_EQ(r.label(), word_t(Error::RangeError));
  EXPECT_EQ(r.info().length, 2u);
  EXPECT_EQ(k.mr(0, r), 1u);
  EXPECT_EQ(k.mr(1, r), 256u);
  r = retype(word_t(ObjectType::Untyped), ut_bits + 1, free_slot, 1);
  EXPECT_EQ(r.label(), word_t(Error::NotEnoughMemory));
  EXPECT_EQ(r.info().length, 1u);
  EXPECT_EQ(k.mr(0, r), word_t{1} << ut_bits) << "a childless untyped offers all of itself";
  r = cnode(Label::CNodeCopy, {free_slot, D, free_slot + 1, D, 0xf}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label(), word_t(Error::FailedLookup));
  EXPECT_EQ(r.info().length, 3u);
  EXPECT_EQ(k.mr(0, r), 1u) << "the source lookup failed";
  EXPECT_EQ(k.mr(1, r), word_t(LookupFailureType::MissingCapability));
  EXPECT_EQ(k.mr(2, r), D);
  r = cnode(Label::CNodeCopy, {kCapInitThreadTCB, D, free_slot + 1, D, 0xf}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label(), word_t(Error::DeleteFirst));
  EXPECT_EQ(r.info().length, 0u);
  r = cnode(Label::CNodeDelete, {free_slot, 0});
  EXPECT_EQ(r.label(), word_t(Error::RangeError));
  EXPECT_EQ(k.mr(0, r), 1u);
  EXPECT_EQ(k.mr(1, r), 64u);
  r = cnode(Label::CNodeDelete, {word_t{1} << 63, D});
  EXPECT_EQ(r.label(), word_t(Error::FailedLookup));
  EXPECT_EQ(r.info().length, 5u);
  EXPECT_EQ(k.mr(0, r), 0u);
  EXPECT_EQ(k.mr(1, r), word_t(LookupFailureType::GuardMismatch));
  EXPECT_EQ(k.mr(2, r), 64u);
  EXPECT_EQ(k.mr(3, r), 0u) << "guard found";
  EXPECT_EQ(k.mr(4, r), 64u - config::kRootCNodeSizeBits) << "guard size";
  r = cnode(Label::CNodeCopy, {free_slot, D, kCapIRQControl, D, 0xf}, {kCapInitThreadCNode});
  EXPECT_EQ(r.label(), word_t(Error::IllegalOperation));
}

TEST_F(RootTask, PreemptedRevokeRestartsTheSyscall) {
  ASSERT_EQ(retype(word_t(ObjectType::Endpoint), 0, free_slot, 200).x[1], 0u);
  g_preemption.force_every = 7;
  const SyscallResult r = cnode(Label::CNodeRevoke, {ut, D});
  g_preemption.force_every = 0;
  EXPECT_EQ(r.x[1], 0u);
  EXPECT_GT(k.last_restarts, 20u);
  for (word_t i = 0; i < 200; ++i) EXPECT_EQ(identify(free_slot + i), 0u) << i;
  // The untyped is reusable from its base again.
  EXPECT_EQ(retype(word_t(ObjectType::Untyped), ut_bits, free_slot, 1).x[1], 0u);
}

TEST_F(RootTask, DeleteAndRecreateACNodeFullOfCaps) {
  ASSERT_EQ(retype(word_t(ObjectType::CapTable), 4, free_slot, 1).x[1], 0u);
  // Fill the new CNode (index free_slot at depth 64, then 4 bits) through a copy of its cap
  // used as a second-level root: slots 0..15 get copies of the TCB cap.
  for (word_t i = 0; i < 16; ++i) {
    const SyscallResult c =
        k.call(free_slot, word_t(Label::CNodeCopy), {i, 4, kCapInitThreadTCB, D, 0xf}, {kCapInitThreadCNode});
    EXPECT_EQ(c.x[1], 0u) << i;
  }
  EXPECT_EQ(cnode(Label::CNodeDelete, {free_slot, D}).x[1], 0u);
  EXPECT_EQ(identify(free_slot), 0u);
  EXPECT_EQ(identify(kCapInitThreadTCB), 12u);
}

}  // namespace
}  // namespace keel
