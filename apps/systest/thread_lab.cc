// The thread tests' shared parts (see thread_lab.h).
#include "thread_lab.h"

#include <keel/thread.hpp>

namespace systest::lab {
namespace {

constexpr size_t kStackBytes = 8192;
constexpr unsigned kUntypedBits = 16;  // room for kMaxThreads TCBs of 2 KiB

alignas(16) unsigned char g_stacks[kMaxThreads][kStackBytes];
// Four buffers share each page of the image; their frame caps come from bootinfo.
alignas(4096) seL4_IPCBuffer g_ipc_buffers[kMaxThreads];
static_assert(sizeof(seL4_IPCBuffer) == 1024, "an IPC buffer is 2^10 bytes");

seL4_CPtr ram_untyped(const seL4_BootInfo* bi, unsigned bits) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= bits) return bi->untyped.start + i;
  }
  return 0;
}

}  // namespace

Board board;

void reset_board(seL4_Word threads) {
  board = Board{};
  board.threads = threads;
}

void log_entry(seL4_Word v) {
  const seL4_Word n = board.log_len.get();
  if (n < 2 * kMaxThreads) board.log[n].set(v);
  board.log_len.set(n + 1);
}

bool another_turn(seL4_Word i) {
  if (board.last_runner.get() != i + 1) {
    board.last_runner.set(i + 1);
    board.seen[i].bump();
  }
  return board.seen[i].get() <= kTurns && board.done.get() + 1 < board.threads;
}

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

void expect_range(Test& t, const char* what, seL4_Error e, seL4_Word max, seL4_Word min) {
  if (ok(t, what, e, seL4_RangeError)) {
    t.expect(seL4_GetMR(0) == min && seL4_GetMR(1) == max, "%s: range [%lu, %lu], expected [%lu, %lu]", what,
             seL4_GetMR(0), seL4_GetMR(1), min, max);
  }
}

void set_root_priority(Test& t, seL4_Word prio) {
  ok(t, "SetPriority of the root task", seL4_TCB_SetPriority(kRootTcb, kRootTcb, prio));
}

void let_run_above(Test& t, seL4_Word prio) {
  set_root_priority(t, prio);
  set_root_priority(t, seL4_MaxPrio);
}

bool moves_on_yield(const Word& w) {
  const seL4_Word before = w.get();
  for (int i = 0; i < 3; ++i) {
    seL4_Yield();
    if (w.get() != before) return true;
  }
  return false;
}

seL4_IPCBuffer* ipc_buffer(seL4_Word i) { return &g_ipc_buffers[i]; }

Threads::Threads(Test& t) : t_(t) {
  parent_ = ram_untyped(t.bi(), kUntypedBits);
  if (!t.expect(parent_ != 0, "no 64 KiB RAM untyped")) return;
  const seL4_CPtr ut = t.bi()->empty.start;
  first_ = ut + 1;
  ok(t, "Retype scratch untyped",
     seL4_Untyped_Retype(parent_, seL4_UntypedObject, kUntypedBits, seL4_CapInitThreadCNode, 0, 0, ut, 1));
  ok(t, "Retype TCBs",
     seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, first_, kMaxThreads));
}

Threads::~Threads() {
  for (unsigned i = 0; i < kMaxThreads; ++i) {
    if (started_[i]) ok(t_, "Suspend at the end", seL4_TCB_Suspend(first_ + i));
  }
  set_root_priority(t_, seL4_MaxPrio);
  // Revoking the boot untyped deletes the scratch untyped and every TCB made from it.
  if (parent_ != 0) ok(t_, "Revoke", seL4_CNode_Revoke(seL4_CapInitThreadCNode, parent_, seL4_WordBits));
}

seL4_CPtr Threads::start(seL4_Word i, void (*fn)(seL4_Word), seL4_Word prio, bool resume, const char* name) {
  const seL4_CPtr tcb = first_ + i;
  board.tcb[i] = tcb;
  const keel::ThreadStart r = keel::start_thread(keel::ThreadSpec{
      .tcb = keel::Tcb{tcb},
      .ipc_buffer = &g_ipc_buffers[i],
      .ipc_frame = keel::image_frame(t_.bi(), &g_ipc_buffers[i]),
      .stack = g_stacks[i],
      .stack_size = kStackBytes,
      .entry = fn,
      .arg = i,
      .priority = prio,
      .name = name,
      .resume = resume,
  });
  started_[i] = true;
  board.tls[i] = r.tls_base;
  t_.expect(r.ok(), "start_thread %lu: %s returned %d", i, r.step, static_cast<int>(r.error));
  return tcb;
}

}  // namespace systest::lab
