// REL0001: on a release kernel (seL4 without KernelDebugBuild) every debug syscall number is an
// unknown syscall: the thread gets an UnknownSyscall fault carrying the number, its handler's
// reply resumes it, and the machine keeps running. On a debug kernel the same case checks the
// numbers just past the debug ones, which are unknown on both.
#include "ipc_lab.h"

namespace systest {
namespace {

using ipc::g;
using ipc::Regs;
using ipc::Rig;

constexpr seL4_Word kFaultBadge = 0xdeb0;
constexpr seL4_Word kResumed = 0x5ca1ab1e;  // x0 the handler's reply gives the faulter
constexpr seL4_Word kFaulter = 0, kHandler = 1;

// seL4_Sys* of the debug calls, then two numbers no kernel configuration knows.
constexpr long kDebugNumbers[] = {seL4_SysDebugPutChar,  seL4_SysDebugDumpScheduler,
                                  seL4_SysDebugHalt,     seL4_SysDebugCapIdentify,
                                  seL4_SysDebugSnapshot, seL4_SysDebugNameThread};
constexpr long kUnknownNumbers[] = {seL4_SysDebugNameThread - 1, -100};
constexpr unsigned kMaxNumbers = 8;
static_assert(kMaxNumbers <= ipc::kRounds);

// The numbers this kernel must fault on, in the order the faulter issues them (kept in g.param).
unsigned numbers(long* out) {
  unsigned n = 0;
  if (keel_debug_kernel() == 0) {
    for (const long s : kDebugNumbers) out[n++] = s;
  }
  for (const long s : kUnknownNumbers) out[n++] = s;
  return n;
}

long g_numbers[kMaxNumbers];
unsigned g_count;
seL4_Word g_x0_after[kMaxNumbers];

// Each syscall with x0 = a marker (and x1 = 0, so that a kernel that did run DebugNameThread or
// DebugPutChar would find no name and print a NUL): a fault must come back with x0 = kResumed.
void faulter(seL4_Word i) {
  for (unsigned k = 0; k < g_count; ++k) {
    g_x0_after[k] = ipc::raw_syscall(static_cast<seL4_Word>(g_numbers[k]), Regs{{0xd0 + k, 0}}).x[0];
    g.steps[i] = k + 1;
  }
}

// Answers each fault as IPC0022 does: FaultIP past the svc, x0 := kResumed.
void handler(seL4_Word i) {
  for (unsigned k = 0; k < g_count; ++k) {
    const Regs r = ipc::sys_recv(g.cap[2]);
    ipc::record(i, r);
    seL4_SetMR(8, seL4_GetMR(8) + 4);
    ipc::sys_reply(Regs{{0, ipc::info(0, 0, 12), kResumed, r.x[3], r.x[4], r.x[5]}});
  }
}

void rel0001_debug_numbers_fault(Test& t) {
  g_count = numbers(g_numbers);
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  const seL4_CPtr handler_cap = rig.mint(ep, seL4_CapRights_new(1, 0, 0, 1), kFaultBadge);
  g.cap[2] = ep;
  rig.start(kHandler, handler, 100);
  rig.run_above();
  rig.start(kFaulter, faulter, 80, handler_cap);
  rig.run_above();
  t.expect_eq("syscalls the faulter got past", g.steps[kFaulter], g_count);
  t.expect_eq("fault messages", g.n_rec[kHandler], g_count);
  for (unsigned k = 0; k < g_count && k < g.n_rec[kHandler]; ++k) {
    const ipc::Record& m = g.rec[kHandler][k];
    const auto number = static_cast<seL4_Word>(g_numbers[k]);
    if (!t.expect(m.r.x[0] == kFaultBadge && m.r.label() == seL4_Fault_UnknownSyscall && m.r.length() == 13,
                  "syscall %ld: badge 0x%lx label %lu length %lu, expected an UnknownSyscall fault",
                  g_numbers[k], m.r.x[0], m.r.label(), m.r.length()) ||
        !t.expect(m.msg[12] == number && m.msg[7] == number,
                  "syscall %ld: fault MR12 (syscall) 0x%lx, MR7 (x7) 0x%lx", g_numbers[k], m.msg[12],
                  m.msg[7]) ||
        !t.expect(m.r.x[2] == 0xd0 + k, "syscall %ld: MR0 (x0) 0x%lx", g_numbers[k], m.r.x[2]) ||
        !t.expect(g_x0_after[k] == kResumed, "syscall %ld: x0 after the reply 0x%lx", g_numbers[k],
                  g_x0_after[k])) {
      return;
    }
  }
}

const TestCase kCases[] = {
    {"REL0001 release kernel: each debug syscall number (debug kernel: the unknown ones past them) is "
     "an UnknownSyscall fault with the number in MR12; the reply resumes the thread",
     rel0001_debug_numbers_fault},
};

}  // namespace

Suite debug_syscall_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
