// Tests of the derivation tree: insert, move, swap, delete, revoke (preempted and not), Zombies.
#include "kernel/cap/mdb.h"

#include <vector>

#include "kernel/object/create.h"
#include "kernel/object/endpoint.h"
#include "kernel/object/irq.h"
#include "kernel/object/notification.h"
#include "tests/unit/cap_env.h"

namespace keel {
namespace {

using test::CapEnv;

Cap endpoint(CapEnv& env) { return EndpointCap::make(env.alloc(kEndpointBits), 0, CapRights::all()); }

std::vector<word_t> snapshot(CapEnv& env, paddr_t base, word_t bytes) {
  const word_t* p = env.at<word_t>(base);
  return std::vector<word_t>(p, p + bytes / sizeof(word_t));
}

TEST(Mdb, InsertLinksAfterTheSource) {
  CapEnv env;
  env.put(20, endpoint(env));
  cte_insert(env.cap(20), env.slot(20), env.slot(21));
  cte_insert(EndpointCap{env.cap(20)}.with_badge(9), env.slot(20), env.slot(22));
  // 20 -> 22 -> 21
  EXPECT_EQ(env.slot(20)->mdb.next(), paddr_of(env.slot(22)));
  EXPECT_EQ(env.slot(22)->mdb.next(), paddr_of(env.slot(21)));
  EXPECT_EQ(env.slot(21)->mdb.prev(), paddr_of(env.slot(22)));
  EXPECT_FALSE(env.slot(21)->mdb.revocable());
  EXPECT_TRUE(env.slot(22)->mdb.revocable());
  EXPECT_TRUE(env.slot(22)->mdb.first_badged());
  EXPECT_TRUE(is_mdb_parent_of(env.slot(20), env.slot(22)));
  EXPECT_FALSE(is_final_cap(env.slot(20)));
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, CopyOfAnUntypedMarksTheParentFull) {
  CapEnv env;
  env.untyped(20, 12);
  cte_insert(env.cap(20), env.slot(20), env.slot(21));
  EXPECT_EQ(UntypedCap{env.cap(20)}.free_index(), word_t{1} << 12);
  EXPECT_EQ(UntypedCap{env.cap(21)}.free_index(), 0u);
  EXPECT_TRUE(env.slot(21)->mdb.revocable());
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, MoveAndSwapKeepPositions) {
  CapEnv env;
  env.put(20, endpoint(env));
  cte_insert(env.cap(20), env.slot(20), env.slot(21));
  cte_insert(env.cap(20), env.slot(21), env.slot(22));  // 20 -> 21 -> 22
  const Cap c21 = env.cap(21);
  cte_move(c21, env.slot(21), env.slot(30));  // 20 -> 30 -> 22
  EXPECT_TRUE(env.cap(21).is_null());
  EXPECT_EQ(env.slot(21)->mdb, MdbNode{});
  EXPECT_EQ(env.slot(20)->mdb.next(), paddr_of(env.slot(30)));
  EXPECT_EQ(env.slot(22)->mdb.prev(), paddr_of(env.slot(30)));
  env.put(40, SmcCap::make(0));
  // Swap adjacent (20, 30) and distant (22, 40) slots.
  cte_swap(env.cap(20), env.slot(20), env.cap(30), env.slot(30));
  EXPECT_INVARIANTS(env);
  cap_swap_for_delete(env.slot(22), env.slot(40));
  EXPECT_EQ(env.cap(22).type(), CapType::Smc);
  EXPECT_EQ(env.cap(40).type(), CapType::Endpoint);
  EXPECT_INVARIANTS(env);
  cap_swap_for_delete(env.slot(40), env.slot(40));
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, DeleteHandsFirstBadgedOn) {
  CapEnv env;
  env.put(20, endpoint(env));
  cte_insert(EndpointCap{env.cap(20)}.with_badge(5), env.slot(20), env.slot(21));
  cte_insert(env.cap(21), env.slot(21), env.slot(22));  // copy of the badged cap
  EXPECT_FALSE(env.slot(22)->mdb.first_badged());
  ASSERT_EQ(cte_delete(env.slot(21), true), PerformStatus::Done);
  EXPECT_TRUE(env.slot(22)->mdb.first_badged()) << "the copy becomes the first of its badge";
  EXPECT_INVARIANTS(env);
  EXPECT_TRUE(is_final_cap(env.slot(22)) == false);
  ASSERT_EQ(cte_delete(env.slot(20), true), PerformStatus::Done);
  EXPECT_TRUE(is_final_cap(env.slot(22)));
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, EnsureHelpers) {
  CapEnv env;
  EXPECT_EQ(ensure_empty_slot(env.slot(50)).type, Error::NoError);
  EXPECT_EQ(ensure_empty_slot(env.slot(1)).type, Error::DeleteFirst);
  env.put(20, endpoint(env));
  EXPECT_EQ(ensure_no_children(env.slot(20)).type, Error::NoError);
  cte_insert(env.cap(20), env.slot(20), env.slot(21));
  EXPECT_EQ(ensure_no_children(env.slot(20)).type, Error::RevokeFirst);
  EXPECT_EQ(ensure_no_children(env.slot(21)).type, Error::NoError) << "copies are not revocable";
  EXPECT_FALSE(slot_cap_long_running_delete(env.slot(20)));
  EXPECT_TRUE(slot_cap_long_running_delete(env.slot(1))) << "the only linked CNode cap";
  cte_insert(env.cap(1), env.slot(1), env.slot(2));
  EXPECT_FALSE(slot_cap_long_running_delete(env.slot(1))) << "a copy exists: not final";
  EXPECT_FALSE(slot_cap_long_running_delete(env.slot(99)));
}

// Untyped U0 (2^20) with a chain of ever smaller untyped children, each holding the next.
void build_deep(CapEnv& env, unsigned depth) {
  env.untyped(20, 20);
  for (unsigned i = 1; i <= depth; ++i) {
    const UntypedCap parent{env.cap(20 + i - 1)};
    insert_new_cap(env.slot(20 + i - 1), env.slot(20 + i),
                   UntypedCap::make(parent.ptr(), parent.size_bits() - 1, false, 0));
    env.slot(20 + i - 1)->cap = parent.with_free_index(word_t{1} << (parent.size_bits() - 1));
  }
}

TEST(Mdb, RevokeDeepTree) {
  CapEnv env;
  build_deep(env, 15);
  EXPECT_INVARIANTS(env);
  ASSERT_EQ(cte_revoke(env.slot(25)), PerformStatus::Done);
  for (unsigned i = 26; i <= 35; ++i) EXPECT_TRUE(env.cap(i).is_null()) << i;
  for (unsigned i = 20; i <= 25; ++i) EXPECT_FALSE(env.cap(i).is_null()) << i;
  EXPECT_INVARIANTS(env);
  ASSERT_EQ(cte_revoke(env.slot(20)), PerformStatus::Done);
  for (unsigned i = 21; i <= 35; ++i) EXPECT_TRUE(env.cap(i).is_null()) << i;
  EXPECT_EQ(env.slot(20)->mdb.next(), 0u);
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, RevokeWideTreeOnlyTakesDescendants) {
  CapEnv env;
  env.put(20, endpoint(env));
  env.put(10, SmcCap::make(0));
  for (word_t i = 0; i < 200; ++i) {
    const Cap c = i % 2 ? EndpointCap{env.cap(20)}.with_badge(i) : env.cap(20);
    cte_insert(c, env.slot(20), env.slot(30 + i));
  }
  cte_insert(SmcCap::make(3), env.slot(10), env.slot(25));
  EXPECT_INVARIANTS(env);
  // Revoking a badged original (badge 7) removes nothing else; revoking the master all.
  ASSERT_EQ(cte_revoke(env.slot(37)), PerformStatus::Done);
  EXPECT_FALSE(env.cap(36).is_null());
  ASSERT_EQ(cte_revoke(env.slot(20)), PerformStatus::Done);
  for (word_t i = 0; i < 200; ++i) EXPECT_TRUE(env.cap(30 + i).is_null()) << i;
  EXPECT_EQ(env.cap(25).type(), CapType::Smc) << "other trees untouched";
  EXPECT_INVARIANTS(env);
}

// The same revoke, preempted every k work units and restarted, ends in the same state.
TEST(Mdb, PreemptedRevokeIsRestartable) {
  std::vector<word_t> reference;
  for (word_t every : {0u, 1u, 2u, 3u, 7u, 50u}) {  // NOLINT
    CapEnv env;
    build_deep(env, 12);
    env.put(60, endpoint(env));
    for (word_t i = 0; i < 40; ++i) cte_insert(env.cap(60), env.slot(60), env.slot(70 + i));
    g_preemption.force_every = every;
    unsigned restarts = 0;
    for (Cte* s : {env.slot(20), env.slot(60)}) {
      while (cte_revoke(s) == PerformStatus::Preempted) ++restarts;
    }
    g_preemption.force_every = 0;
    if (every == 1) {
      EXPECT_GE(restarts, 50u);
    }
    EXPECT_INVARIANTS(env);
    const std::vector<word_t> state = snapshot(env, env.root_cnode(), 256 * sizeof(Cte));
    if (reference.empty()) {
      reference = state;
    }
    EXPECT_EQ(state, reference) << "preempting every " << every;
  }
}

// A CNode (radix 3) with caps in it, retyped-style from an untyped, deleted as the last cap.
struct ZombieFixture : ::testing::Test {
  CapEnv env;
  paddr_t cnode = 0;
  Cte* c(word_t i) { return env.at<Cte>(cnode) + i; }
  void SetUp() override {
    env.untyped(20, 16);
    cnode = UntypedCap{env.cap(20)}.ptr();
    env.slot(20)->cap = UntypedCap{env.cap(20)}.with_free_index(word_t{1} << (3 + kSlotBits));
    insert_new_cap(env.slot(20), env.slot(30), CNodeCap::make(cnode, 3, 0, 0));
    env.put(40, endpoint(env));
    for (word_t i = 0; i < 8; i += 2) cte_insert(env.cap(40), env.slot(40), c(i));
  }
};

TEST_F(ZombieFixture, DeletingTheLastCNodeCapClearsItsSlots) {
  EXPECT_TRUE(slot_cap_long_running_delete(env.slot(30)));
  ASSERT_EQ(cte_delete(env.slot(30), true), PerformStatus::Done);
  EXPECT_TRUE(env.cap(30).is_null());
  for (word_t i = 0; i < 8; ++i) EXPECT_TRUE(c(i)->cap.is_null()) << i;
  EXPECT_EQ(env.slot(40)->mdb.next(), 0u) << "the copies left the MDB";
  EXPECT_EQ(env.slot(20)->mdb.next(), 0u);
  EXPECT_INVARIANTS(env);
}

TEST_F(ZombieFixture, PreemptedZombieDeletionResumes) {
  g_preemption.force_every = 1;
  unsigned restarts = 0;
  while (cte_delete(env.slot(30), true) == PerformStatus::Preempted) {
    ++restarts;
    EXPECT_EQ(env.cap(30).type(), CapType::Zombie);
    EXPECT_INVARIANTS(env);
  }
  EXPECT_GT(restarts, 0u);
  EXPECT_TRUE(env.cap(30).is_null());
  for (word_t i = 0; i < 8; ++i) EXPECT_TRUE(c(i)->cap.is_null()) << i;
  EXPECT_INVARIANTS(env);
}

TEST_F(ZombieFixture, CNodeHoldingACapToItself) {
  cte_insert(env.cap(30), env.slot(30), c(3));  // C[3] = C
  ASSERT_EQ(cte_delete(env.slot(30), true), PerformStatus::Done);
  EXPECT_EQ(c(3)->cap.type(), CapType::CNode) << "not the last cap: only the slot is emptied";
  // Revoking the untyped reaches the copy inside the CNode itself.
  ASSERT_EQ(cte_revoke(env.slot(20)), PerformStatus::Done);
  for (word_t i = 0; i < 8; ++i) EXPECT_TRUE(c(i)->cap.is_null()) << i;
  EXPECT_EQ(env.slot(20)->mdb.next(), 0u);
  EXPECT_INVARIANTS(env);
}

TEST_F(ZombieFixture, CNodeWhoseOnlyCapIsInsideItself) {
  cte_move(env.cap(30), env.slot(30), c(1));  // the final cap now lives in C[1]
  g_preemption.force_every = 2;
  while (cte_revoke(env.slot(20)) == PerformStatus::Preempted) EXPECT_INVARIANTS(env);
  for (word_t i = 0; i < 8; ++i) EXPECT_TRUE(c(i)->cap.is_null()) << i;
  EXPECT_EQ(env.slot(20)->mdb.next(), 0u);
  EXPECT_EQ(env.slot(40)->mdb.next(), 0u);
  EXPECT_INVARIANTS(env);
}

TEST_F(ZombieFixture, NestedCNodesInACycle) {
  // D (radix 2) inside the same untyped; C[5] holds the only cap to D, D[1] a cap to C.
  const paddr_t d = cnode + (word_t{1} << (3 + kSlotBits));
  env.slot(20)->cap = UntypedCap{env.cap(20)}.with_free_index(2 * (word_t{1} << (3 + kSlotBits)));
  insert_new_cap(env.slot(20), c(5), CNodeCap::make(d, 2, 0, 0));
  cte_insert(env.cap(30), env.slot(30), env.at<Cte>(d) + 1);
  cte_insert(env.cap(40), env.slot(40), env.at<Cte>(d) + 3);
  EXPECT_INVARIANTS(env);
  ASSERT_EQ(cte_delete(env.slot(30), true), PerformStatus::Done);  // not final: D[1] remains
  ASSERT_EQ(cte_revoke(env.slot(20)), PerformStatus::Done);
  for (word_t i = 0; i < 8; ++i) EXPECT_TRUE(c(i)->cap.is_null()) << i;
  for (word_t i = 0; i < 4; ++i) EXPECT_TRUE((env.at<Cte>(d) + i)->cap.is_null()) << i;
  EXPECT_EQ(env.slot(40)->mdb.next(), 0u);
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, DeletingTheLastThreadCap) {
  CapEnv env;
  env.untyped(20, 16);
  const paddr_t tcb = UntypedCap{env.cap(20)}.ptr();
  const Cap thread = create_object(ObjectType::TCB, tcb, 0, false);
  env.slot(20)->cap = UntypedCap{env.cap(20)}.with_free_index(word_t{1} << kTcbBits);
  insert_new_cap(env.slot(20), env.slot(30), thread);
  tcb_from_object(tcb)->state = ThreadState::Running;
  Cte* tslots = env.at<Cte>(tcb);
  cte_insert(env.root_cap(), env.slot(1), tslots + kTcbCTable);
  cte_insert(thread, env.slot(30), tslots + kTcbVTable);  // a cap to itself
  EXPECT_INVARIANTS(env);
  ASSERT_EQ(cte_delete(env.slot(30), true), PerformStatus::Done);
  EXPECT_EQ(tslots[kTcbCTable].cap.type(), CapType::CNode) << "not final: slots untouched";
  ASSERT_EQ(cte_revoke(env.slot(20)), PerformStatus::Done);
  for (unsigned i = 0; i < kTcbNumSlots; ++i) EXPECT_TRUE(tslots[i].cap.is_null()) << i;
  EXPECT_EQ(tcb_from_object(tcb)->state, ThreadState::Inactive);
  EXPECT_INVARIANTS(env);
}

TEST(Mdb, DeleteOneAndEmptySlots) {
  CapEnv env;
  env.put(20, endpoint(env));
  cte_insert(env.cap(20), env.slot(20), env.slot(21));
  cte_delete_one(env.slot(21));
  EXPECT_TRUE(env.cap(21).is_null());
  cte_delete_one(env.slot(21));
  ASSERT_EQ(cte_delete(env.slot(22), true), PerformStatus::Done) << "empty slot is fine";
  ASSERT_EQ(cte_revoke(env.slot(22)), PerformStatus::Done);
  EXPECT_EQ(env.slot(20)->mdb.next(), 0u);
  EXPECT_INVARIANTS(env);
}

TEST(Invariants, DetectBrokenState) {
  CapEnv env;
  env.put(20, endpoint(env));
  cte_insert(env.cap(20), env.slot(20), env.slot(21));
  std::string why;
  env.slot(21)->mdb.set_prev(0);
  EXPECT_FALSE(env.invariants(&why));
  EXPECT_NE(why.find("point back"), std::string::npos) << why;
  env.slot(21)->mdb.set_prev(paddr_of(env.slot(20)));
  EXPECT_TRUE(env.invariants(&why)) << why;
  env.slot(50)->mdb.set_revocable(true);
  EXPECT_FALSE(env.invariants(&why));
  env.slot(50)->mdb = MdbNode{};
  // A badged copy whose badge differs from its predecessor must be first_badged.
  env.slot(21)->cap = EndpointCap{env.cap(21)}.with_badge(4);
  EXPECT_FALSE(env.invariants(&why));
  EXPECT_NE(why.find("first_badged"), std::string::npos) << why;
  env.slot(21)->mdb.set_first_badged(true);
  EXPECT_TRUE(env.invariants(&why)) << why;
  // An untyped child above the free index.
  env.untyped(30, 12);
  insert_new_cap(env.slot(30), env.slot(31), EndpointCap::make(UntypedCap{env.cap(30)}.ptr(), 0, {}));
  EXPECT_FALSE(env.invariants(&why));
  EXPECT_NE(why.find("free index"), std::string::npos) << why;
  env.slot(30)->cap = UntypedCap{env.cap(30)}.with_free_index(16);
  EXPECT_TRUE(env.invariants(&why)) << why;
}

}  // namespace
}  // namespace keel
