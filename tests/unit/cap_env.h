// Test scaffolding for capability tests: simulated physical memory, a root CNode and a thread,
// and invocations built the way the syscall path builds them (without the syscall path).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

#include "host/host_machine.h"
#include "kernel/cap/cap_algebra.h"
#include "kernel/cap/cspace.h"
#include "kernel/cap/invariants.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/invocation.h"
#include "kernel/lib/preemption.h"
#include "kernel/object/tcb.h"

namespace keel::test {

class CapEnv {
 public:
  static constexpr paddr_t kBase = 0x40000000;
  static constexpr size_t kSize = size_t{8} << 20;
  static constexpr unsigned kRootRadix = 8;
  static constexpr word_t kRootSlot = 1;  // a cap to the root CNode, as seL4_CapInitThreadCNode
  static constexpr word_t kDepth = 64;

  CapEnv() {
    arena_ = static_cast<uint8_t*>(std::aligned_alloc(4096, kSize));
    std::memset(arena_, 0, kSize);
    saved_offset_ = g_kernel_window_offset;
    g_kernel_window_offset = reinterpret_cast<word_t>(arena_) - kBase;
    saved_memory_ = host::set_kernel_memory(host::KernelMemory{arena_, kSize});
    g_preemption = PreemptionState{};
    next_ = kBase;
    root_cnode_ = alloc(kRootRadix + kSlotBits);
    tcb_object_ = alloc(kTcbBits);
    thread_ = tcb_from_object(tcb_object_);
    root_cap_ = CNodeCap::make(root_cnode_, kRootRadix, 64 - kRootRadix, 0);
    put_boot(thread_->slot(kTcbCTable), root_cap_);
    put(kRootSlot, root_cap_);
  }
  ~CapEnv() {
    g_kernel_window_offset = saved_offset_;
    host::set_kernel_memory(saved_memory_);
    g_preemption = PreemptionState{};
    std::free(arena_);
  }
  CapEnv(const CapEnv&) = delete;
  CapEnv& operator=(const CapEnv&) = delete;

  // Bump allocation of naturally aligned physical memory.
  paddr_t alloc(unsigned bits) {
    next_ = round_up(next_, bits);
    const paddr_t p = next_;
    next_ += word_t{1} << bits;
    EXPECT_LE(next_, kBase + kSize) << "test arena exhausted";
    return p;
  }
  template <typename T>
  T* at(paddr_t p) {
    return ptr_from_paddr<T>(p);
  }

  Tcb* thread() { return thread_; }
  Cap root_cap() const { return root_cap_; }
  paddr_t root_cnode() const { return root_cnode_; }
  Cte* slot(word_t i) { return ptr_from_paddr<Cte>(root_cnode_) + i; }
  Cap cap(word_t i) { return slot(i)->cap; }

  // A cap written the way boot writes initial caps: revocable, first badged, no links.
  static void put_boot(Cte* s, Cap c) {
    s->cap = c;
    s->mdb = MdbNode{};
    s->mdb.set_revocable(true);
    s->mdb.set_first_badged(true);
  }
  void put(word_t i, Cap c) { put_boot(slot(i), c); }
  // A fresh untyped of 2^bits bytes in root slot i (free index 0: nothing handed out).
  paddr_t untyped(word_t i, unsigned bits, bool device = false, word_t free_index = 0) {
    const paddr_t p = alloc(bits);
    put(i, UntypedCap::make(p, bits, device, free_index));
    return p;
  }

  // Builds the invocation as the syscall path would and runs invoke_cap once.
  Outcome invoke_once(cptr_t cptr, Label label, std::initializer_list<word_t> mrs,
                      std::initializer_list<cptr_t> extra = {}, word_t length = ~word_t{0}) {
    Invocation inv{
        .thread = thread_, .label = word_t(label), .cptr = cptr, .is_call = true, .is_blocking = true};
    inv.length = length == ~word_t{0} ? mrs.size() : length;
    unsigned i = 0;
    for (word_t w : mrs) {
      if (i < kNumMsgRegisters) thread_->context.regs[kMsgRegisters[i]] = w;
      ipc_[ipc_buffer::kMsg + i] = w;
      ++i;
    }
    inv.ipc_buffer = ipc_;
    const LookupResult target = lookup_cap_and_slot(thread_, cptr);
    EXPECT_TRUE(target.ok()) << "invoked cptr does not resolve";
    inv.cap = target.cap;
    inv.slot = target.slot;
    for (cptr_t c : extra) {
      const LookupResult r = lookup_cap_and_slot(thread_, c);
      EXPECT_TRUE(r.ok()) << "extra cptr does not resolve";
      inv.extra[inv.num_extra++] = ExtraCap{r.cap, r.slot};
    }
    thread_->state = ThreadState::Running;
    return invoke_cap(inv);
  }

  // Runs an invocation to completion, re-executing it after each preemption (as a thread left
  // in Restart would); `restarts` counts how often.
  Outcome invoke(cptr_t cptr, Label label, std::initializer_list<word_t> mrs,
                 std::initializer_list<cptr_t> extra = {}, word_t length = ~word_t{0}) {
    restarts = 0;
    for (;;) {
      const Outcome o = invoke_once(cptr, label, mrs, extra, length);
      if (!preempted(o)) return o;
      EXPECT_EQ(thread_->state, ThreadState::Restart);
      if (++restarts > 1000000) return o;
    }
  }

  // The invariant checker over the root CNode and the thread's slots (and all they reach).
  bool invariants(std::string* why = nullptr) {
    const SlotSpan spans[] = {{slot(0), word_t{1} << kRootRadix}, {thread_->slot(kTcbCTable), kTcbNumSlots}};
    char buf[256];
    const bool ok = check_invariants(InvariantScope{spans, 2}, buf, sizeof buf);
    if (why) *why = buf;
    return ok;
  }

  unsigned restarts = 0;

 private:
  uint8_t* arena_ = nullptr;
  word_t saved_offset_ = 0;
  host::KernelMemory saved_memory_;
  paddr_t next_ = 0;
  paddr_t root_cnode_ = 0;
  paddr_t tcb_object_ = 0;
  Tcb* thread_ = nullptr;
  Cap root_cap_;
  word_t ipc_[128] = {};
};

#define EXPECT_INVARIANTS(env)                    \
  do {                                            \
    std::string why_;                             \
    EXPECT_TRUE((env).invariants(&why_)) << why_; \
  } while (0)

inline ::testing::AssertionResult is_ok(const Outcome& o) {
  if (o.ok() && o.value == PerformStatus::Done) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "preempted " << preempted(o) << ", error " << word_t(o.error.type);
}

inline ::testing::AssertionResult is_error(const Outcome& o, Error e) {
  if (!o.ok() && o.error.type == e) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected error " << word_t(e) << ", got preempted " << preempted(o)
                                       << " error " << word_t(o.error.type);
}

#define EXPECT_OK(o) EXPECT_TRUE(::keel::test::is_ok(o))
#define EXPECT_ERROR(o, e) EXPECT_TRUE(::keel::test::is_error((o), (e)))

}  // namespace keel::test
