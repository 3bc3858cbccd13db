// The IPC tests' shared parts (see ipc_lab.h).
#include "ipc_lab.h"

#include <keel/thread.hpp>

namespace systest::ipc {
namespace {

constexpr size_t kStackBytes = 8192;
constexpr unsigned kUntypedBits = 16;  // kMaxThreads TCBs of 2 KiB and the case's small objects

constexpr unsigned kGuard = kMaxThreads;  // the guard's stack and IPC buffer come last
constexpr seL4_Word kGuardPrio = 1;
constexpr uint32_t kSvc0 = 0xd4000001;

alignas(16) unsigned char g_stacks[kMaxThreads + 1][kStackBytes];
// Four buffers share each page of the image; their frame caps come from bootinfo.
alignas(4096) seL4_IPCBuffer g_ipc_buffers[kMaxThreads + 1];

seL4_CPtr ram_untyped(const seL4_BootInfo* bi, unsigned bits) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= bits) return bi->untyped.start + i;
  }
  return 0;
}

void poison_buffer() {
  seL4_IPCBuffer* b = seL4_GetIPCBuffer();
  for (seL4_Word k = 4; k < seL4_MsgMaxLength; ++k) b->msg[k] = kBufPoison + k;
  for (seL4_Word k = 0; k < seL4_MsgMaxExtraCaps; ++k) b->caps_or_badges[k] = kBufPoison + 0x100 + k;
}

// The root task never blocks, so the guard, below everything, runs only if a kernel wrongly
// blocked or stopped the root task in a syscall: it moves the root task past that svc with x0 =
// kStuck and resumes it, so the case fails instead of the whole suite hanging.
void guard(seL4_Word) {
  for (;;) {
    seL4_UserContext c = {};
    if (seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 4, &c) != seL4_NoError) return;
    printf("  ipc: the root task is stuck in a syscall at pc 0x%lx; resuming it past the svc\n", c.pc);
    if (*reinterpret_cast<const uint32_t*>(c.pc) == kSvc0) c.pc += 4;
    c.x0 = kStuck;
    if (seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, 1, 0, 4, &c) != seL4_NoError) return;
  }
}

Regs receive(seL4_Word sys, seL4_CPtr src) {
  poison_buffer();
  return raw_syscall(sys, poisoned(src));
}

}  // namespace

Shared g;

Regs poisoned(seL4_Word cptr, seL4_Word x1) {
  return Regs{{cptr, x1, kPoison + 2, kPoison + 3, kPoison + 4, kPoison + 5}};
}

Regs message(seL4_Word cptr, seL4_Word label, seL4_Word length, seL4_Word round, seL4_Word extra_caps) {
  Regs r = poisoned(cptr, info(label, extra_caps, length));
  for (seL4_Word k = 0; k < length; ++k) {
    if (k < 4) {
      r.x[2 + k] = word(round, k);
    } else {
      seL4_SetMR(static_cast<int>(k), word(round, k));
    }
  }
  return r;
}

Regs sys_send(const Regs& r) { return raw_syscall(KEEL_SYSNO(seL4_SysSend), r); }
Regs sys_nbsend(const Regs& r) { return raw_syscall(KEEL_SYSNO(seL4_SysNBSend), r); }
Regs sys_call(const Regs& r) { return raw_syscall(KEEL_SYSNO(seL4_SysCall), r); }
Regs sys_reply(const Regs& r) { return raw_syscall(KEEL_SYSNO(seL4_SysReply), r); }
Regs sys_reply_recv(const Regs& r) { return raw_syscall(KEEL_SYSNO(seL4_SysReplyRecv), r); }
Regs sys_recv(seL4_CPtr src) { return receive(KEEL_SYSNO(seL4_SysRecv), src); }
Regs sys_nbrecv(seL4_CPtr src) { return receive(KEEL_SYSNO(seL4_SysNBRecv), src); }

void record(seL4_Word i, const Regs& r) {
  const seL4_Word n = g.n_rec[i]++;
  if (n >= kRounds) return;
  Record& rec = g.rec[i][n];
  const seL4_IPCBuffer* b = seL4_GetIPCBuffer();
  rec.r = r;
  for (seL4_Word k = 0; k < seL4_MsgMaxLength; ++k) rec.msg[k] = b->msg[k];
  for (seL4_Word k = 0; k < seL4_MsgMaxExtraCaps; ++k) rec.caps_or_badges[k] = b->caps_or_badges[k];
}

void note(seL4_Word v) {
  if (g.order_len < sizeof(g.order) / sizeof(g.order[0])) g.order[g.order_len] = v;
  ++g.order_len;
}

void set_receive_slot(seL4_CPtr slot) { seL4_SetCapReceivePath(kRoot, slot, kDepth); }

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

Rig::Rig(Test& t) : t_(t) {
  __builtin_memset(&g, 0, sizeof g);
  parent_ = ram_untyped(t.bi(), kUntypedBits);
  if (!t.expect(parent_ != 0, "no 64 KiB RAM untyped")) return;
  first_ = t.bi()->empty.start;
  scratch_ = first_;
  next_ = first_ + 1;
  if (!ok(t, "Retype scratch untyped",
          seL4_Untyped_Retype(parent_, seL4_UntypedObject, kUntypedBits, kRoot, 0, 0, scratch_, 1))) {
    return;
  }
  for (unsigned i = 0; i < kMaxThreads; ++i) {
    tcb_[i] = make(seL4_TCBObject);
    g.tcb[i] = tcb_[i];
  }
  guard_ = make(seL4_TCBObject);
  ready_ = !t.failed() && start_at(guard_, kGuard, guard, kGuardPrio, 0, true, "ipc-guard");
}

Rig::~Rig() {
  if (guard_started_) ok(t_, "Suspend of the guard", seL4_TCB_Suspend(guard_));
  for (unsigned i = 0; i < kMaxThreads; ++i) {
    if (started_[i]) ok(t_, "Suspend at the end", seL4_TCB_Suspend(tcb_[i]));
  }
  ok(t_, "SetPriority of the root task back to 255",
     seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio));
  // Received and saved caps are not all descendants of the scratch untyped: empty every slot.
  for (seL4_CPtr s = next_; s-- > first_ + 1;)
    ok(t_, "Delete at the end", seL4_CNode_Delete(kRoot, s, kDepth));
  if (parent_ != 0) ok(t_, "Revoke at the end", seL4_CNode_Revoke(kRoot, parent_, kDepth));
}

seL4_CPtr Rig::make(seL4_Word type, seL4_Word size_bits) {
  const seL4_CPtr slot = take();
  ok(t_, "Retype", seL4_Untyped_Retype(scratch_, type, size_bits, kRoot, 0, 0, slot, 1));
  return slot;
}

seL4_CPtr Rig::mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge) {
  const seL4_CPtr slot = take();
  ok(t_, "Mint", seL4_CNode_Mint(kRoot, slot, kDepth, kRoot, src, kDepth, rights, badge));
  return slot;
}

seL4_CPtr Rig::start(seL4_Word i, void (*fn)(seL4_Word), seL4_Word prio, seL4_CPtr fault_ep, bool resume,
                     const char* name) {
  started_[i] = true;
  start_at(tcb_[i], i, fn, prio, fault_ep, resume, name);
  return tcb_[i];
}

bool Rig::start_at(seL4_CPtr tcb, seL4_Word i, void (*fn)(seL4_Word), seL4_Word prio, seL4_CPtr fault_ep,
                   bool resume, const char* name) {
  if (i == kGuard) guard_started_ = true;
  const keel::ThreadStart r = keel::start_thread(keel::ThreadSpec{
      .tcb = keel::Tcb{tcb},
      .ipc_buffer = &g_ipc_buffers[i],
      .ipc_frame = keel::image_frame(t_.bi(), &g_ipc_buffers[i]),
      .stack = g_stacks[i],
      .stack_size = kStackBytes,
      .entry = fn,
      .arg = i,
      .priority = prio,
      .fault_ep = fault_ep,
      .name = name,
      .resume = resume,
  });
  return t_.expect(r.ok(), "start_thread %lu: %s returned %d", i, r.step, static_cast<int>(r.error));
}

void Rig::run_above(seL4_Word prio) {
  ok(t_, "SetPriority of the root task",
     seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio));
  ok(t_, "SetPriority of the root task back",
     seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio));
}

namespace {

bool expect_info(Test& t, const char* what, const Regs& r, const Want& w) {
  return t.expect(
      r.x[0] == w.badge && r.label() == w.label && r.length() == w.length && r.extra_caps() == w.extra_caps &&
          r.unwrapped() == w.unwrapped,
      "%s: badge 0x%lx, label 0x%lx, length %lu, extraCaps %lu, unwrapped %lu; expected 0x%lx, 0x%lx, "
      "%lu, %lu, %lu",
      what, r.x[0], r.label(), r.length(), r.extra_caps(), r.unwrapped(), w.badge, w.label, w.length,
      w.extra_caps, w.unwrapped);
}

}  // namespace

void expect_message(Test& t, const char* what, const Record& r, const Want& w) {
  if (!expect_info(t, what, r.r, w)) return;
  for (seL4_Word k = 0; k < 4; ++k) {
    if (k >= w.length && w.tail == Tail::kNone) break;
    const seL4_Word want = k < w.length ? word(w.round, k) : kPoison + 2 + k;
    if (!t.expect(r.r.x[2 + k] == want, "%s: x%lu = 0x%lx, expected 0x%lx", what, 2 + k, r.r.x[2 + k],
                  want)) {
      return;
    }
  }
  const seL4_Word end = w.tail == Tail::kAll ? w.length + 2 : w.length;
  for (seL4_Word k = 4; k < seL4_MsgMaxLength && k < end; ++k) {
    const seL4_Word want = k < w.length ? word(w.round, k) : kBufPoison + k;
    if (!t.expect(r.msg[k] == want, "%s: buffer word %lu = 0x%lx, expected 0x%lx", what, k, r.msg[k], want))
      return;
  }
}

void expect_badge_only(Test& t, const char* what, const Regs& r, seL4_Word badge, seL4_Word x1) {
  t.expect(r.x[0] == badge, "%s: x0 = 0x%lx, expected 0x%lx", what, r.x[0], badge);
  t.expect(r.x[1] == x1, "%s: x1 = 0x%lx, expected 0x%lx (untouched)", what, r.x[1], x1);
  for (seL4_Word k = 2; k < 6; ++k) {
    t.expect(r.x[k] == kPoison + k, "%s: x%lu = 0x%lx, expected untouched 0x%lx", what, k, r.x[k],
             kPoison + k);
  }
}

}  // namespace systest::ipc
