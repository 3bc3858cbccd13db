// Untyped_Retype through invoke_cap: every error case in seL4's order with its words, every
// object type, memory exhaustion, alignment, device memory, reuse and preempted resets.
#include "kernel/object/untyped.h"

#include <algorithm>

#include "kernel/object/create.h"
#include "tests/unit/cap_env.h"

namespace keel {
namespace {

using test::CapEnv;

constexpr word_t R = CapEnv::kRootSlot;
constexpr word_t U = 20;  // the untyped under test

struct Retype : ::testing::Test {
  CapEnv env;
  paddr_t base = 0;
  void SetUp() override { base = env.untyped(U, 16); }
  // Retype into the root CNode (node_depth 0 = cap0 itself).
  Outcome retype(ObjectType t, word_t size, word_t offset, word_t n, word_t ut = U) {
    return env.invoke(ut, Label::UntypedRetype, {word_t(t), size, 0, 0, offset, n}, {R});
  }
  word_t free_index(word_t s = U) { return UntypedCap{env.cap(s)}.free_index(); }
};

void expect_range(const Outcome& o, word_t lo, word_t hi) {
  EXPECT_ERROR(o, Error::RangeError);
  EXPECT_EQ(o.error.range_min, lo);
  EXPECT_EQ(o.error.range_max, hi);
}

void expect_invalid_argument(const Outcome& o, word_t n) {
  EXPECT_ERROR(o, Error::InvalidArgument);
  EXPECT_EQ(o.error.invalid_argument_number, n);
}

TEST_F(Retype, MessageChecks) {
  EXPECT_ERROR(env.invoke(U, Label::CNodeCopy, {1, 0, 0, 0, 100, 1}, {R}), Error::IllegalOperation);
  EXPECT_ERROR(env.invoke(U, Label::UntypedRetype, {2, 0, 0, 0, 100}, {R}), Error::TruncatedMessage);
  EXPECT_ERROR(env.invoke(U, Label::UntypedRetype, {2, 0, 0, 0, 100, 1}), Error::TruncatedMessage);
}

TEST_F(Retype, TypeAndSizeChecks) {
  expect_invalid_argument(retype(static_cast<ObjectType>(10), 0, 100, 1), 0);
  expect_invalid_argument(retype(static_cast<ObjectType>(0xfffe), 0, 100, 1), 0);  // VCPU non-hyp
  expect_range(retype(ObjectType::Untyped, 48, 100, 1), 0, 47);
  expect_range(retype(ObjectType::Untyped, 64, 100, 1), 0, 47);
  expect_range(retype(ObjectType::CapTable, 43, 100, 1), 0, 47);
  expect_range(retype(ObjectType::TCB, 64, 100, 1), 0, 47);  // size_bits checked for every type
  expect_range(retype(ObjectType::CapTable, ~word_t{0}, 100, 1), 0, 47);
  expect_invalid_argument(retype(ObjectType::CapTable, 0, 100, 1), 1);
  expect_invalid_argument(retype(ObjectType::Untyped, 3, 100, 1), 1);
  // Size checks come before the destination checks.
  expect_invalid_argument(retype(ObjectType::Untyped, 3, 1000, 0), 1);
}

TEST_F(Retype, DestinationChecks) {
  const Outcome depth = env.invoke(U, Label::UntypedRetype, {2, 0, R, 65, 0, 1}, {R});
  expect_range(depth, 1, 64);
  const Outcome guard = env.invoke(U, Label::UntypedRetype, {2, 0, word_t{1} << 50, 64, 0, 1}, {R});
  EXPECT_ERROR(guard, Error::FailedLookup);
  EXPECT_FALSE(guard.error.failed_lookup_was_source);
  EXPECT_EQ(guard.error.lookup.type, LookupFailureType::GuardMismatch);
  env.put(30, EndpointCap::make(env.alloc(kEndpointBits), 0, CapRights::all()));
  const Outcome root = env.invoke(U, Label::UntypedRetype, {2, 0, 5, 64, 0, 1}, {30});
  EXPECT_ERROR(root, Error::FailedLookup);
  EXPECT_EQ(root.error.lookup.type, LookupFailureType::InvalidRoot);
  const Outcome not_cnode = env.invoke(U, Label::UntypedRetype, {2, 0, 30, 64, 0, 1}, {R});
  EXPECT_ERROR(not_cnode, Error::FailedLookup);
  EXPECT_FALSE(not_cnode.error.failed_lookup_was_source);
  EXPECT_EQ(not_cnode.error.lookup.type, LookupFailureType::MissingCapability);
  EXPECT_EQ(not_cnode.error.lookup.bits_left, 64u);
  const Outcome self = env.invoke(U, Label::UntypedRetype, {2, 0, 0, 0, 0, 1}, {30});
  EXPECT_EQ(self.error.lookup.type, LookupFailureType::MissingCapability);
  EXPECT_EQ(self.error.lookup.bits_left, 0u);
  const Outcome empty = env.invoke(U, Label::UntypedRetype, {2, 0, 31, 64, 0, 1}, {R});
  EXPECT_EQ(empty.error.lookup.type, LookupFailureType::MissingCapability);
}

TEST_F(Retype, SlotWindowChecks) {
  expect_range(retype(ObjectType::Endpoint, 0, 256, 1), 0, 255);
  expect_range(retype(ObjectType::Endpoint, 0, 100, 0), 1, 256);
  expect_range(retype(ObjectType::Endpoint, 0, 100, 257), 1, 256);
  expect_range(retype(ObjectType::Endpoint, 0, 250, 7), 1, 6);
  // Offset is checked before the count.
  expect_range(retype(ObjectType::Endpoint, 0, 300, 0), 0, 255);
  EXPECT_ERROR(retype(ObjectType::Endpoint, 0, 18, 3), Error::DeleteFirst);  // slot 20 = U
  EXPECT_OK(retype(ObjectType::Endpoint, 0, 250, 6));
}

TEST_F(Retype, MemoryChecksInOrder) {
  env.untyped(21, 12);
  const Outcome o = retype(ObjectType::TCB, 0, 100, 3, 21);
  EXPECT_ERROR(o, Error::NotEnoughMemory);
  EXPECT_EQ(o.error.memory_left, 4096u);
  EXPECT_OK(retype(ObjectType::TCB, 0, 100, 1, 21));
  const Outcome left = retype(ObjectType::TCB, 0, 101, 2, 21);
  EXPECT_ERROR(left, Error::NotEnoughMemory);
  EXPECT_EQ(left.error.memory_left, 2048u);
  // Device untypeds: memory is checked before the object type.
  env.untyped(22, 13, true);
  EXPECT_EQ(retype(ObjectType::TCB, 0, 110, 5, 22).error.type, Error::NotEnoughMemory);
  expect_invalid_argument(retype(ObjectType::TCB, 0, 110, 1, 22), 1);
  expect_invalid_argument(retype(ObjectType::CapTable, 2, 110, 1, 22), 1);
  expect_invalid_argument(retype(ObjectType::PageTable, 0, 110, 1, 22), 1);
  expect_invalid_argument(retype(ObjectType::VSpace, 0, 110, 1, 22), 1);
  expect_invalid_argument(retype(ObjectType::Endpoint, 0, 110, 1, 22), 1);
  expect_invalid_argument(retype(ObjectType::Notification, 0, 110, 1, 22), 1);
  EXPECT_OK(retype(ObjectType::Untyped, 4, 110, 2, 22));
  EXPECT_OK(retype(ObjectType::SmallPage, 0, 112, 1, 22)) << "frames from a device untyped";
  EXPECT_TRUE(FrameCap{env.cap(112)}.is_device());
}

TEST_F(Retype, EveryObjectType) {
  struct Case {
    ObjectType type;
    word_t size;
    CapType cap;
    unsigned bits;
  };
  const Case cases[] = {
      {ObjectType::Untyped, 5, CapType::Untyped, 5},
      {ObjectType::TCB, 0, CapType::Thread, kTcbBits},
      {ObjectType::Endpoint, 0, CapType::Endpoint, kEndpointBits},
      {ObjectType::Notification, 0, CapType::Notification, kNotificationBits},
      {ObjectType::CapTable, 3, CapType::CNode, 3 + kSlotBits},
      {ObjectType::VSpace, 0, CapType::VSpace, kVSpaceBits},
      {ObjectType::SmallPage, 0, CapType::Frame, kPageBits},
      {ObjectType::PageTable, 0, CapType::PageTable, kPageTableBits},
  };
  word_t slot = 100;
  for (const Case& c : cases) {
    const word_t before = free_index();
    // Dirty the memory the objects will use: creation must zero it (Untyped excepted).
    std::memset(env.at<uint8_t>(base + before), 0xab, (word_t{1} << 16) - before);
    ASSERT_TRUE(test::is_ok(retype(c.type, c.size, slot, 2))) << int(c.type);
    for (word_t i = 0; i < 2; ++i) {
      const Cap cap = env.cap(slot + i);
      EXPECT_EQ(cap.type(), c.cap);
      EXPECT_EQ(cap_size_bits(cap), c.bits);
      const paddr_t p = cap_object_ptr(cap);
      EXPECT_TRUE(is_aligned(p, c.bits));
      EXPECT_GE(p, base + before);
      EXPECT_TRUE(env.slot(slot + i)->mdb.revocable());
      EXPECT_TRUE(env.slot(slot + i)->mdb.first_badged());
      EXPECT_TRUE(is_mdb_parent_of(env.slot(U), env.slot(slot + i)));
      if (c.type != ObjectType::Untyped) {
        const uint8_t* mem = env.at<uint8_t>(p);
        EXPECT_TRUE(std::all_of(mem, mem + (word_t{1} << c.bits), [](uint8_t b) { return b == 0; }) ||
                    c.type == ObjectType::TCB);
      }
    }
    EXPECT_EQ(free_index(), cap_object_ptr(env.cap(slot + 1)) + (word_t{1} << c.bits) - base);
    slot += 2;
  }
  // Caps are written exactly as seL4 creates them.
  EXPECT_EQ(EndpointCap{env.cap(104)}.rights(), CapRights::all());
  EXPECT_EQ(EndpointCap{env.cap(104)}.badge(), 0u);
  EXPECT_EQ(NotificationCap{env.cap(106)}.rights(), (CapRights{true, true, false, false}));
  EXPECT_EQ(CNodeCap{env.cap(108)}.radix(), 3u);
  EXPECT_EQ(CNodeCap{env.cap(108)}.guard_size(), 0u);
  EXPECT_FALSE(VSpaceCap{env.cap(110)}.is_mapped());
  EXPECT_EQ(FrameCap{env.cap(112)}.rights(), VmRights::ReadWrite);
  EXPECT_FALSE(FrameCap{env.cap(112)}.is_mapped());
  EXPECT_FALSE(FrameCap{env.cap(112)}.is_device());
  EXPECT_FALSE(PageTableCap{env.cap(114)}.is_mapped());
  EXPECT_EQ(UntypedCap{env.cap(100)}.free_index(), 0u);
  const Tcb* t = tcb_from_object(ThreadCap{env.cap(102)}.ptr());
  EXPECT_EQ(t->state, ThreadState::Inactive);
  EXPECT_EQ(t->context.regs[SPSR_EL1], kPstateUser);
  EXPECT_EQ(t->context.regs[X0], 0u);
  EXPECT_EQ(t->priority, 0u);
  EXPECT_EQ(t->mcp, 0u);
  EXPECT_EQ(t->name[0], '\0');
  EXPECT_TRUE(env.at<Cte>(ThreadCap{env.cap(102)}.ptr())->cap.is_null());
  EXPECT_INVARIANTS(env);
}

TEST_F(Retype, LargeAndHugePages) {
  env.untyped(21, 21);
  EXPECT_EQ(retype(ObjectType::HugePage, 0, 100, 1, 21).error.memory_left, word_t{1} << 21);
  EXPECT_OK(retype(ObjectType::LargePage, 0, 100, 1, 21));
  EXPECT_EQ(FrameCap{env.cap(100)}.size(), FrameSize::Large);
  EXPECT_EQ(retype(ObjectType::SmallPage, 0, 101, 1, 21).error.memory_left, 0u);
}

TEST_F(Retype, AlignmentAndExhaustion) {
  EXPECT_OK(retype(ObjectType::Endpoint, 0, 100, 1));
  EXPECT_EQ(free_index(), 16u);
  EXPECT_OK(retype(ObjectType::SmallPage, 0, 101, 1));
  EXPECT_EQ(cap_object_ptr(env.cap(101)), base + 4096) << "aligned up to the page size";
  EXPECT_EQ(free_index(), 8192u);
  const Outcome o = retype(ObjectType::SmallPage, 0, 102, 15);
  EXPECT_ERROR(o, Error::NotEnoughMemory);
  EXPECT_EQ(o.error.memory_left, 65536u - 8192u);
  EXPECT_OK(retype(ObjectType::SmallPage, 0, 102, 14));
  EXPECT_EQ(free_index(), 65536u);
  const Outcome none = retype(ObjectType::Endpoint, 0, 120, 1);
  EXPECT_ERROR(none, Error::NotEnoughMemory);
  EXPECT_EQ(none.error.memory_left, 0u);
  EXPECT_INVARIANTS(env);
}

TEST_F(Retype, ReuseAfterAllChildrenAreGone) {
  EXPECT_OK(retype(ObjectType::SmallPage, 0, 100, 16));
  std::memset(env.at<uint8_t>(base), 0x5a, 65536);  // the user wrote to every page
  EXPECT_EQ(retype(ObjectType::Endpoint, 0, 120, 1).error.memory_left, 0u);
  // Deleting one page is not enough: the watermark stays.
  EXPECT_OK(env.invoke(R, Label::CNodeDelete, {100, 64}));
  EXPECT_EQ(retype(ObjectType::Endpoint, 0, 120, 1).error.type, Error::NotEnoughMemory);
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {U, 64}));
  // No children: the retype resets the untyped (zeroing what was used) and starts at 0.
  EXPECT_OK(retype(ObjectType::Untyped, 15, 120, 1));
  EXPECT_EQ(UntypedCap{env.cap(120)}.ptr(), base);
  const uint8_t* mem = env.at<uint8_t>(base);
  EXPECT_TRUE(std::all_of(mem, mem + 65536, [](uint8_t b) { return b == 0; }));
  EXPECT_EQ(free_index(), 32768u);
  EXPECT_INVARIANTS(env);
}

TEST_F(Retype, FullyUsedUntypedResetsOnFirstUse) {
  // Boot untypeds are handed out fully used; the first retype resets them.
  const paddr_t p = env.untyped(21, 13, false, word_t{1} << 13);
  std::memset(env.at<uint8_t>(p), 0x11, 8192);
  EXPECT_OK(retype(ObjectType::Untyped, 12, 100, 2, 21));
  EXPECT_EQ(free_index(21), 8192u);
  const uint8_t* mem = env.at<uint8_t>(p);
  EXPECT_TRUE(std::all_of(mem, mem + 8192, [](uint8_t b) { return b == 0; }));
  // Device untypeds are not zeroed.
  const paddr_t d = env.untyped(22, 12, true, 4096);
  std::memset(env.at<uint8_t>(d), 0x22, 4096);
  EXPECT_OK(retype(ObjectType::SmallPage, 0, 110, 1, 22));
  EXPECT_EQ(*env.at<uint8_t>(d), 0x22);
  EXPECT_TRUE(FrameCap{env.cap(110)}.is_device());
}

TEST_F(Retype, PreemptedResetRestartsAndFinishes) {
  EXPECT_OK(retype(ObjectType::SmallPage, 0, 100, 16));
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {U, 64}));
  std::memset(env.at<uint8_t>(base), 0x77, 65536);
  g_preemption.force_every = 5;
  EXPECT_OK(retype(ObjectType::CapTable, 4, 120, 1));
  EXPECT_GE(env.restarts, 65536u / 256 / 5 - 1);
  const uint8_t* mem = env.at<uint8_t>(base);
  EXPECT_TRUE(std::all_of(mem, mem + 65536, [](uint8_t b) { return b == 0; }));
  EXPECT_EQ(free_index(), word_t{1} << (4 + kSlotBits));
  EXPECT_INVARIANTS(env);
}

TEST_F(Retype, IntoASecondLevelCNode) {
  EXPECT_OK(retype(ObjectType::CapTable, 4, 30, 1));
  // node_index 30 at depth 64 names the new CNode in the root.
  EXPECT_OK(env.invoke(U, Label::UntypedRetype, {word_t(ObjectType::Endpoint), 0, 30, 64, 15, 1}, {R}));
  const Cte* l2 = env.at<Cte>(CNodeCap{env.cap(30)}.ptr());
  EXPECT_EQ(l2[15].cap.type(), CapType::Endpoint);
  expect_range(env.invoke(U, Label::UntypedRetype, {word_t(ObjectType::Endpoint), 0, 30, 64, 16, 1}, {R}), 0,
               15);
  expect_range(env.invoke(U, Label::UntypedRetype, {word_t(ObjectType::Endpoint), 0, 30, 64, 10, 7}, {R}), 1,
               6);
  EXPECT_INVARIANTS(env);
}

TEST_F(Retype, ChildUntypedsNest) {
  EXPECT_OK(retype(ObjectType::Untyped, 14, 100, 2));
  EXPECT_OK(retype(ObjectType::Untyped, 12, 110, 4, 100));
  EXPECT_OK(retype(ObjectType::Endpoint, 0, 120, 3, 110));
  EXPECT_INVARIANTS(env);
  EXPECT_ERROR(env.invoke(R, Label::CNodeCopy, {130, 64, 100, 64, 0xf}, {R}), Error::RevokeFirst);
  EXPECT_OK(env.invoke(R, Label::CNodeRevoke, {U, 64}));
  for (word_t s : {100u, 101u, 110u, 111u, 112u, 113u, 120u, 121u, 122u})
    EXPECT_TRUE(env.cap(s).is_null()) << s;
  EXPECT_INVARIANTS(env);
}

}  // namespace
}  // namespace keel
