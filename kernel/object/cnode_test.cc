// CNode invocations through invoke_cap: every seL4 error case in check order, with its words.
#include "kernel/object/cnode.h"

#include "tests/unit/cap_env.h"

namespace keel {
namespace {

using test::CapEnv;

constexpr word_t R = CapEnv::kRootSlot;  // the invoked CNode (and the extra-cap root)
constexpr word_t D = 64;                 // full depth: the root CNode resolves 64 bits

void expect_lookup(const Outcome& o, bool source, LookupFailureType t, word_t bits_left) {
  EXPECT_ERROR(o, Error::FailedLookup);
  EXPECT_EQ(o.error.failed_lookup_was_source, source);
  EXPECT_EQ(o.error.lookup.type, t);
  EXPECT_EQ(o.error.lookup.bits_left, bits_left);
}

void expect_range(const Outcome& o, word_t lo, word_t hi) {
  EXPECT_ERROR(o, Error::RangeError);
  EXPECT_EQ(o.error.range_min, lo);
  EXPECT_EQ(o.error.range_max, hi);
}

struct CNodeOps : ::testing::Test {
  CapEnv env;
  paddr_t ep = 0;
  void SetUp() override {
    ep = env.alloc(kEndpointBits);
    env.put(20, EndpointCap::make(ep, 0, CapRights::all()));
    env.put(21, SmcCap::make(0));
  }
  Outcome copy(word_t dest, word_t src, word_t rights = 0xf) {
    return env.invoke(R, Label::CNodeCopy, {dest, D, src, D, rights}, {R});
  }
  Outcome mint(word_t dest, word_t src, word_t badge, word_t rights = 0xf) {
    return env.invoke(R, Label::CNodeMint, {dest, D, src, D, rights, badge}, {R});
  }
};

TEST_F(CNodeOps, CommonChecks) {
  EXPECT_ERROR(env.invoke(R, Label::UntypedRetype, {30, D}), Error::IllegalOperation);
  EXPECT_ERROR(env.invoke(R, Label::TCBSetFlags, {30, D}), Error::IllegalOperation);
  EXPECT_ERROR(env.invoke(R, Label::IRQIssueIRQHandler, {30, D}), Error::IllegalOperation);
  EXPECT_ERROR(env.invoke(R, Label::CNodeDelete, {30}), Error::TruncatedMessage);
  expect_range(env.invoke(R, Label::CNodeDelete, {30, 0}), 1, 64);
  expect_range(env.invoke(R, Label::CNodeRevoke, {30, 65}), 1, 64);
  const Outcome g = env.invoke(R, Label::CNodeDelete, {word_t{1} << 62, D});
  expect_lookup(g, false, LookupFailureType::GuardMismatch, 64);
  EXPECT_EQ(g.error.lookup.bits_found, 56u);
  // Depth 8 does not reach through the 56-bit guard.
  const Outcome d = env.invoke(R, Label::CNodeDelete, {30, 8});
  expect_lookup(d, false, LookupFailureType::GuardMismatch, 8);
}

TEST_F(CNodeOps, InvokingNonCNodeCaps) {
  const Outcome n = env.invoke(99, Label::CNodeDelete, {30, D});
  EXPECT_ERROR(n, Error::InvalidCapability);
  EXPECT_EQ(n.error.invalid_cap_number, 0u);
  env.put(98, ZombieCap::make(ep, false, 1, 2));
  EXPECT_ERROR(env.invoke(98, Label::CNodeDelete, {30, D}), Error::InvalidCapability);
  // An endpoint cap is a send, not a CNode operation: without Write it is no cap to send on.
  env.put(97, EndpointCap::make(ep, 0, CapRights{.read = true}));
  EXPECT_ERROR(env.invoke(97, Label::CNodeDelete, {30, D}), Error::InvalidCapability);
  // seL4: invoking a master reply cap is InvalidCapability(0) (no CPtr reaches one normally).
  env.put(96, ReplyCap::make(object_of(env.thread()), true, true));
  const Outcome m = env.invoke(96, Label::CNodeDelete, {30, D});
  EXPECT_ERROR(m, Error::InvalidCapability);
  EXPECT_EQ(m.error.invalid_cap_number, 0u);
}

TEST_F(CNodeOps, CopyCheckOrder) {
  // Truncation and the missing root cap come first.
  EXPECT_ERROR(env.invoke(R, Label::CNodeCopy, {30, D, 20}, {R}), Error::TruncatedMessage);
  EXPECT_ERROR(env.invoke(R, Label::CNodeCopy, {30, D, 20, D, 0xf}), Error::TruncatedMessage);
  // An occupied destination wins over a bad source (sel4test is_slot_empty relies on it).
  EXPECT_ERROR(env.invoke(R, Label::CNodeCopy, {20, D, 99, 0, 0xf}, {R}), Error::DeleteFirst);
  expect_range(env.invoke(R, Label::CNodeCopy, {30, D, 20, 0, 0xf}, {R}), 1, 64);
  expect_lookup(env.invoke(R, Label::CNodeCopy, {30, D, 20, D, 0xf}, {20}), true,
                LookupFailureType::InvalidRoot, 0);
  expect_lookup(env.invoke(R, Label::CNodeCopy, {30, D, word_t{1} << 60, D, 0xf}, {R}), true,
                LookupFailureType::GuardMismatch, 64);
  expect_lookup(env.invoke(R, Label::CNodeCopy, {30, D, 99, D, 0xf}, {R}), true,
                LookupFailureType::MissingCapability, 64);
  // The per-method length check comes after the source checks.
  EXPECT_ERROR(env.invoke(R, Label::CNodeCopy, {30, D, 20, D}, {R}), Error::TruncatedMessage);
  expect_lookup(env.invoke(R, Label::CNodeCopy, {30, D, 99, D}, {R}), true,
                LookupFailureType::MissingCapability, 64);
  EXPECT_TRUE(env.cap(30).is_null());
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, CopyDerives) {
  EXPECT_OK(copy(30, 20, 0x3));
  EXPECT_EQ(EndpointCap{env.cap(30)}.rights(), CapRights::from_word(0x3));
  EXPECT_FALSE(env.slot(30)->mdb.revocable());
  EXPECT_EQ(env.slot(20)->mdb.next(), paddr_of(env.slot(30)));
  EXPECT_EQ(env.thread()->state, ThreadState::Restart) << "perform leaves Restart to the caller";
  // Caps that do not derive.
  env.put(40, Cap::with_type(CapType::IrqControl));
  EXPECT_ERROR(copy(31, 40), Error::IllegalOperation);
  env.put(41, ReplyCap::make(object_of(env.thread()), true, true));
  EXPECT_ERROR(copy(31, 41), Error::IllegalOperation);
  env.put(42, ZombieCap::make(ep, false, 1, 2));
  EXPECT_ERROR(copy(31, 42), Error::IllegalOperation);
  env.put(43, VSpaceCap::make(env.alloc(kVSpaceBits)));
  EXPECT_ERROR(copy(31, 43), Error::IllegalOperation);
  env.put(44, PageTableCap::make(env.alloc(kPageTableBits)));
  EXPECT_ERROR(copy(31, 44), Error::IllegalOperation);
  env.untyped(45, 12);
  EXPECT_OK(copy(31, 45));  // no children yet: fine, and the original becomes full
  EXPECT_EQ(UntypedCap{env.cap(45)}.free_index(), word_t{1} << 12);
  EXPECT_ERROR(copy(32, 45), Error::RevokeFirst) << "now it has a child";
  env.put(46,
          FrameCap{FrameCap::make(env.alloc(12), FrameSize::Small, VmRights::ReadWrite, false)}.with_mapping(
              1, 0x1000));
  EXPECT_OK(copy(33, 46, 0x2));
  EXPECT_FALSE(FrameCap{env.cap(33)}.is_mapped());
  EXPECT_EQ(FrameCap{env.cap(33)}.rights(), VmRights::ReadOnly);
  EXPECT_TRUE(env.cap(31 + 3).is_null());
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, MintBadgesOnce) {
  EXPECT_ERROR(env.invoke(R, Label::CNodeMint, {30, D, 20, D, 0xf}, {R}), Error::TruncatedMessage);
  EXPECT_OK(mint(30, 20, 77, 0x7));
  EXPECT_EQ(EndpointCap{env.cap(30)}.badge(), 77u);
  EXPECT_EQ(EndpointCap{env.cap(30)}.rights(), CapRights::from_word(0x7));
  EXPECT_TRUE(env.slot(30)->mdb.revocable());
  EXPECT_TRUE(env.slot(30)->mdb.first_badged());
  EXPECT_ERROR(mint(31, 30, 78), Error::IllegalOperation);
  EXPECT_ERROR(mint(31, 30, 0), Error::IllegalOperation);
  EXPECT_OK(mint(31, 20, 0));  // badge 0 from an unbadged cap: a plain copy
  EXPECT_FALSE(env.slot(31)->mdb.revocable());
  // CNode data sets the guard.
  EXPECT_OK(mint(32, R, (word_t{0} << 6) | 48));
  EXPECT_EQ(CNodeCap{env.cap(32)}.guard_size(), 48u);
  EXPECT_ERROR(mint(33, R, 57), Error::IllegalOperation) << "8 + 57 > 64";
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, MoveAndMutate) {
  EXPECT_OK(copy(30, 20));
  EXPECT_ERROR(env.invoke(R, Label::CNodeMove, {31, D, 30}, {R}), Error::TruncatedMessage);
  EXPECT_OK(env.invoke(R, Label::CNodeMove, {31, D, 30, D}, {R}));
  EXPECT_TRUE(env.cap(30).is_null());
  EXPECT_EQ(env.slot(20)->mdb.next(), paddr_of(env.slot(31)));
  EXPECT_ERROR(env.invoke(R, Label::CNodeMutate, {32, D, 31, D}, {R}), Error::TruncatedMessage);
  EXPECT_ERROR(env.invoke(R, Label::CNodeMutate, {32, D, 31, D, 0}, {R}), Error::IllegalOperation)
      << "endpoints never mutate";
  EXPECT_OK(copy(40, R));
  EXPECT_OK(env.invoke(R, Label::CNodeMutate, {41, D, 40, D, (word_t{3} << 6) | 2}, {R}));
  EXPECT_EQ(CNodeCap{env.cap(41)}.guard(), 3u);
  EXPECT_EQ(CNodeCap{env.cap(41)}.guard_size(), 2u);
  EXPECT_TRUE(env.cap(40).is_null());
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, RotateCheckOrder) {
  env.put(50, CNodeCap::make(env.alloc(4 + kSlotBits), 4, 0, 0));
  env.put(51, CNodeCap::make(env.alloc(4 + kSlotBits), 4, 0, 0));
  auto rotate = [&](word_t dest, word_t pivot, word_t src, std::initializer_list<cptr_t> caps = {R, R},
                    word_t pivot_depth = D, word_t src_depth = D) {
    return env.invoke(R, Label::CNodeRotate, {dest, D, 0, pivot, pivot_depth, 0, src, src_depth}, caps);
  };
  EXPECT_ERROR(env.invoke(R, Label::CNodeRotate, {60, D, 0, 51, D, 0, 50}, {R, R}), Error::TruncatedMessage);
  EXPECT_ERROR(rotate(60, 51, 50, {R}), Error::TruncatedMessage);
  // Source lookup, then pivot lookup (both report as source).
  expect_range(rotate(60, 51, 50, {R, R}, D, 0), 1, 64);
  expect_lookup(rotate(60, 51, 50, {R, 20}), true, LookupFailureType::InvalidRoot, 0);
  expect_lookup(rotate(60, 51, 50, {20, R}), true, LookupFailureType::InvalidRoot, 0);
  EXPECT_ERROR(rotate(60, 50, 50), Error::IllegalOperation) << "pivot == source";
  EXPECT_ERROR(rotate(51, 51, 50), Error::IllegalOperation) << "pivot == dest";
  EXPECT_ERROR(rotate(20, 51, 50), Error::DeleteFirst);
  expect_lookup(rotate(60, 51, 99), true, LookupFailureType::MissingCapability, 64);
  expect_lookup(rotate(60, 98, 50), false, LookupFailureType::MissingCapability, 64);
  EXPECT_ERROR(rotate(60, 20, 50), Error::IllegalOperation) << "endpoints cannot be mutated";
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, RotateMovesAndSwaps) {
  const Cap a = CNodeCap::make(env.alloc(4 + kSlotBits), 4, 0, 0);
  const Cap b = CNodeCap::make(env.alloc(4 + kSlotBits), 4, 0, 0);
  env.put(50, a);
  env.put(51, b);
  // src 50 -> pivot 51 -> dest 60, pivot data sets a guard on b.
  EXPECT_OK(env.invoke(R, Label::CNodeRotate, {60, D, (word_t{1} << 6) | 4, 51, D, 0, 50, D}, {R, R}));
  EXPECT_TRUE(env.cap(50).is_null());
  EXPECT_EQ(CNodeCap{env.cap(51)}.ptr(), CNodeCap{a}.ptr());
  EXPECT_EQ(CNodeCap{env.cap(60)}.ptr(), CNodeCap{b}.ptr());
  EXPECT_EQ(CNodeCap{env.cap(60)}.guard_size(), 4u);
  // src == dest: a swap of 60 and 51.
  EXPECT_OK(env.invoke(R, Label::CNodeRotate, {60, D, 0, 51, D, 0, 60, D}, {R, R}));
  EXPECT_EQ(CNodeCap{env.cap(60)}.ptr(), CNodeCap{a}.ptr());
  EXPECT_EQ(CNodeCap{env.cap(51)}.ptr(), CNodeCap{b}.ptr());
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, SaveCallerAndCancelBadgedSends) {
  EXPECT_ERROR(env.invoke(R, Label::CNodeSaveCaller, {20, D}), Error::DeleteFirst);
  EXPECT_OK(env.invoke(R, Label::CNodeSaveCaller, {30, D}));
  EXPECT_TRUE(env.cap(30).is_null()) << "no caller: nothing saved";
  env.thread()->slot(kTcbCaller)->cap = ReplyCap::make(0x1000, false, true);
  EXPECT_OK(env.invoke(R, Label::CNodeSaveCaller, {30, D}));
  EXPECT_EQ(env.cap(30).type(), CapType::Reply);
  EXPECT_TRUE(env.thread()->slot(kTcbCaller)->cap.is_null());
  env.slot(30)->cap = Cap::null();
  EXPECT_ERROR(env.invoke(R, Label::CNodeCancelBadgedSends, {21, D}), Error::IllegalOperation);
  EXPECT_ERROR(env.invoke(R, Label::CNodeCancelBadgedSends, {99, D}), Error::IllegalOperation);
  EXPECT_OK(mint(31, 20, 5, 0x7));
  EXPECT_ERROR(env.invoke(R, Label::CNodeCancelBadgedSends, {31, D}), Error::IllegalOperation);
  EXPECT_OK(mint(32, 20, 5));
  EXPECT_OK(env.invoke(R, Label::CNodeCancelBadgedSends, {32, D}));
  EXPECT_OK(env.invoke(R, Label::CNodeCancelBadgedSends, {20, D}));
}

TEST_F(CNodeOps, RevokeAndDelete) {
  EXPECT_OK(mint(30, 20, 1));
  EXPECT_OK(copy(31, 30));
  EXPECT_OK(copy(32, 20));
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {30, D}));
  EXPECT_TRUE(env.cap(31).is_null());
  EXPECT_FALSE(env.cap(32).is_null());
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {20, D}));
  EXPECT_TRUE(env.cap(30).is_null());
  EXPECT_TRUE(env.cap(32).is_null());
  EXPECT_OK(env.invoke(R, Label::CNodeDelete, {20, D}));
  EXPECT_TRUE(env.cap(20).is_null());
  EXPECT_OK(env.invoke(R, Label::CNodeDelete, {20, D})) << "an empty slot is fine";
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {20, D}));
  EXPECT_INVARIANTS(env);
}

// sel4test SMC0002..SMC0008 at the level of CNode invocations (slot 21 plays env->smc, a copy
// of the master in slot 22).
TEST_F(CNodeOps, SmcBadgesLikeSel4test) {
  env.put(22, SmcCap::make(0));
  env.slot(21)->cap = Cap::null();
  env.slot(21)->mdb = MdbNode{};
  EXPECT_OK(copy(21, 22));
  EXPECT_OK(copy(30, 21));                                // SMC0002
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {21, D}));  // SMC0003
  EXPECT_FALSE(env.cap(30).is_null());
  EXPECT_OK(mint(31, 21, 1));                              // SMC0004
  EXPECT_ERROR(mint(32, 31, 2), Error::IllegalOperation);  // SMC0005
  EXPECT_TRUE(env.cap(32).is_null());
  EXPECT_OK(copy(33, 31));                                // SMC0006
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {31, D}));  // SMC0007
  EXPECT_TRUE(env.cap(33).is_null());
  EXPECT_OK(mint(40, 21, 1));  // SMC0008
  EXPECT_OK(mint(41, 21, 1));
  EXPECT_OK(copy(42, 41));
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {41, D}));
  EXPECT_TRUE(env.cap(42).is_null());
  EXPECT_FALSE(env.cap(40).is_null());
  EXPECT_ERROR(env.invoke(R, Label::CNodeMutate, {43, D, 40, D, 0}, {R}), Error::IllegalOperation);
  // The master (revocable, badge 0) revokes every SMC cap derived from it.
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {22, D}));
  for (word_t s : {21u, 30u, 40u, 41u}) EXPECT_TRUE(env.cap(s).is_null()) << s;
  EXPECT_INVARIANTS(env);
}

TEST_F(CNodeOps, PreemptedRevokeThroughTheInvocation) {
  for (word_t i = 0; i < 100; ++i) EXPECT_OK(mint(100 + i, 20, i + 1));
  g_preemption.force_every = 3;
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {20, D}));
  EXPECT_GT(env.restarts, 10u);
  for (word_t i = 0; i < 100; ++i) EXPECT_TRUE(env.cap(100 + i).is_null()) << i;
  EXPECT_INVARIANTS(env);
}

}  // namespace
}  // namespace keel
