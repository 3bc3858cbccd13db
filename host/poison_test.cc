// Free RAM is poisoned to AddressSanitizer: boot leaves only the root task's objects live,
// Retype makes its new objects live, deleting an object's last cap or resetting its untyped
// frees its memory again, and a kernel access outside every live object is reported.
#include <gtest/gtest.h>

#include "host/sanitizer.h"
#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/cap/cap_algebra.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/mutation.h"

namespace keel::host {
namespace {

constexpr word_t kUntypedBits = 16;
constexpr word_t kCNodeRadix = 4;  // 16 slots, 512 bytes

class PoisonTest : public ::testing::Test {
 protected:
  HostKernel k;

  void SetUp() override {
    if (!kAsan) GTEST_SKIP() << "poisoning is tracked only under AddressSanitizer (host-asan)";
  }

  SyscallResult call(cptr_t cap, Label l, std::initializer_list<word_t> mrs,
                     std::initializer_list<cptr_t> extra = {}) {
    return k.call(cap, word_t(l), mrs, extra);
  }
  // Slots from the end of the root CNode's empty region (HostKernel::retype fills from its start).
  word_t spare_slot(word_t i) { return k.bootinfo()->empty.end - 1 - i; }
  // Retypes `n` objects from the untyped in `ut` into the root CNode at `slot` (0: a spare slot).
  word_t retype_from(word_t ut, ObjectType type, word_t size_bits, word_t slot, word_t n = 1) {
    const SyscallResult r =
        call(ut, Label::UntypedRetype, {word_t(type), size_bits, 0, 0, slot, n}, {kCapInitThreadCNode});
    EXPECT_EQ(r.label(), 0u) << "retype of type " << word_t(type);
    return slot;
  }
  void remove(word_t slot) {
    ASSERT_EQ(call(kCapInitThreadCNode, Label::CNodeDelete, {slot, 64}).label(), 0u);
  }

  paddr_t object(word_t slot) { return cap_object_ptr(k.root_cap(slot)); }
  word_t size(word_t slot) { return word_t{1} << cap_size_bits(k.root_cap(slot)); }
  static const uint8_t* host(paddr_t p) { return ptr_from_paddr<uint8_t>(p); }
  static bool live(paddr_t p, word_t n) { return !any_poisoned(host(p), n); }
  // Every 8-byte granule poisoned.
  static bool free(paddr_t p, word_t n) {
    for (word_t off = 0; off < n; off += 8) {
      if (!is_poisoned(host(p + off))) return false;
    }
    return true;
  }
  bool live_object(word_t slot) { return live(object(slot), size(slot)); }
};

TEST_F(PoisonTest, BootLeavesTheRootTaskLiveAndEveryRamUntypedFree) {
  for (word_t slot : {kCapInitThreadCNode, kCapInitThreadVSpace, kCapInitThreadASIDPool, kCapBootInfoFrame,
                      kCapInitThreadIPCBuffer}) {
    EXPECT_TRUE(live_object(slot)) << "initial cap slot " << slot;
  }
  EXPECT_TRUE(live(object(kCapInitThreadTCB), word_t{1} << kTcbBits));
  const BootInfo* bi = k.bootinfo();
  for (word_t s = bi->user_image_frames.start; s < bi->user_image_frames.end; ++s)
    EXPECT_TRUE(live_object(s));
  for (word_t s = bi->user_image_paging.start; s < bi->user_image_paging.end; ++s)
    EXPECT_TRUE(live_object(s));
  unsigned ram_untypeds = 0;
  for (word_t s = bi->untyped.start; s < bi->untyped.end; ++s) {
    const UntypedDesc& d = bi->untyped_list[s - bi->untyped.start];
    if (d.is_device) continue;
    ++ram_untypeds;
    EXPECT_TRUE(free(d.paddr, word_t{1} << d.size_bits)) << "untyped at 0x" << std::hex << d.paddr;
  }
  EXPECT_GT(ram_untypeds, 0u);
}

TEST_F(PoisonTest, RetypeMakesExactlyItsObjectsLive) {
  const word_t ut = k.retype(ObjectType::Untyped, kUntypedBits);
  EXPECT_TRUE(free(object(ut), size(ut)));  // an untyped holds no object of its own
  const word_t ep = retype_from(ut, ObjectType::Endpoint, 0, spare_slot(1), 2);
  EXPECT_TRUE(live_object(ep));
  EXPECT_TRUE(live_object(ep + 1));
  EXPECT_EQ(object(ep + 1), object(ep) + size(ep));
  const paddr_t after = object(ep + 1) + size(ep + 1);
  EXPECT_TRUE(free(after, object(ut) + size(ut) - after));
}

TEST_F(PoisonTest, DeletingTheLastCapFreesTheObject) {
  const word_t ep = k.retype(ObjectType::Endpoint);
  const word_t copy = spare_slot(0);
  ASSERT_EQ(
      call(kCapInitThreadCNode, Label::CNodeCopy, {copy, 64, ep, 64, 0xf}, {kCapInitThreadCNode}).label(),
      0u);
  const paddr_t ep_object = object(ep);
  remove(ep);
  EXPECT_TRUE(live(ep_object, word_t{1} << kEndpointBits)) << "a copy still names it";
  remove(copy);
  EXPECT_TRUE(free(ep_object, word_t{1} << kEndpointBits));
  // Objects deleted through a Zombie (CNode, TCB) and a frame.
  for (ObjectType type : {ObjectType::CapTable, ObjectType::TCB, ObjectType::SmallPage}) {
    const word_t slot = k.retype(type, type == ObjectType::CapTable ? kCNodeRadix : 0);
    const paddr_t p = object(slot);
    const word_t n = size(slot);
    ASSERT_TRUE(live(p, n)) << "type " << word_t(type);
    remove(slot);
    EXPECT_TRUE(free(p, n)) << "type " << word_t(type);
  }
}

TEST_F(PoisonTest, ResetFreesTheUntypedAndRetypeReusesIt) {
  const word_t ut = k.retype(ObjectType::Untyped, kUntypedBits);
  retype_from(ut, ObjectType::TCB, 0, spare_slot(0));
  retype_from(ut, ObjectType::CapTable, kCNodeRadix, spare_slot(1));
  ASSERT_TRUE(live_object(spare_slot(0)));
  ASSERT_EQ(call(kCapInitThreadCNode, Label::CNodeRevoke, {ut, 64}).label(), 0u);
  EXPECT_TRUE(free(object(ut), size(ut)));
  // The next retype resets (zeroes) the used part, which is free memory: no report, and only the
  // new endpoint is live afterwards.
  const word_t ep = retype_from(ut, ObjectType::Endpoint, 0, spare_slot(2));
  EXPECT_EQ(object(ep), object(ut));
  EXPECT_TRUE(live_object(ep));
  EXPECT_TRUE(free(object(ut) + size(ep), size(ut) - size(ep)));
}

TEST_F(PoisonTest, AThreadThatDeletesItsOwnTcbStaysLiveUntilTheReset) {
  // A thread whose TCB comes from a child untyped, so that a revoke and a retype reset its memory.
  const word_t ut = k.retype(ObjectType::Untyped, kUntypedBits);
  const word_t self = retype_from(ut, ObjectType::TCB, 0, spare_slot(0));
  ASSERT_EQ(call(self, Label::TCBConfigure, {0, 0, 0, 0},
                 {kCapInitThreadCNode, kCapInitThreadVSpace, kCapInitThreadIPCBuffer})
                .label(),
            0u);
  ASSERT_EQ(call(self, Label::TCBSetPriority, {255}, {kCapInitThreadTCB}).label(), 0u);
  k.start_thread(self, 0x400000);
  for (unsigned i = 0; i < config::kTimeSliceTicks; ++i) k.tick();
  Tcb* thread = k.thread_at(self);
  ASSERT_EQ(ks.cur_thread, thread);
  const paddr_t p = object(self);
  k.call(thread, kCapInitThreadCNode, word_t(Label::CNodeDelete), {self, 64});
  EXPECT_EQ(ks.cur_thread, k.root());
  EXPECT_TRUE(live(p, word_t{1} << kTcbBits)) << "freed while the kernel entry still read it";
  ASSERT_EQ(call(kCapInitThreadCNode, Label::CNodeRevoke, {ut, 64}).label(), 0u);
  retype_from(ut, ObjectType::Endpoint, 0, spare_slot(1));  // resets the untyped
  const word_t ep_size = word_t{1} << kEndpointBits;
  EXPECT_TRUE(free(p + ep_size, (word_t{1} << kTcbBits) - ep_size));
}

TEST_F(PoisonTest, FrameConditionStillSeesFreeMemory) {
  const BootInfo* bi = k.bootinfo();
  word_t ut = bi->untyped.start;
  while (bi->untyped_list[ut - bi->untyped.start].is_device) ++ut;
  uint8_t* target = ptr_from_paddr<uint8_t>(bi->untyped_list[ut - bi->untyped.start].paddr);
  ASSERT_TRUE(is_poisoned(target));
  // Firmware writes physical memory whatever the kernel thinks lives there.
  k.machine().monitor = [target](const machine::SmcRegs& in, HostMachine&) {
    unpoison(target, 8);
    *target ^= 1;
    poison(target, 8);
    return in;
  };
  const SyscallResult r = call(kCapSMC, Label::ARMSMCCall, {0xc2000001, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(r.label(), 0u);
  ASSERT_EQ(k.machine().frame_violations.size(), 1u);
}

// A retype whose slot window runs one slot past the destination CNode, into free untyped memory.
SyscallResult retype_past_cnode(HostKernel& k) {
  const word_t ut = k.retype(ObjectType::Untyped, kUntypedBits);
  const word_t cnode = k.bootinfo()->empty.end - 1;
  SyscallResult r =
      k.call(ut, word_t(Label::UntypedRetype), {word_t(ObjectType::CapTable), kCNodeRadix, 0, 0, cnode, 1},
             {kCapInitThreadCNode});
  if (r.label() != 0) return r;
  // Node index `cnode` at depth 64 names the new CNode; its last slot and the one after it.
  const word_t last = (word_t{1} << kCNodeRadix) - 1;
  return k.call(ut, word_t(Label::UntypedRetype), {word_t(ObjectType::Endpoint), 0, cnode, 64, last, 2},
                {kCapInitThreadCNode});
}

TEST(Poison, RetypePastTheCNodeIsARangeError) {
  HostKernel k;
  const SyscallResult r = retype_past_cnode(k);
  EXPECT_EQ(r.label(), word_t(Error::RangeError));
}

TEST(PoisonDeathTest, RetypeWritingPastTheCNodeIsCaughtByAsan) {
  if (!kAsan) GTEST_SKIP() << "needs AddressSanitizer (host-asan)";
  HostKernel k;
  EXPECT_DEATH(
      {
        g_active_mutant = Mutant::RetypeSlotPastCNode;
        (void)retype_past_cnode(k);
      },
      "use-after-poison");
}

}  // namespace
}  // namespace keel::host
