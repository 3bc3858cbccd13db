// What the thread tests share (thread_tests.cc, thread_state_tests.cc): TCBs from a scratch
// untyped started with keel::start_thread, a board of shared words the threads write, and the
// ways the root task waits for them. Without IPC, threads talk only through memory; the root task
// waits by dropping its own priority below theirs, so it runs again only once none of them can.
#pragma once

#include <stdint.h>

#include "framework.h"

namespace systest::lab {

constexpr seL4_CPtr kRootTcb = seL4_CapInitThreadTCB;
constexpr unsigned kMaxThreads = 6;
constexpr seL4_Word kTurns = 3;  // how often a spinner must see the others run before it ends

// A word the threads share: every access goes to memory, never a register copy.
class Word {
 public:
  seL4_Word get() const { return __atomic_load_n(&v_, __ATOMIC_RELAXED); }
  void set(seL4_Word v) { __atomic_store_n(&v_, v, __ATOMIC_RELAXED); }
  void bump() { __atomic_fetch_add(&v_, 1, __ATOMIC_RELAXED); }

 private:
  seL4_Word v_ = 0;
};

// Everything the threads of one case write and the root task reads afterwards.
struct Board {
  Word log[2 * kMaxThreads];
  Word log_len;
  Word counter[kMaxThreads];
  Word seen[kMaxThreads];  // how often thread i found that another ran since its last look
  Word bad[kMaxThreads];
  Word last_runner;  // 1 + the thread that looked last
  Word done;
  Word stop;
  Word result[8];
  seL4_Word threads = 0;  // how many spinners take part in another_turn
  seL4_CPtr tcb[kMaxThreads] = {};
  uintptr_t tls[kMaxThreads] = {};
};
extern Board board;

// Each case starts from a clean board.
void reset_board(seL4_Word threads);
void log_entry(seL4_Word v);

// One look of spinner i: false once it has been switched back in kTurns times after its first
// run (so others ran in between), or every other spinner has finished.
bool another_turn(seL4_Word i);

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want = seL4_NoError);
// A RangeError whose error words (MR0, MR1) are [min, max].
void expect_range(Test& t, const char* what, seL4_Error e, seL4_Word max, seL4_Word min = 0);

void set_root_priority(Test& t, seL4_Word prio);
// The root task drops to `prio` and is back at 255 once no thread above `prio` is runnable.
void let_run_above(Test& t, seL4_Word prio);
// Yields until `w` moves (at most three times: a thread at the root task's priority may need a
// second turn when its time slice ran out just as it was switched to).
bool moves_on_yield(const Word& w);

// The threads of one case: TCBs from a scratch untyped, deleted (with everything else made from
// it) at the end, when the root task is also put back at priority 255.
class Threads {
 public:
  explicit Threads(Test& t);
  ~Threads();
  Threads(const Threads&) = delete;
  Threads& operator=(const Threads&) = delete;

  // Starts thread i (stack, IPC buffer and TLS block i) running fn(i) at prio; returns its TCB
  // cap. With resume false it stays Inactive.
  seL4_CPtr start(seL4_Word i, void (*fn)(seL4_Word), seL4_Word prio, bool resume = true,
                  const char* name = nullptr);

 private:
  Test& t_;
  seL4_CPtr parent_ = 0, first_ = 0;
  bool started_[kMaxThreads] = {};
};

// Thread i's IPC buffer (what its seL4_GetIPCBuffer must return).
seL4_IPCBuffer* ipc_buffer(seL4_Word i);

}  // namespace systest::lab
