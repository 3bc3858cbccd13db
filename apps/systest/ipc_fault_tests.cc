// IPC0021..IPC0028: faults delivered as messages to a fault endpoint and answered by fault
// replies (VM fault, unknown syscall, user exception, cap fault), a fault with no handler, and
// Suspend/Resume of threads blocked in Recv, Send and on reply (docs/sel4-facts/ipc.md §2.6, §5).
#include "ipc_lab.h"

// The faulting code, with a symbol on each faulting instruction so the fault's pc can be checked.
extern "C" {
seL4_Word systest_ipc_load(seL4_Word addr);
seL4_Word systest_ipc_unknown_syscall(seL4_Word x0);
seL4_Word systest_ipc_undefined();
void systest_ipc_send(seL4_Word cptr);
extern const char systest_ipc_load_insn[], systest_ipc_unknown_svc[], systest_ipc_undefined_insn[],
    systest_ipc_send_svc[];
}

__asm__(R"(
  .text
  .balign 4
  .global systest_ipc_load, systest_ipc_load_insn
  .type systest_ipc_load, %function
systest_ipc_load:
systest_ipc_load_insn:
  ldr x0, [x0]
  ret
  .size systest_ipc_load, . - systest_ipc_load

  .global systest_ipc_unknown_syscall, systest_ipc_unknown_svc
  .type systest_ipc_unknown_syscall, %function
systest_ipc_unknown_syscall:
  mov x1, #1
  mov x2, #2
  mov x3, #3
  mov x4, #4
  mov x5, #5
  mov x6, #6
  mov x7, #0xc1
systest_ipc_unknown_svc:
  svc #0
  ret
  .size systest_ipc_unknown_syscall, . - systest_ipc_unknown_syscall

  .global systest_ipc_undefined, systest_ipc_undefined_insn
  .type systest_ipc_undefined, %function
systest_ipc_undefined:
  mov x0, #1
systest_ipc_undefined_insn:
  udf #0
  mov x0, #2
  ret
  .size systest_ipc_undefined, . - systest_ipc_undefined

  .global systest_ipc_send, systest_ipc_send_svc
  .type systest_ipc_send, %function
systest_ipc_send:
  mov x1, #0
  mov x7, #-3
systest_ipc_send_svc:
  svc #0
  ret
  .size systest_ipc_send, . - systest_ipc_send
)");

namespace systest {
namespace {

using ipc::g;
using ipc::info;
using ipc::message;
using ipc::ok;
using ipc::record;
using ipc::Regs;
using ipc::Rig;
using ipc::Want;

constexpr seL4_Word kFaultBadge = 0xabababa;
constexpr seL4_Word kBadAddress = 0x7edcba987650;   // sel4test's PAGEFAULT address: nothing mapped there
constexpr seL4_Word kBadCptr = seL4_Word{1} << 63;  // the root CNode's guard (all zero) does not match
constexpr seL4_Word kFaulter = 0, kHandler = 1;

enum Kind : seL4_Word { kVm, kUnknown, kUser, kCap };

seL4_Word addr(const char* p) { return reinterpret_cast<seL4_Word>(p); }

seL4_UserContext read_regs(seL4_CPtr tcb, seL4_Word count) {
  seL4_UserContext c = {};
  (void)seL4_TCB_ReadRegisters(tcb, 0, 0, count, &c);
  return c;
}

// The answer to fault message r of kind param[0]: the faulter must resume past its fault.
void answer(const Regs& r) {
  const seL4_CPtr faulter = g.tcb[kFaulter];
  seL4_UserContext c = read_regs(faulter, 4);
  g.param[4] = c.pc;
  g.param[5] = c.sp;
  g.param[6] = c.spsr;
  switch (g.param[0]) {
    case kVm:  // move the pc past the load and give x0 a value
      c.pc = r.x[2] + 4;
      c.x0 = 0x600d;
      g.param[7] = seL4_TCB_WriteRegisters(faulter, 0, 0, 4, &c);
      ipc::sys_reply(Regs{{0, info(0, 0, 0)}});
      break;
    case kUnknown:  // MR8 (FaultIP) past the svc, MR0 (x0) new; MR4..MR11 stay in the buffer
      seL4_SetMR(8, seL4_GetMR(8) + 4);
      ipc::sys_reply(Regs{{0, info(0, 0, 12), 0x5ca1ab1e, r.x[3], r.x[4], r.x[5]}});
      break;
    case kUser:  // FaultIP past the undefined instruction, SP and SPSR as they were
      ipc::sys_reply(Regs{{0, info(0, 0, 3), r.x[2] + 4, r.x[3], r.x[4]}});
      break;
    default:  // a cap fault: x0 := a notification, so the restarted Send signals it
      c.x0 = g.cap[3];
      g.param[7] = seL4_TCB_WriteRegisters(faulter, 0, 0, 4, &c);
      ipc::sys_reply(Regs{{0, info(0, 0, 0)}});
      break;
  }
}

// Answers one fault; a second fault message (the faulter did not get past its fault) is only
// recorded, so a wrong resume cannot loop.
void fault_handler(seL4_Word i) {
  const Regs r = ipc::sys_recv(g.cap[2]);
  record(i, r);
  answer(r);
  record(i, ipc::sys_recv(g.cap[2]));
}

void faulter(seL4_Word i) {
  g.steps[i] = 1;
  switch (g.param[0]) {
    case kVm: g.param[1] = systest_ipc_load(kBadAddress); break;
    case kUnknown: g.param[1] = systest_ipc_unknown_syscall(0xa0a0); break;
    case kUser: g.param[1] = systest_ipc_undefined(); break;
    default:
      g.param[2] = ipc::sys_call(message(g.cap[4], 0x33, 0, 0)).x[1];  // an empty slot: error, no fault
      systest_ipc_send(kBadCptr);
      break;
  }
  g.steps[i] = 2;
}

// Runs the faulter (prio 80) of `kind` against a handler (prio 100) on a fault endpoint with
// kFaultBadge; returns whether exactly one fault message came and the faulter finished.
bool run_fault(Rig& rig, Kind kind) {
  Test& t = rig.t();
  const seL4_CPtr fault_ep = rig.make(seL4_EndpointObject);
  const seL4_CPtr handler_cap = rig.mint(fault_ep, seL4_CapRights_new(1, 0, 0, 1), kFaultBadge);
  g.cap[2] = fault_ep;
  g.param[0] = kind;
  rig.start(kHandler, fault_handler, 100);
  rig.run_above();
  rig.start(kFaulter, faulter, 80, handler_cap);
  rig.run_above();
  t.expect_eq("WriteRegisters in the handler", g.param[7], seL4_NoError);
  t.expect_eq("faulter finished after the fault reply", g.steps[kFaulter], 2);
  if (!t.expect_eq("fault messages", g.n_rec[kHandler], 1)) return false;
  const Regs& r = g.rec[kHandler][0].r;
  return t.expect(r.x[0] == kFaultBadge, "fault message badge 0x%lx, expected 0x%lx", r.x[0], kFaultBadge);
}

void expect_label(Test& t, const Regs& r, seL4_Word label, seL4_Word length) {
  t.expect(r.label() == label && r.length() == length && r.extra_caps() == 0 && r.unwrapped() == 0,
           "fault message label %lu, length %lu, caps %lu/%lu; expected label %lu, length %lu", r.label(),
           r.length(), r.extra_caps(), r.unwrapped(), label, length);
}

void ipc0021_vm_fault(Test& t) {
  Rig rig(t);
  if (!rig.ready() || !run_fault(rig, kVm)) return;
  const Regs& r = g.rec[kHandler][0].r;
  expect_label(t, r, seL4_Fault_VMFault, 4);
  t.expect_eq("MR0 (pc)", r.x[2], addr(systest_ipc_load_insn));
  t.expect_eq("MR1 (address)", r.x[3], kBadAddress);
  t.expect_eq("MR2 (instruction fault)", r.x[4], 0);
  t.expect_eq("MR3 (FSR: read, translation fault, level 0)", r.x[5], 0x92000004);
  t.expect_eq("faulter's pc while blocked", g.param[4], addr(systest_ipc_load_insn));
  t.expect_eq("x0 after the load (written by the handler)", g.param[1], 0x600d);
}

void ipc0022_unknown_syscall(Test& t) {
  Rig rig(t);
  if (!rig.ready() || !run_fault(rig, kUnknown)) return;
  const ipc::Record& m = g.rec[kHandler][0];
  expect_label(t, m.r, seL4_Fault_UnknownSyscall, 13);
  const seL4_Word svc = addr(systest_ipc_unknown_svc);
  const seL4_Word want[13] = {0xa0a0, 1, 2, 3, 4, 5, 6, 0xc1, svc, g.param[5], svc + 4, g.param[6], 0xc1};
  for (unsigned k = 0; k < 13; ++k) {
    const seL4_Word got = k < 4 ? m.r.x[2 + k] : m.msg[k];
    if (!t.expect(got == want[k], "MR%u = 0x%lx, expected 0x%lx", k, got, want[k])) break;
  }
  t.expect_eq("x0 after the svc (from the reply's MR0)", g.param[1], 0x5ca1ab1e);
}

void ipc0023_user_exception(Test& t) {
  Rig rig(t);
  if (!rig.ready() || !run_fault(rig, kUser)) return;
  const ipc::Record& m = g.rec[kHandler][0];
  expect_label(t, m.r, seL4_Fault_UserException, 5);
  t.expect_eq("MR0 (pc)", m.r.x[2], addr(systest_ipc_undefined_insn));
  t.expect_eq("MR1 (sp)", m.r.x[3], g.param[5]);
  t.expect_eq("MR2 (spsr)", m.r.x[4], g.param[6]);
  t.expect_eq("MR3 (ESR: unknown reason, IL)", m.r.x[5], 0x02000000);
  t.expect_eq("MR4 (code)", m.msg[4], 0);
  t.expect_eq("x0 after the undefined instruction", g.param[1], 2);
}

void ipc0024_cap_fault(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ntfn = rig.make(seL4_NotificationObject);
  g.cap[3] = rig.mint(ntfn, seL4_AllRights, 0x24);
  g.cap[4] = rig.take();  // empty
  if (!run_fault(rig, kCap)) return;
  t.expect_eq("Call on an empty slot: reply info", g.param[2], info(seL4_InvalidCapability, 0, 1));
  const ipc::Record& m = g.rec[kHandler][0];
  expect_label(t, m.r, seL4_Fault_CapFault, 7);
  t.expect_eq("MR0 (pc)", m.r.x[2], addr(systest_ipc_send_svc));
  t.expect_eq("MR1 (cptr)", m.r.x[3], kBadCptr);
  t.expect_eq("MR2 (inRecvPhase)", m.r.x[4], 0);
  t.expect_eq("MR3 (lookup failure type)", m.r.x[5], seL4_GuardMismatch);
  t.expect_eq("MR4 (bitsLeft)", m.msg[4], 64);
  t.expect_eq("MR5 (guard found)", m.msg[5], 0);
  t.expect_eq("MR6 (guard size)", m.msg[6], 64 - SYSTEST_ROOT_CNODE_SIZE_BITS);
  seL4_Word word = 0;
  (void)seL4_Poll(ntfn, &word);
  t.expect_eq("signal from the restarted Send", word, 0x24);
}

void ipc0025_no_handler(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  g.param[0] = kCap;
  g.cap[4] = rig.take();
  printf("  IPC0025: a cap fault of IPC0025-no-handler with no fault handler is expected next\n");
  const seL4_CPtr x = rig.start(kFaulter, faulter, 80, 0, true, "IPC0025-no-handler");
  rig.run_above();
  t.expect_eq("faulter steps (it must stop at the fault)", g.steps[kFaulter], 1);
  t.expect_eq("its pc (the faulting svc)", read_regs(x, 1).pc, addr(systest_ipc_send_svc));
}

// --- IPC0026..IPC0028: Suspend and Resume of blocked threads ----------------------------------

// Bounded, so a Recv that wrongly returns at once cannot spin for ever.
void receive_loop(seL4_Word i) {
  for (unsigned k = 0; k < ipc::kRounds; ++k) record(i, ipc::sys_recv(g.cap[1]));
}

void ipc0026_suspend_in_recv(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  const seL4_CPtr badged = rig.mint(ep, seL4_AllRights, 0x26);
  g.cap[1] = ep;
  const seL4_CPtr x = rig.start(0, receive_loop, 100);
  rig.run_above();
  ok(t, "Suspend", seL4_TCB_Suspend(x));
  ipc::sys_nbsend(message(badged, 0x61, 1, 1));  // nobody waits now: lost
  ok(t, "Resume", seL4_TCB_Resume(x));
  rig.run_above();
  t.expect_eq("receives after Suspend, NBSend, Resume", g.n_rec[0], 0);
  ipc::sys_nbsend(message(badged, 0x62, 1, 2));
  rig.run_above();
  if (t.expect_eq("receives after a second NBSend", g.n_rec[0], 1)) {
    ipc::expect_message(t, "the message after Resume", g.rec[0][0], Want{0x26, 0x62, 1, 2});
  }
}

void send_and_count(seL4_Word i) {
  ipc::sys_send(message(g.cap[0], 0x63, 2, 3));
  g.steps[i] = g.steps[i] + 1;
}

void ipc0027_suspend_in_send(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, 0x27);
  const seL4_CPtr x = rig.start(0, send_and_count, 100);
  rig.run_above();
  ok(t, "Suspend", seL4_TCB_Suspend(x));
  ipc::expect_badge_only(t, "NBRecv with the sender suspended", ipc::sys_nbrecv(ep), 0);
  ok(t, "Resume", seL4_TCB_Resume(x));
  rig.run_above();
  t.expect_eq("sends completed after Resume (the Send runs again and blocks)", g.steps[0], 0);
  const Regs r = ipc::sys_nbrecv(ep);
  ipc::Record rec = {};
  rec.r = r;
  for (unsigned k = 0; k < seL4_MsgMaxLength; ++k) rec.msg[k] = seL4_GetMR(static_cast<int>(k));
  ipc::expect_message(t, "NBRecv after Resume", rec, Want{0x27, 0x63, 2, 3});
  rig.run_above();
  t.expect_eq("sends completed", g.steps[0], 1);
}

void call_and_count(seL4_Word i) {
  record(i, ipc::sys_call(message(g.cap[0], 0x64, 1, 4)));
  g.steps[i] = g.steps[i] + 1;
}

// Saves each caller into cap[3]; answers the second.
void save_and_answer_second(seL4_Word i) {
  record(i, ipc::sys_recv(g.cap[1]));
  g.param[0] = seL4_CNode_SaveCaller(ipc::kRoot, g.cap[3], ipc::kDepth);
  record(i, ipc::sys_recv(g.cap[1]));
  ipc::sys_reply(message(0, 0x65, 1, 5));
}

void ipc0028_suspend_on_reply(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr ep = rig.make(seL4_EndpointObject);
  g.cap[0] = rig.mint(ep, seL4_AllRights, 0x28);
  g.cap[1] = ep;
  g.cap[3] = rig.take();
  rig.start(1, save_and_answer_second, 100);
  rig.run_above();
  const seL4_CPtr x = rig.start(0, call_and_count, 80);
  rig.run_above();
  t.expect_eq("SaveCaller", g.param[0], seL4_NoError);
  t.expect_eq("saved reply cap", seL4_DebugCapIdentify(g.cap[3]), seL4_CapTag_Reply);
  ok(t, "Suspend", seL4_TCB_Suspend(x));
  t.expect_eq("saved reply cap after Suspend of the caller", seL4_DebugCapIdentify(g.cap[3]),
              seL4_CapTag_Null);
  ok(t, "Resume", seL4_TCB_Resume(x));
  rig.run_above();
  if (!t.expect_eq("calls received (the Call runs again)", g.n_rec[1], 2)) return;
  ipc::expect_message(t, "the Call again", g.rec[1][1], Want{0x28, 0x64, 1, 4});
  t.expect_eq("caller's Calls completed", g.steps[0], 1);
  if (t.expect_eq("replies", g.n_rec[0], 1)) {
    ipc::expect_message(t, "the reply", g.rec[0][0], Want{0, 0x65, 1, 5});
  }
}

const TestCase kCases[] = {
    {"IPC0021 VM fault: label 5, length 4, pc, address, FSR; pc moved by the handler, reply resumes",
     ipc0021_vm_fault},
    {"IPC0022 UnknownSyscall: label 2, length 13, x0..x7, svc address, 0xc1; reply moves pc, sets x0",
     ipc0022_unknown_syscall},
    {"IPC0023 UserException: label 3, length 5, ESR 0x02000000; reply with a new pc resumes",
     ipc0023_user_exception},
    {"IPC0024 Call on an empty slot is an error reply; Send on a bad CPtr is a cap fault (guard mismatch)",
     ipc0024_cap_fault},
    {"IPC0025 a fault with no fault handler stops the thread at the faulting instruction",
     ipc0025_no_handler},
    {"IPC0026 Suspend of a thread in Recv takes it off the endpoint; Resume runs the Recv again",
     ipc0026_suspend_in_recv},
    {"IPC0027 Suspend of a thread in Send takes it off the endpoint; Resume runs the Send again",
     ipc0027_suspend_in_send},
    {"IPC0028 Suspend of a caller blocked on reply deletes the saved reply cap; Resume runs the Call again",
     ipc0028_suspend_on_reply},
};

}  // namespace

Suite ipc_fault_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
