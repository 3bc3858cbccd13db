// THRD0010..THRD0015: a thread's state: the register invocations, its TLS block and TPIDR_EL0,
// its FP/SIMD registers kept apart across preemptions, and its flags (see thread_lab.h).
#include "thread_lab.h"

extern "C" seL4_Word systest_clobbered_fp_registers(seL4_Word sysno, seL4_Word x0_arg);
extern "C" seL4_Word systest_fp_churn(seL4_Word seed, int (*more)(void*), void* ctx, seL4_Word* out);
extern "C" void systest_fp_touch();

namespace systest {
namespace {

using lab::another_turn;
using lab::board;
using lab::expect_range;
using lab::ipc_buffer;
using lab::kRootTcb;
using lab::kTurns;
using lab::let_run_above;
using lab::ok;
using lab::reset_board;
using lab::set_root_priority;
using lab::Threads;

constexpr seL4_Word kContextWords = sizeof(seL4_UserContext) / sizeof(seL4_Word);
constexpr seL4_Word kFrameWords = 17;  // pc, sp, spsr, x0-x8, x16-x18, x29, x30; then 19 gp words

// --- THRD0010, THRD0011: the register invocations -------------------------------------------

// The entry of threads that are never resumed: only their registers matter.
void never_runs(seL4_Word) {}

seL4_UserContext pattern(seL4_Word tag) {
  seL4_UserContext c;
  seL4_Word* w = reinterpret_cast<seL4_Word*>(&c);
  for (seL4_Word i = 0; i < kContextWords; ++i) w[i] = (tag << 56) | (i << 8) | 0x5e;
  c.spsr = 0xA00003C5 | (seL4_Word{1} << 21);  // NZCV kept; EL1h, DAIF and SS must not be
  return c;
}

// seL4 sanitises only the SPSR on a write: NZCV kept, EL0t with only F masked (debug kernels).
seL4_UserContext sanitised(seL4_UserContext c) {
  c.spsr = (c.spsr & 0xF0000000) | 0x40;
  return c;
}

void expect_words(Test& t, const char* what, const seL4_UserContext& got, const seL4_UserContext& want,
                  seL4_Word from = 0, seL4_Word to = kContextWords) {
  const seL4_Word* g_w = reinterpret_cast<const seL4_Word*>(&got);
  const seL4_Word* w_w = reinterpret_cast<const seL4_Word*>(&want);
  for (seL4_Word i = from; i < to; ++i) {
    if (!t.expect(g_w[i] == w_w[i], "%s: word %lu = 0x%lx, expected 0x%lx", what, i, g_w[i], w_w[i])) return;
  }
}

seL4_UserContext read_all(Test& t, seL4_CPtr tcb) {
  seL4_UserContext c = {};
  ok(t, "ReadRegisters", seL4_TCB_ReadRegisters(tcb, 0, 0, kContextWords, &c));
  return c;
}

void register_invocation_errors(Test& t, seL4_CPtr x) {
  seL4_UserContext c = pattern(1);
  expect_range(t, "ReadRegisters count 0", seL4_TCB_ReadRegisters(x, 0, 0, 0, &c), 36, 1);
  expect_range(t, "ReadRegisters count 37", seL4_TCB_ReadRegisters(x, 0, 0, 37, &c), 36, 1);
  ok(t, "ReadRegisters of the caller", seL4_TCB_ReadRegisters(kRootTcb, 0, 0, 1, &c), seL4_IllegalOperation);
  ok(t, "ReadRegisters of the caller, count 0 (range first)", seL4_TCB_ReadRegisters(kRootTcb, 0, 0, 0, &c),
     seL4_RangeError);
  ok(t, "WriteRegisters of the caller", seL4_TCB_WriteRegisters(kRootTcb, 0, 0, kContextWords, &c),
     seL4_IllegalOperation);
}

void thrd0010_read_write_registers(Test& t) {
  reset_board(1);
  Threads th(t);
  const seL4_CPtr x = th.start(0, never_runs, 10, false);
  seL4_UserContext in = pattern(1);
  ok(t, "WriteRegisters", seL4_TCB_WriteRegisters(x, 0, 0, kContextWords, &in));
  expect_words(t, "read back", read_all(t, x), sanitised(in));
  seL4_UserContext two = pattern(2);
  ok(t, "WriteRegisters count 2", seL4_TCB_WriteRegisters(x, 0, 0, 2, &two));
  expect_words(t, "pc, sp after a 2-word write", read_all(t, x), two, 0, 2);
  expect_words(t, "the rest after a 2-word write", read_all(t, x), sanitised(in), 2, kContextWords);
  seL4_UserContext one = {};
  ok(t, "ReadRegisters count 1", seL4_TCB_ReadRegisters(x, 0, 0, 1, &one));
  t.expect_eq("pc from a 1-word read", one.pc, two.pc);
  register_invocation_errors(t, x);
}

void thrd0011_copy_registers(Test& t) {
  reset_board(2);
  Threads th(t);
  const seL4_CPtr src = th.start(0, never_runs, 10, false), dst = th.start(1, never_runs, 10, false);
  seL4_UserContext p = pattern(1), q = pattern(2);
  ok(t, "WriteRegisters src", seL4_TCB_WriteRegisters(src, 0, 0, kContextWords, &p));
  ok(t, "WriteRegisters dst", seL4_TCB_WriteRegisters(dst, 0, 0, kContextWords, &q));
  ok(t, "CopyRegisters frame", seL4_TCB_CopyRegisters(dst, src, 0, 0, 1, 0, 0));
  const seL4_UserContext frame_only = read_all(t, dst);
  expect_words(t, "frame copied", frame_only, sanitised(p), 0, kFrameWords);
  expect_words(t, "gp kept", frame_only, q, kFrameWords, kContextWords);
  ok(t, "WriteRegisters dst again", seL4_TCB_WriteRegisters(dst, 0, 0, kContextWords, &q));
  ok(t, "CopyRegisters integer", seL4_TCB_CopyRegisters(dst, src, 0, 0, 0, 1, 0));
  const seL4_UserContext gp_only = read_all(t, dst);
  expect_words(t, "frame kept", gp_only, sanitised(q), 0, kFrameWords);
  expect_words(t, "gp copied", gp_only, p, kFrameWords, kContextWords);
  ok(t, "CopyRegisters both", seL4_TCB_CopyRegisters(dst, src, 0, 0, 1, 1, 0));
  expect_words(t, "all copied", read_all(t, dst), sanitised(p));
  if (ok(t, "CopyRegisters from a CNode", seL4_TCB_CopyRegisters(dst, seL4_CapInitThreadCNode, 0, 0, 1, 1, 0),
         seL4_InvalidCapability)) {
    t.expect_eq("invalid cap number", seL4_GetMR(0), 1);
  }
}

// --- THRD0012: TLS --------------------------------------------------------------------------

constexpr seL4_Word kTlsInitial = 0x7eed;
thread_local seL4_Word t_probe = kTlsInitial;  // in .tdata: each block starts from this value

uintptr_t read_tpidr() {
  uintptr_t v;
  asm volatile("mrs %0, tpidr_el0" : "=r"(v));
  return v;
}

void tls_worker(seL4_Word i) {
  board.result[i].set(t_probe);
  t_probe = 0x100 + i;
  while (another_turn(i)) {
    if (read_tpidr() != board.tls[i] || t_probe != 0x100 + i || seL4_GetIPCBuffer() != ipc_buffer(i)) {
      board.bad[i].bump();
    }
  }
  board.done.bump();
}

void thrd0012_tls_kept_apart(Test& t) {
  reset_board(3);
  const uintptr_t root_tp = read_tpidr();
  t_probe = 0x99;
  {
    Threads th(t);
    for (unsigned i = 0; i < 3; ++i) th.start(i, tls_worker, 100);
    let_run_above(t, 99);
  }
  t.expect_eq("workers finished", board.done.get(), 3);
  for (unsigned i = 0; i < 3; ++i) {
    t.expect_eq("a fresh block's initial value", board.result[i].get(), kTlsInitial);
    t.expect(board.bad[i].get() == 0, "thread %u saw another TPIDR_EL0, TLS value or IPC buffer %lu times", i,
             board.bad[i].get());
    t.expect(board.seen[i].get() >= kTurns, "thread %u ran only %lu times", i, board.seen[i].get());
  }
  t.expect(read_tpidr() == root_tp && t_probe == 0x99, "the root task's TLS changed");
  t.expect(seL4_GetIPCBuffer() == t.bi()->ipcBuffer, "the root task's IPC buffer pointer changed");
  t_probe = kTlsInitial;
}

// --- THRD0013: FP/SIMD state ----------------------------------------------------------------

constexpr unsigned kFpThreads = 3;
seL4_Word g_fp_out[kFpThreads][67];

extern "C" int systest_fp_more(void* ctx) { return another_turn(reinterpret_cast<seL4_Word>(ctx)) ? 1 : 0; }

void fp_worker(seL4_Word i) {
  systest_fp_churn(i, systest_fp_more, reinterpret_cast<void*>(i), g_fp_out[i]);
  board.done.bump();
}

// The results systest_fp_churn promises for seed i (see thread_fp.S).
void check_fp_results(Test& t, seL4_Word i) {
  const seL4_Word* out = g_fp_out[i];
  const seL4_Word rounds = out[66];
  for (seL4_Word n = 0; n < 31; ++n) {
    const seL4_Word lo = i * 64 + n + rounds, hi = lo + 32;
    if (!t.expect(out[2 * n] == lo && out[2 * n + 1] == hi,
                  "thread %lu: v%lu = {%lu, %lu}, expected {%lu, %lu}", i, n, out[2 * n], out[2 * n + 1], lo,
                  hi)) {
      return;
    }
  }
  t.expect(out[62] == 1 && out[63] == 1, "thread %lu: v31 = {%lu, %lu}, expected {1, 1}", i, out[62],
           out[63]);
  t.expect_eq("FPCR", out[64], (i & 3) << 22);
  t.expect_eq("FPSR", out[65], ((i + 1) & 0x1f) | 0x80);
}

void thrd0013_fpu_kept_apart(Test& t) {
  reset_board(kFpThreads);
  {
    Threads th(t);
    set_root_priority(t, 100);
    for (unsigned i = 0; i < kFpThreads; ++i) th.start(i, fp_worker, 100);
    // The root task's own FP/SIMD state must come back after they ran.
    const seL4_Word clobbered = systest_clobbered_fp_registers(KEEL_SYSNO(seL4_SysYield), 0);
    t.expect(clobbered == 0, "the root task's FP/SIMD state changed across a Yield: mask 0x%lx", clobbered);
    let_run_above(t, 99);
  }
  t.expect_eq("workers finished", board.done.get(), kFpThreads);
  for (unsigned i = 0; i < kFpThreads; ++i) {
    t.expect(board.seen[i].get() >= kTurns, "thread %u ran only %lu times", i, board.seen[i].get());
    check_fp_results(t, i);
  }
}

// --- THRD0014: SetFlags ---------------------------------------------------------------------

void expect_flags(Test& t, seL4_CPtr x, seL4_Word clear, seL4_Word set, seL4_Word want) {
  const seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(x, clear, set);
  t.expect(r.error == seL4_NoError && r.flags == want,
           "SetFlags(clear %lu, set %lu) = error %d, flags %lu; expected %lu", clear, set, r.error, r.flags,
           want);
}

void thrd0014_set_flags(Test& t) {
  reset_board(1);
  Threads th(t);
  const seL4_CPtr x = th.start(0, never_runs, 100, false);
  expect_flags(t, x, 0, 0, 0);
  expect_flags(t, x, 0, 1, 1);
  expect_flags(t, x, 1, 0, 0);
  expect_flags(t, x, 1, 1, 1);     // set wins over clear
  expect_flags(t, x, 0, 0xfe, 1);  // bits outside seL4_TCBFlag_MASK are ignored
  expect_flags(t, kRootTcb, 0, 0, 0);
}

// --- THRD0015: fpuDisabled ----------------------------------------------------------------

void touch_fpu(seL4_Word i) {
  board.counter[i].set(1);
  systest_fp_touch();
  board.counter[i].set(2);
}

// With no fault handler, the FP instruction's fault stops the thread at that instruction; once the
// flag is cleared, Resume runs the instruction again.
void thrd0015_fpu_disabled_faults(Test& t) {
  reset_board(1);
  Threads th(t);
  const seL4_CPtr x = th.start(0, touch_fpu, 100, false, "THRD0015-fpu-disabled");
  expect_flags(t, x, 0, seL4_TCBFlag_fpuDisabled, seL4_TCBFlag_fpuDisabled);
  printf("  THRD0015: a user exception fault of THRD0015-fpu-disabled is expected next\n");
  ok(t, "Resume", seL4_TCB_Resume(x));
  let_run_above(t, 99);
  t.expect_eq("steps with the FPU disabled (the FP instruction must fault)", board.counter[0].get(), 1);
  expect_flags(t, x, seL4_TCBFlag_fpuDisabled, 0, 0);
  ok(t, "Resume after the fault", seL4_TCB_Resume(x));
  let_run_above(t, 99);
  t.expect_eq("steps once enabled (the FP instruction runs again)", board.counter[0].get(), 2);
}

const TestCase kCases[] = {
    {"THRD0010 WriteRegisters and ReadRegisters round trip; count and self checks",
     thrd0010_read_write_registers},
    {"THRD0011 CopyRegisters copies the frame and integer parts separately", thrd0011_copy_registers},
    {"THRD0012 each thread keeps its TPIDR_EL0, TLS block and IPC buffer across preemptions",
     thrd0012_tls_kept_apart},
    {"THRD0013 each thread keeps its FP/SIMD registers, FPCR and FPSR across preemptions",
     thrd0013_fpu_kept_apart},
    {"THRD0014 SetFlags returns the new flags", thrd0014_set_flags},
    {"THRD0015 with fpuDisabled an FP instruction faults; cleared, it runs again",
     thrd0015_fpu_disabled_faults},
};

}  // namespace

Suite thread_state_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
