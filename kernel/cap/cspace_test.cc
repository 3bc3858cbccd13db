// Tests of CPtr resolution and the CNode-operation slot lookups, with their failure words.
#include "kernel/cap/cspace.h"

#include "tests/unit/cap_env.h"

namespace keel {
namespace {

using test::CapEnv;

struct Lookups : ::testing::Test {
  CapEnv env;
  paddr_t l2 = 0;
  Cap flat_root;  // the root CNode without a guard: 8 bits per level

  void SetUp() override {
    l2 = env.alloc(4 + kSlotBits);
    env.put(10, CNodeCap::make(l2, 4, 4, 0x5));
    env.put(20, EndpointCap::make(env.alloc(kEndpointBits), 0, CapRights::all()));
    flat_root = CNodeCap::make(env.root_cnode(), 8, 0, 0);
  }
  Cte* l2_slot(word_t i) { return ptr_from_paddr<Cte>(l2) + i; }
};

void expect_fault(const Result<Cte*>& r, bool source, LookupFault f) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.type, Error::FailedLookup);
  EXPECT_EQ(r.error.failed_lookup_was_source, source);
  EXPECT_EQ(r.error.lookup.type, f.type);
  EXPECT_EQ(r.error.lookup.bits_left, f.bits_left);
  EXPECT_EQ(r.error.lookup.bits_found, f.bits_found);
  EXPECT_EQ(r.error.lookup.guard_found, f.guard_found);
}

TEST_F(Lookups, OneLevelFullDepth) {
  const Result<Cte*> r = lookup_target_slot(env.root_cap(), 5, 64);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, env.slot(5));
  EXPECT_EQ(lookup_source_slot(env.root_cap(), 255, 64).value, env.slot(255));
}

TEST_F(Lookups, InvalidRootComesBeforeTheDepthCheck) {
  const Cap ep = env.cap(20);
  expect_fault(lookup_source_slot(ep, 0, 0), true, {.type = LookupFailureType::InvalidRoot});
  expect_fault(lookup_target_slot(Cap::null(), 0, 64), false, {.type = LookupFailureType::InvalidRoot});
  expect_fault(lookup_pivot_slot(ep, 0, 64), true, {.type = LookupFailureType::InvalidRoot});
}

TEST_F(Lookups, DepthOutOfRange) {
  for (word_t depth : {word_t{0}, word_t{65}, ~word_t{0}}) {
    const Result<Cte*> r = lookup_target_slot(env.root_cap(), 5, depth);
    EXPECT_EQ(r.error.type, Error::RangeError);
    EXPECT_EQ(r.error.range_min, 1u);
    EXPECT_EQ(r.error.range_max, 64u);
  }
}

TEST_F(Lookups, GuardMismatch) {
  expect_fault(
      lookup_target_slot(env.root_cap(), (word_t{1} << 63) | 5, 64), false,
      {.type = LookupFailureType::GuardMismatch, .bits_left = 64, .bits_found = 56, .guard_found = 0});
  // A guard longer than the depth can never match.
  expect_fault(lookup_source_slot(env.root_cap(), 5, 10), true,
               {.type = LookupFailureType::GuardMismatch, .bits_left = 10, .bits_found = 56});
  // Second level: guard 0x5 of size 4 expected, 0x6 given.
  expect_fault(
      lookup_target_slot(flat_root, (10 << 8) | (0x6 << 4) | 3, 16), false,
      {.type = LookupFailureType::GuardMismatch, .bits_left = 8, .bits_found = 4, .guard_found = 0x5});
}

TEST_F(Lookups, DepthMismatchInTheWalk) {
  expect_fault(lookup_target_slot(flat_root, 5, 4), false,
               {.type = LookupFailureType::DepthMismatch, .bits_left = 4, .bits_found = 8});
  // The second level needs 8 bits (4 guard + 4 radix); only 6 remain.
  expect_fault(lookup_target_slot(flat_root, (10 << 6) | (0x5 << 2), 14), false,
               {.type = LookupFailureType::DepthMismatch, .bits_left = 6, .bits_found = 8});
}

TEST_F(Lookups, TwoLevels) {
  const Result<Cte*> r = lookup_target_slot(flat_root, (10 << 8) | (0x5 << 4) | 3, 16);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value, l2_slot(3));
  // Depth 8 stops at the CNode cap's own slot.
  EXPECT_EQ(lookup_target_slot(flat_root, 10, 8).value, env.slot(10));
}

TEST_F(Lookups, StoppingEarlyIsADepthMismatchForCNodeOps) {
  expect_fault(lookup_source_slot(flat_root, 20 << 8, 16), true,
               {.type = LookupFailureType::DepthMismatch, .bits_left = 8, .bits_found = 0});
  expect_fault(lookup_target_slot(flat_root, 21 << 8, 16), false,
               {.type = LookupFailureType::DepthMismatch, .bits_left = 8, .bits_found = 0});
}

TEST_F(Lookups, FullDepthThreadLookups) {
  LookupResult r = lookup_cap_and_slot(env.thread(), 20);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.cap.type(), CapType::Endpoint);
  EXPECT_EQ(r.slot, env.slot(20));
  r = lookup_cap_and_slot(env.thread(), 21);  // an empty slot is found, holding null
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.cap.is_null());
  r = lookup_cap_and_slot(env.thread(), word_t{1} << 40);
  EXPECT_EQ(r.fault.type, LookupFailureType::GuardMismatch);
  EXPECT_EQ(r.fault.bits_left, 64u);
  env.thread()->slot(kTcbCTable)->cap = Cap::null();
  EXPECT_EQ(lookup_cap_and_slot(env.thread(), 1).fault.type, LookupFailureType::InvalidRoot);
}

TEST_F(Lookups, FullDepthThroughTwoLevels) {
  // Root CNode with guard 48, radix 8, then L2 (guard 4, radix 4): 64 bits in all.
  env.thread()->slot(kTcbCTable)->cap = CNodeCap::make(env.root_cnode(), 8, 48, 0);
  env.put(20, Cap::null());
  l2_slot(7)->cap = EndpointCap::make(env.alloc(kEndpointBits), 0, CapRights::all());
  const LookupResult r = lookup_cap_and_slot(env.thread(), (10 << 8) | (0x5 << 4) | 7);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.slot, l2_slot(7));
  // Reaching a non-CNode with bits left over succeeds in a full-depth lookup.
  env.put(30, SmcCap::make(0));
  const LookupResult s = lookup_cap_and_slot(env.thread(), (30 << 8) | 0xff);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.slot, env.slot(30));
}

}  // namespace
}  // namespace keel
