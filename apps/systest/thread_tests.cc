// THRD0001..THRD0009: scheduling with threads started by keel::start_thread: strict priorities,
// round robin on the kernel tick, Yield, Suspend/Resume, SetPriority and MCPs (see thread_lab.h
// for how the threads and the root task share memory and wait for each other).
#include "thread_lab.h"

extern "C" seL4_Word systest_clobbered_registers(seL4_Word sysno, seL4_Word x0_arg);

namespace systest {
namespace {

using lab::another_turn;
using lab::board;
using lab::expect_range;
using lab::kRootTcb;
using lab::kTurns;
using lab::let_run_above;
using lab::log_entry;
using lab::moves_on_yield;
using lab::ok;
using lab::reset_board;
using lab::set_root_priority;
using lab::Threads;

// --- THRD0001: strict priorities ------------------------------------------------------------

// Priorities on both sides of the bitmap's 64-priority word boundaries.
constexpr seL4_Word kOrderPrios[] = {63, 200, 1, 130, 64, 70};
constexpr unsigned kOrderThreads = sizeof(kOrderPrios) / sizeof(kOrderPrios[0]);

void log_yield_log(seL4_Word i) {
  log_entry(2 * i);
  seL4_Yield();  // alone at its priority: must come straight back, not to a lower thread
  log_entry(2 * i + 1);
}

void thrd0001_strict_priorities(Test& t) {
  reset_board(kOrderThreads);
  Threads th(t);
  for (unsigned i = 0; i < kOrderThreads; ++i) th.start(i, log_yield_log, kOrderPrios[i]);
  t.expect_eq("entries logged while the root task (255) was runnable", board.log_len.get(), 0);
  let_run_above(t, 0);
  t.expect_eq("log length", board.log_len.get(), 2 * kOrderThreads);
  bool taken[kOrderThreads] = {};
  for (unsigned k = 0; k < kOrderThreads; ++k) {
    unsigned best = 0;
    while (taken[best]) ++best;
    for (unsigned i = 0; i < kOrderThreads; ++i) {
      if (!taken[i] && kOrderPrios[i] > kOrderPrios[best]) best = i;
    }
    taken[best] = true;
    t.expect(board.log[2 * k].get() == 2 * best && board.log[2 * k + 1].get() == 2 * best + 1,
             "run %u: expected the thread at priority %lu twice, log has %lu, %lu", k, kOrderPrios[best],
             board.log[2 * k].get(), board.log[2 * k + 1].get());
  }
}

// --- THRD0002: round robin ------------------------------------------------------------------

void spin_turns(seL4_Word i) {
  while (another_turn(i)) board.counter[i].bump();
  board.done.bump();
}

void thrd0002_round_robin(Test& t) {
  reset_board(2);
  Threads th(t);
  th.start(0, spin_turns, 100);
  th.start(1, spin_turns, 100);
  let_run_above(t, 99);  // without a tick rotating them, the first spinner never ends
  t.expect_eq("spinners finished", board.done.get(), 2);
  for (unsigned i = 0; i < 2; ++i) {
    t.expect(board.seen[i].get() >= kTurns, "spinner %u ran %lu times", i, board.seen[i].get());
  }
}

// --- THRD0003: Yield ------------------------------------------------------------------------

void count_and_yield(seL4_Word i) {
  while (board.stop.get() == 0) {
    board.counter[i].bump();
    seL4_Yield();
  }
  board.done.bump();
}

void set_flag(seL4_Word i) { board.counter[i].set(1); }

void yield_hands_over(Test& t) {
  for (int k = 0; k < 3; ++k) {
    t.expect(moves_on_yield(board.counter[0]), "Yield did not run the peer (%d)", k);
  }
  // Every register must survive a Yield during which the peer ran (tried until it did run).
  bool peer_ran = false;
  for (int k = 0; k < 3 && !peer_ran; ++k) {
    const seL4_Word before = board.counter[0].get();
    const seL4_Word clobbered = systest_clobbered_registers(KEEL_SYSNO(seL4_SysYield), 0);
    t.expect(clobbered == 0, "registers changed across a Yield to the peer: mask 0x%lx", clobbered);
    peer_ran = board.counter[0].get() != before;
  }
  t.expect(peer_ran, "the peer never ran during a register-checked Yield");
  board.stop.set(1);
  t.expect(moves_on_yield(board.done), "the peer did not finish");
}

void thrd0003_yield(Test& t) {
  reset_board(1);
  Threads th(t);
  set_root_priority(t, 100);
  th.start(0, count_and_yield, 100);
  yield_hands_over(t);
  th.start(1, set_flag, 50);
  for (int k = 0; k < 3; ++k) seL4_Yield();
  t.expect_eq("Yield alone at its priority ran a lower thread", board.counter[1].get(), 0);
  const seL4_Word clobbered = systest_clobbered_registers(KEEL_SYSNO(seL4_SysYield), 0);
  t.expect(clobbered == 0, "registers changed across a lone Yield: mask 0x%lx", clobbered);
}

// --- THRD0004..0006: Suspend and Resume -----------------------------------------------------

[[noreturn]] void spin_forever(seL4_Word i) {
  for (;;) board.counter[i].bump();
}

void thrd0004_suspend_resume(Test& t) {
  reset_board(1);
  Threads th(t);
  set_root_priority(t, 100);
  const seL4_CPtr s = th.start(0, spin_forever, 100);
  t.expect(moves_on_yield(board.counter[0]), "the spinner never ran");
  ok(t, "Suspend", seL4_TCB_Suspend(s));
  const seL4_Word stopped = board.counter[0].get();
  for (int k = 0; k < 3; ++k) seL4_Yield();
  t.expect_eq("a suspended spinner's counter", board.counter[0].get(), stopped);
  ok(t, "Suspend again", seL4_TCB_Suspend(s));
  ok(t, "Resume", seL4_TCB_Resume(s));
  t.expect(moves_on_yield(board.counter[0]), "the resumed spinner did not run again");
}

void thrd0005_resume_self(Test& t) {
  // seL4 restarts only stopped threads: Resume of a running or ready one must succeed and leave
  // it as it was (no error for self, no second queue entry, no second run).
  ok(t, "Resume of the running root task", seL4_TCB_Resume(kRootTcb));
  ok(t, "and again", seL4_TCB_Resume(kRootTcb));
  reset_board(1);
  Threads th(t);
  th.start(0, set_flag, 100);
  ok(t, "Resume of a ready thread", seL4_TCB_Resume(board.tcb[0]));
  let_run_above(t, 99);
  t.expect_eq("the ready thread ran", board.counter[0].get(), 1);
}

void suspend_self(seL4_Word i) {
  board.counter[i].set(1);
  (void)seL4_TCB_Suspend(board.tcb[i]);  // returns only if the kernel moved its restart point
  board.counter[i].set(2);
}

void thrd0006_self_suspend_restarts(Test& t) {
  reset_board(1);
  Threads th(t);
  th.start(0, suspend_self, 100);
  let_run_above(t, 99);
  t.expect_eq("steps before the Suspend", board.counter[0].get(), 1);
  // Suspending itself left it in Restart, so its restart point is the svc: Resume runs the
  // Suspend again instead of returning from it.
  ok(t, "Resume", seL4_TCB_Resume(board.tcb[0]));
  let_run_above(t, 99);
  t.expect_eq("steps after Resume (seL4 re-executes the Suspend)", board.counter[0].get(), 1);
}

// --- THRD0007..0009: priorities and MCPs ------------------------------------------------------

void thrd0007_set_priority_switches(Test& t) {
  reset_board(2);
  Threads th(t);
  set_root_priority(t, 100);
  const seL4_CPtr h = th.start(0, set_flag, 50);
  t.expect_eq("a thread below the root task ran", board.counter[0].get(), 0);
  ok(t, "SetPriority above the caller", seL4_TCB_SetPriority(h, kRootTcb, 150));
  t.expect_eq("raised thread ran before SetPriority returned", board.counter[0].get(), 1);
  th.start(1, set_flag, 80);
  set_root_priority(t, 60);
  t.expect_eq("a ready thread ran when the caller dropped below it", board.counter[1].get(), 1);
}

// seL4: RangeError(0, MCP of the authority).
void thrd0008_priority_bounded_by_authority(Test& t) {
  reset_board(1);
  Threads th(t);
  const seL4_CPtr x = th.start(0, set_flag, 10, false);
  expect_range(t, "SetPriority 1, authority MCP 0", seL4_TCB_SetPriority(x, x, 1), 0);
  ok(t, "SetPriority 0, authority MCP 0", seL4_TCB_SetPriority(x, x, 0));
  ok(t, "SetMCPriority 50", seL4_TCB_SetMCPriority(x, kRootTcb, 50));
  expect_range(t, "SetPriority 51, authority MCP 50", seL4_TCB_SetPriority(x, x, 51), 50);
  ok(t, "SetPriority 50, authority MCP 50", seL4_TCB_SetPriority(x, x, 50));
  ok(t, "SetPriority above the target's own MCP", seL4_TCB_SetPriority(x, kRootTcb, 200));
  expect_range(t, "SetPriority 256", seL4_TCB_SetPriority(x, kRootTcb, 256), 255);
  expect_range(t, "SetPriority 2^32 + 5", seL4_TCB_SetPriority(x, kRootTcb, (seL4_Word{1} << 32) | 5), 255);
  expect_range(t, "SetMCPriority 51 by itself", seL4_TCB_SetMCPriority(x, x, 51), 50);
  expect_range(t, "SetSchedParams mcp 50 prio 51", seL4_TCB_SetSchedParams(x, x, 50, 51), 50);
  if (ok(t, "SetPriority with a CNode as authority", seL4_TCB_SetPriority(x, seL4_CapInitThreadCNode, 1),
         seL4_InvalidCapability)) {
    t.expect_eq("invalid cap number", seL4_GetMR(0), 1);
  }
}

// Runs at 100 with MCP 100 and lowers its own MCP; uses its own IPC buffer for the caps.
void lower_own_mcp(seL4_Word i) {
  const seL4_CPtr self = board.tcb[i];
  board.result[0].set(seL4_TCB_SetMCPriority(self, self, 40));
  board.result[1].set(seL4_TCB_SetMCPriority(self, self, 41));
  board.result[2].set(seL4_GetMR(1));
  board.result[3].set(seL4_TCB_SetPriority(self, self, 41));
  board.result[4].set(seL4_TCB_SetMCPriority(self, self, 40));
  board.counter[i].set(1);
  (void)seL4_TCB_SetPriority(self, self, 40);  // below the waiting root task: it runs at once
  board.counter[i].set(2);
}

void thrd0009_mcp_irreversible(Test& t) {
  reset_board(1);
  Threads th(t);
  const seL4_CPtr x = th.start(0, lower_own_mcp, 100, false);
  ok(t, "SetMCPriority 100", seL4_TCB_SetMCPriority(x, kRootTcb, 100));
  ok(t, "Resume", seL4_TCB_Resume(x));
  let_run_above(t, 99);
  t.expect_eq("lowering own MCP to 40", board.result[0].get(), seL4_NoError);
  t.expect_eq("raising it back to 41", board.result[1].get(), seL4_RangeError);
  t.expect_eq("range maximum (the thread's own IPC buffer)", board.result[2].get(), 40);
  t.expect_eq("SetPriority 41 by itself", board.result[3].get(), seL4_RangeError);
  t.expect_eq("SetMCPriority 40 again", board.result[4].get(), seL4_NoError);
  t.expect_eq("steps (it dropped below the root task inside SetPriority)", board.counter[0].get(), 1);
}

const TestCase kCases[] = {
    {"THRD0001 threads run strictly highest priority first; Yield alone comes straight back",
     thrd0001_strict_priorities},
    {"THRD0002 equal-priority spinners take turns on the kernel tick", thrd0002_round_robin},
    {"THRD0003 Yield hands over to an equal-priority thread, registers kept; alone it returns",
     thrd0003_yield},
    {"THRD0004 a suspended spinner stops; Resume starts it again", thrd0004_suspend_resume},
    {"THRD0005 Resume of the running caller or a ready thread changes nothing", thrd0005_resume_self},
    {"THRD0006 a thread that suspended itself re-executes its Suspend when resumed",
     thrd0006_self_suspend_restarts},
    {"THRD0007 SetPriority switches at once to a ready thread now above the caller",
     thrd0007_set_priority_switches},
    {"THRD0008 SetPriority and SetMCPriority are bounded by the authority's MCP",
     thrd0008_priority_bounded_by_authority},
    {"THRD0009 a thread that lowers its own MCP cannot raise it again", thrd0009_mcp_irreversible},
};

}  // namespace

Suite thread_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
