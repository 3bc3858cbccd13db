// PROC00xx: threads in address spaces of their own, started with keel::start_process, talking to
// the root task over badged endpoints: calls and replies, VM faults delivered to the root task and
// answered with a mapping, two processes calling each other directly, and tearing a process down
// while it is blocked (its VSpace or its ASID pool deleted first).
#include <keel/process.hpp>

#include "framework.h"

extern "C" char __image_start[];       // NOLINT(readability-identifier-naming): linker symbol
extern "C" char __keel_tdata_start[];  // NOLINT(readability-identifier-naming): linker symbol

namespace systest {
namespace {

using keel::Arena;
using keel::Process;
using keel::ProcessCap;
using keel::ProcessSpec;

constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr unsigned kUntypedBits = 17;   // 128 KiB: two processes and what the cases map into them
constexpr seL4_Word kArenaSlots = 128;  // the image's pages (34 now) and about 20 more
constexpr unsigned kMaxProcesses = 2;
constexpr seL4_Word kChildPrio = 100;

// Each process's CSpace (keel::kProcessTcbSlot is 1).
constexpr seL4_CPtr kServerSlot = 2;    // the root task's endpoint, badged per process
constexpr seL4_CPtr kFaultSlot = 3;     // the same endpoint with a fault badge
constexpr seL4_CPtr kPeerSlot = 4;      // PROC0003: the endpoint the two processes share
constexpr seL4_CPtr kCNodeSlot = 5;     // PROC0006: the process's own CNode, its receive path
constexpr seL4_CPtr kReceivedSlot = 6;  // PROC0006: where the granted cap lands

constexpr seL4_Word kBadge[kMaxProcesses] = {0xa1, 0xb2};
constexpr seL4_Word kFaultBadge[kMaxProcesses] = {0xfa1, 0xfb2};
constexpr seL4_Word kPeerBadge = 0x9e;

// Message labels of the cases' little protocol.
constexpr seL4_Word kHello = 0x41, kAnswer = 0x42, kResult = 0x43, kPing = 0x44, kPong = 0x45;
constexpr seL4_Word kLongLength = 6;  // beyond the 4 registers: words 4 and 5 travel in IPC buffers

// Send with Grant-Reply: a Call gets a reply cap, and seL4 accepts it as a fault handler cap.
const seL4_CapRights_t kCallRights = seL4_CapRights_new(1, 0, 0, 1);

// VM fault status (ESR_EL1, low 32 bits): exception class, write-not-read, fault status code.
constexpr seL4_Word esr_class(seL4_Word fsr) { return fsr >> 26; }
constexpr seL4_Word kDataAbortLowerEl = 0x24;
constexpr seL4_Word kWnR = 1u << 6;
constexpr bool is_translation_fault(seL4_Word fsr) { return (fsr & 0x3c) == 0x04; }
// seL4 runs a thread without a VSpace on an empty root table: an instruction abort (EC 0x20, IL)
// with a translation fault at level 0.
constexpr seL4_Word kNoVSpaceFetchFsr = 0x82000004;

struct Message {
  seL4_Word badge = 0;
  seL4_Word label = 0, length = 0;
  seL4_Word mr[kLongLength] = {};
};

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want = seL4_NoError) {
  return t.expect(got == want, "%s returned %s, expected %s", what, keel::error_name(got),
                  keel::error_name(want));
}

seL4_CPtr ram_untyped(const seL4_BootInfo* bi, unsigned bits) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= bits) return bi->untyped.start + i;
  }
  return 0;
}

// --- the root task's side ---------------------------------------------------------------------

Message receive(seL4_CPtr ep) {
  Message m;
  const seL4_MessageInfo_t info = seL4_Recv(ep, &m.badge);
  m.label = seL4_MessageInfo_get_label(info);
  m.length = seL4_MessageInfo_get_length(info);
  for (seL4_Word i = 0; i < kLongLength; ++i) m.mr[i] = seL4_GetMR(static_cast<int>(i));
  return m;
}

// A message from `badge` with `label` and `length` words; an unexpected fault says where it was.
bool expect_message(Test& t, const Message& m, seL4_Word badge, seL4_Word label, seL4_Word length) {
  if (m.label == seL4_Fault_VMFault && label != seL4_Fault_VMFault) {
    return t.expect(false, "badge 0x%lx sent a VM fault: pc 0x%lx, address 0x%lx, FSR 0x%lx", m.badge,
                    m.mr[0], m.mr[1], m.mr[3]);
  }
  return t.expect(m.badge == badge && m.label == label && m.length == length,
                  "message: badge 0x%lx, label 0x%lx, length %lu; expected 0x%lx, 0x%lx, %lu", m.badge,
                  m.label, m.length, badge, label, length);
}

void reply(seL4_Word label, seL4_Word length, const seL4_Word* words = nullptr) {
  for (seL4_Word i = 0; i < length; ++i) seL4_SetMR(static_cast<int>(i), words[i]);
  seL4_Reply(seL4_MessageInfo_new(label, 0, 0, length));
}

bool in_image_code(seL4_Word pc) {
  return pc >= reinterpret_cast<seL4_Word>(__image_start) &&
         pc < reinterpret_cast<seL4_Word>(__keel_tdata_start);
}

// The objects of one case: a scratch untyped carved from a boot untyped, the root task's endpoint
// (every process calls and faults to it), a second endpoint, and a slot range per process. The
// end of the case destroys the processes and revokes the boot untyped.
class Lab {
 public:
  explicit Lab(Test& t);
  ~Lab();
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  seL4_CPtr ep() const { return first_ + 1; }
  seL4_CPtr peer_ep() const { return first_ + 2; }
  seL4_CPtr spare_slot(unsigned i) const { return first_ + 3 + i; }  // i < 5
  seL4_CPtr untyped() const { return first_; }

  struct Options {
    const ProcessCap* extra = nullptr;  // besides the server and fault caps
    size_t num_extra = 0;
    seL4_CPtr asid_pool = seL4_CapInitThreadASIDPool;
    seL4_CPtr cnode_slot = seL4_CapNull;
  };
  // Process i with the server and fault caps (badges kBadge[i], kFaultBadge[i]).
  Process& start(unsigned i, void (*entry)(seL4_Word), seL4_Word arg, const Options& o);
  Process& start(unsigned i, void (*entry)(seL4_Word), seL4_Word arg) {
    return start(i, entry, arg, Options{});
  }
  void destroy(unsigned i);

 private:
  Test& t_;
  seL4_CPtr parent_ = 0, first_ = 0;
  Process procs_[kMaxProcesses];
  bool live_[kMaxProcesses] = {};
};

Lab::Lab(Test& t) : t_(t) {
  parent_ = ram_untyped(t.bi(), kUntypedBits);
  if (!t.expect(parent_ != 0, "no 128 KiB RAM untyped")) return;
  first_ = t.bi()->empty.start;
  ok(t, "Retype scratch untyped",
     seL4_Untyped_Retype(parent_, seL4_UntypedObject, kUntypedBits, kRoot, 0, 0, untyped(), 1));
  ok(t, "Retype endpoints", seL4_Untyped_Retype(untyped(), seL4_EndpointObject, 0, kRoot, 0, 0, ep(), 2));
}

Lab::~Lab() {
  for (unsigned i = 0; i < kMaxProcesses; ++i) destroy(i);
  if (parent_ != 0) ok(t_, "Revoke", seL4_CNode_Revoke(kRoot, parent_, seL4_WordBits));
}

Process& Lab::start(unsigned i, void (*entry)(seL4_Word), seL4_Word arg, const Options& o) {
  if (first_ == 0) {  // no scratch untyped: the constructor has reported it
    procs_[i].error = seL4_NotEnoughMemory;
    return procs_[i];
  }
  ProcessCap caps[4] = {{.src = ep(), .slot = kServerSlot, .rights = kCallRights, .badge = kBadge[i]},
                        {.src = ep(), .slot = kFaultSlot, .rights = kCallRights, .badge = kFaultBadge[i]}};
  size_t n = 2;
  for (size_t k = 0; k < o.num_extra && n < 4; ++k) caps[n++] = o.extra[k];
  const seL4_CPtr slots = first_ + 8 + i * kArenaSlots;
  procs_[i] = keel::start_process(ProcessSpec{
      .arena =
          Arena{.untyped = keel::Untyped{untyped()}, .first_slot = slots, .end_slot = slots + kArenaSlots},
      .entry = entry,
      .arg = arg,
      .caps = caps,
      .num_caps = n,
      .fault_ep = kFaultSlot,
      .cnode_slot = o.cnode_slot,
      .priority = kChildPrio + i,
      .asid_pool = o.asid_pool,
      .name = i == 0 ? "proc-a" : "proc-b",
  });
  live_[i] = true;
  const Process& p = procs_[i];
  t_.expect(p.ok(), "start_process %u: %s returned %s", i, p.step, keel::error_name(p.error));
  return procs_[i];
}

void Lab::destroy(unsigned i) {
  if (!live_[i]) return;
  live_[i] = false;
  ok(t_, "destroy_process", keel::destroy_process(procs_[i]));
}

// The root task drops below every process and is back once none of them can run.
void let_processes_run(Test& t) {
  ok(t, "SetPriority 0", seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 0));
  ok(t, "SetPriority 255", seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio));
}

// Nothing waiting on the endpoint, in particular no fault from a process that has ended.
void expect_quiet(Test& t, seL4_CPtr ep) {
  seL4_Word badge = 0;
  (void)seL4_NBRecv(ep, &badge);
  t.expect(badge == 0, "a message from badge 0x%lx was pending (label 0x%lx)", badge, seL4_GetMR(0));
}

// --- the processes' side: only their own stack, IPC buffer and caps --------------------------

seL4_Word call(seL4_CPtr ep, seL4_Word label, seL4_Word length, seL4_MessageInfo_t* info = nullptr) {
  const seL4_MessageInfo_t got = seL4_Call(ep, seL4_MessageInfo_new(label, 0, 0, length));
  if (info != nullptr) *info = got;
  return seL4_GetMR(0);
}

// PROC0001: a long Call, a check of the long reply, a Call with the verdict, then the entry returns.
void caller_process(seL4_Word arg) {
  for (seL4_Word i = 0; i < kLongLength; ++i) seL4_SetMR(static_cast<int>(i), arg + i);
  seL4_MessageInfo_t info;
  (void)call(kServerSlot, kHello, kLongLength, &info);
  bool good = seL4_MessageInfo_get_label(info) == kAnswer && seL4_MessageInfo_get_length(info) == kLongLength;
  for (seL4_Word i = 0; i < kLongLength; ++i) good &= seL4_GetMR(static_cast<int>(i)) == (arg + i) * 3;
  seL4_SetMR(0, good ? 1 : 0);
  seL4_SetMR(1, seL4_GetMR(5));
  (void)call(kServerSlot, kResult, 2);
}

// PROC0002: reads (and then writes) an address of the root task's; reports what it read.
void reader_process(seL4_Word addr) {
  volatile seL4_Word* p = reinterpret_cast<volatile seL4_Word*>(addr);
  const seL4_Word seen = *p;
  *p = ~seen;
  seL4_SetMR(0, seen);
  (void)call(kServerSlot, kResult, 1);
}

// A pattern in the process's stack: two processes use the same stack addresses, so a kernel that
// ran one on the other's tables would break the other's pattern.
constexpr unsigned kMarkWords = 16;
void fill_mark(volatile seL4_Word* mark, seL4_Word seed) {
  for (unsigned i = 0; i < kMarkWords; ++i) mark[i] = seed * 0x10001 + i;
}
bool mark_intact(const volatile seL4_Word* mark, seL4_Word seed) {
  bool good = true;
  for (unsigned i = 0; i < kMarkWords; ++i) good &= mark[i] == seed * 0x10001 + i;
  return good;
}

// PROC0003: answers `rounds` pings on the shared endpoint, then reports the count of good ones.
void echo_process(seL4_Word rounds) {
  volatile seL4_Word mark[kMarkWords];
  fill_mark(mark, 1);
  seL4_Word badge = 0, good = 0;
  seL4_MessageInfo_t info = seL4_Recv(kPeerSlot, &badge);
  for (seL4_Word i = 0; i < rounds; ++i) {
    const seL4_Word n = seL4_GetMR(0);
    good +=
        badge == kPeerBadge && seL4_MessageInfo_get_label(info) == kPing && n == i && mark_intact(mark, 1);
    seL4_SetMR(0, n + 1000);
    seL4_SetMR(4, ~n);  // word 4: from this IPC buffer to the other process's
    const seL4_MessageInfo_t pong = seL4_MessageInfo_new(kPong, 0, 0, 5);
    if (i + 1 < rounds) {
      info = seL4_ReplyRecv(kPeerSlot, pong, &badge);
    } else {
      seL4_Reply(pong);
    }
  }
  seL4_SetMR(0, good);
  (void)call(kServerSlot, kResult, 1);
}

// PROC0003: pings the other process `rounds` times, then reports the count of good answers.
void ping_process(seL4_Word rounds) {
  volatile seL4_Word mark[kMarkWords];
  fill_mark(mark, 2);
  seL4_Word good = 0;
  for (seL4_Word i = 0; i < rounds; ++i) {
    seL4_SetMR(0, i);
    seL4_MessageInfo_t info;
    const seL4_Word answer = call(kPeerSlot, kPing, 1, &info);
    good += seL4_MessageInfo_get_label(info) == kPong && seL4_MessageInfo_get_length(info) == 5 &&
            answer == i + 1000 && seL4_GetMR(4) == ~i && mark_intact(mark, 2);
  }
  seL4_SetMR(0, good);
  (void)call(kServerSlot, kResult, 1);
}

// PROC0004/5: says hello, then reports arg + 1. The first process of those cases never gets to
// the report: its address space is gone when the hello's reply arrives.
void hello_process(seL4_Word arg) {
  seL4_SetMR(0, arg);
  (void)call(kServerSlot, kHello, 1);
  seL4_SetMR(0, arg + 1);
  (void)call(kServerSlot, kResult, 1);
}

// PROC0006: asks for a cap, then calls through it if one arrived (through the server cap if not).
void grantee_process(seL4_Word /*arg*/) {
  seL4_SetCapReceivePath(kCNodeSlot, kReceivedSlot, keel::kProcessCNodeBits);
  seL4_MessageInfo_t info;
  (void)call(kServerSlot, kHello, 0, &info);
  const seL4_Word caps = seL4_MessageInfo_get_extraCaps(info);
  seL4_SetMR(0, caps);
  seL4_SetMR(1, seL4_MessageInfo_get_label(info));
  (void)call(caps == 1 ? kReceivedSlot : kServerSlot, kResult, 2);
}

// --- PROC0001: Call and Reply between address spaces ----------------------------------------

constexpr seL4_Word kArg = 7;

void proc0001_call_and_reply(Test& t) {
  Lab lab(t);
  if (!lab.start(0, caller_process, kArg).ok()) return;
  const Message hello = receive(lab.ep());
  if (!expect_message(t, hello, kBadge[0], kHello, kLongLength)) return;
  seL4_Word answer[kLongLength];
  for (seL4_Word i = 0; i < kLongLength; ++i) {
    t.expect(hello.mr[i] == kArg + i, "word %lu = %lu, expected %lu", i, hello.mr[i], kArg + i);
    answer[i] = (kArg + i) * 3;
  }
  reply(kAnswer, kLongLength, answer);
  const Message result = receive(lab.ep());
  if (!expect_message(t, result, kBadge[0], kResult, 2)) return;
  t.expect_eq("the process's verdict on the reply", result.mr[0], 1);
  t.expect_eq("reply word 5 as the process read it", result.mr[1], answer[5]);
  reply(0, 0);
  let_processes_run(t);  // its entry returns and the thread suspends itself, without a fault
  expect_quiet(t, lab.ep());
}

// --- PROC0002: the root task's memory is out of reach ----------------------------------------

// A page of the root task's .bss, past the part of the image processes get.
alignas(4096) volatile seL4_Word g_root_page[512];
constexpr seL4_Word kSecret = 0x5ec7e7, kFreshMark = 0xf7e54;
constexpr seL4_Word kWindowVa = 0x30000000;  // where the root task sees the process's new page
constexpr seL4_Word kPageMask = (seL4_Word{1} << seL4_PageBits) - 1;
constexpr auto kDataAttributes =
    static_cast<seL4_ARM_VMAttributes>(seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);

bool expect_read_fault(Test& t, const Message& fault, seL4_Word addr) {
  if (!expect_message(t, fault, kFaultBadge[0], seL4_Fault_VMFault, seL4_VMFault_Length)) return false;
  t.expect_eq("fault address (MR1)", fault.mr[seL4_VMFault_Addr], addr);
  t.expect_eq("prefetch fault (MR2)", fault.mr[seL4_VMFault_PrefetchFault], 0);
  t.expect(in_image_code(fault.mr[seL4_VMFault_IP]), "fault pc 0x%lx outside the image's code",
           fault.mr[seL4_VMFault_IP]);
  const seL4_Word fsr = fault.mr[seL4_VMFault_FSR];
  return t.expect(esr_class(fsr) == kDataAbortLowerEl && (fsr & kWnR) == 0 && is_translation_fault(fsr),
                  "FSR 0x%lx: expected a data abort, read, translation fault", fsr);
}

// A new page mapped at `va` in the process and at kWindowVa in the root task; returns the window.
volatile seL4_Word* give_page(Test& t, Process& p, seL4_Word va) {
  seL4_CPtr page = seL4_CapNull;
  ok(t, "Retype page", keel::make_object(p.arena, seL4_ARM_SmallPageObject, 0, &page));
  const seL4_CPtr window = p.arena.take_slot();
  ok(t, "Copy page",
     seL4_CNode_Copy(kRoot, window, seL4_WordBits, kRoot, page, seL4_WordBits, seL4_AllRights));
  ok(t, "map the window",
     keel::map_page(p.arena, seL4_CapInitThreadVSpace, keel::Frame{window}, kWindowVa, seL4_ReadWrite,
                    kDataAttributes));
  ok(t, "map the page into the process",
     keel::map_page(p.arena, p.vspace, keel::Frame{page}, va, seL4_ReadWrite, kDataAttributes));
  return reinterpret_cast<volatile seL4_Word*>(kWindowVa);
}

void proc0002_root_memory_faults(Test& t) {
  Lab lab(t);
  const seL4_Word addr = reinterpret_cast<seL4_Word>(&g_root_page[3]);
  t.expect(addr >= ((reinterpret_cast<seL4_Word>(__keel_tdata_start) + kPageMask) & ~kPageMask) + 0x1000,
           "the root task's page 0x%lx is not clear of the part of the image processes get", addr);
  g_root_page[3] = kSecret;
  Process& p = lab.start(0, reader_process, addr);
  if (!p.ok() || !expect_read_fault(t, receive(lab.ep()), addr)) return;
  volatile seL4_Word* window = give_page(t, p, addr & ~kPageMask);
  if (t.failed()) return;
  const seL4_Word index = (addr & kPageMask) / sizeof(seL4_Word);
  window[index] = kFreshMark;
  reply(0, 0);  // a VM fault's reply restarts the read, now through the new page
  const Message result = receive(lab.ep());
  if (!expect_message(t, result, kBadge[0], kResult, 1)) return;
  t.expect_eq("what the process read", result.mr[0], kFreshMark);
  t.expect_eq("the process's write, seen through the window", window[index], ~kFreshMark);
  t.expect_eq("the root task's own word", g_root_page[3], kSecret);
  reply(0, 0);
  let_processes_run(t);
  expect_quiet(t, lab.ep());
}

// --- PROC0003: two processes call each other directly ----------------------------------------

constexpr seL4_Word kRounds = 8;

void proc0003_two_processes_ping_pong(Test& t) {
  Lab lab(t);
  const ProcessCap server_side{.src = lab.peer_ep(), .slot = kPeerSlot, .rights = seL4_CanRead};
  const ProcessCap client_side{
      .src = lab.peer_ep(), .slot = kPeerSlot, .rights = kCallRights, .badge = kPeerBadge};
  // The pinger is above the echo process: every reply switches address spaces at once.
  if (!lab.start(0, echo_process, kRounds, {.extra = &server_side, .num_extra = 1}).ok() ||
      !lab.start(1, ping_process, kRounds, {.extra = &client_side, .num_extra = 1}).ok()) {
    return;
  }
  bool reported[kMaxProcesses] = {};
  for (unsigned k = 0; k < kMaxProcesses; ++k) {
    const Message m = receive(lab.ep());
    const unsigned who = m.badge == kBadge[1] ? 1 : 0;
    if (!expect_message(t, m, kBadge[who], kResult, 1)) return;
    t.expect(!reported[who], "process %u reported twice", who);
    reported[who] = true;
    t.expect(m.mr[0] == kRounds, "process %u: %lu of %lu rounds as expected", who, m.mr[0], kRounds);
    reply(0, 0);
  }
  let_processes_run(t);
  expect_quiet(t, lab.ep());
}

// --- PROC0004/5: a process loses its address space while blocked -----------------------------

// The process (hello_process) said hello and waits for the reply; `remove` takes its VSpace away.
// After the reply it runs on seL4's empty tables, and its next instruction fetch VM-faults.
void expect_fetch_fault_without_vspace(Test& t, Lab& lab) {
  reply(0, 0);
  const Message fault = receive(lab.ep());
  if (!expect_message(t, fault, kFaultBadge[0], seL4_Fault_VMFault, seL4_VMFault_Length)) return;
  t.expect_eq("prefetch fault (MR2)", fault.mr[seL4_VMFault_PrefetchFault], 1);
  t.expect_eq("fault address = pc", fault.mr[seL4_VMFault_Addr], fault.mr[seL4_VMFault_IP]);
  t.expect(in_image_code(fault.mr[seL4_VMFault_IP]), "fault pc 0x%lx outside the image's code",
           fault.mr[seL4_VMFault_IP]);
  t.expect_eq("FSR (MR3)", fault.mr[seL4_VMFault_FSR], kNoVSpaceFetchFsr);
}

// Afterwards the root task goes on: a new process (which may get the same ASID) says hello, gets
// its reply, reports, and ends.
void expect_new_process_works(Test& t, Lab& lab, seL4_CPtr asid_pool) {
  if (!lab.start(0, hello_process, 9, {.asid_pool = asid_pool}).ok()) return;
  Message m = receive(lab.ep());
  if (!expect_message(t, m, kBadge[0], kHello, 1)) return;
  t.expect_eq("hello word", m.mr[0], 9);
  reply(0, 0);
  m = receive(lab.ep());
  if (!expect_message(t, m, kBadge[0], kResult, 1)) return;
  t.expect_eq("result word", m.mr[0], 10);
  reply(0, 0);
  let_processes_run(t);
  expect_quiet(t, lab.ep());
}

bool hello_received(Test& t, Lab& lab, seL4_Word arg) {
  const Message m = receive(lab.ep());
  return expect_message(t, m, kBadge[0], kHello, 1) && t.expect(m.mr[0] == arg, "hello word %lu", m.mr[0]);
}

constexpr seL4_Word kExtraVa = 0x20000000;  // PROC0004 maps a frame there, to unmap it later

void proc0004_vspace_deleted_while_blocked(Test& t) {
  Lab lab(t);
  Process& p = lab.start(0, hello_process, 5);
  if (!p.ok()) return;
  seL4_CPtr extra = seL4_CapNull;
  ok(t, "Retype page", keel::make_object(p.arena, seL4_ARM_SmallPageObject, 0, &extra));
  ok(t, "map a page", keel::map_page(p.arena, p.vspace, keel::Frame{extra}, kExtraVa, seL4_ReadWrite));
  if (t.failed() || !hello_received(t, lab, 5)) return;
  // Revoke deletes the copy in the TCB's VTable slot, so the Delete is final: the ASID goes.
  ok(t, "Revoke VSpace", seL4_CNode_Revoke(kRoot, p.vspace, seL4_WordBits));
  ok(t, "Delete VSpace", seL4_CNode_Delete(kRoot, p.vspace, seL4_WordBits));
  // The frame's cap still names the dead ASID; unmapping it finds no VSpace and just forgets it.
  ok(t, "Page_Unmap in the dead VSpace", seL4_ARM_Page_Unmap(extra));
  expect_fetch_fault_without_vspace(t, lab);
  lab.destroy(0);  // deletes the TCB blocked on its fault reply, then all the rest
  expect_new_process_works(t, lab, seL4_CapInitThreadASIDPool);
}

void proc0005_asid_pool_deleted_while_blocked(Test& t) {
  Lab lab(t);
  const seL4_CPtr pool_untyped = lab.spare_slot(0), pool = lab.spare_slot(1);
  ok(t, "Retype 4 KiB untyped",
     seL4_Untyped_Retype(lab.untyped(), seL4_UntypedObject, seL4_PageBits, kRoot, 0, 0, pool_untyped, 1));
  ok(t, "MakePool",
     seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_untyped, kRoot, pool, seL4_WordBits));
  if (t.failed() || !lab.start(0, hello_process, 5, {.asid_pool = pool}).ok() || !hello_received(t, lab, 5))
    return;
  // The pool cap's final deletion takes every ASID in it away (deleteASIDPool).
  ok(t, "Delete ASID pool", seL4_CNode_Delete(kRoot, pool, seL4_WordBits));
  expect_fetch_fault_without_vspace(t, lab);
  lab.destroy(0);  // its VSpace cap still names an ASID of the deleted pool
  ok(t, "MakePool again",
     seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_untyped, kRoot, pool, seL4_WordBits));
  expect_new_process_works(t, lab, pool);
  ok(t, "Delete ASID pool", seL4_CNode_Delete(kRoot, pool, seL4_WordBits));
}

// --- PROC0006: a cap granted in a reply ------------------------------------------------------

constexpr seL4_Word kGrantedBadge = 0x77;

void proc0006_cap_granted_in_a_reply(Test& t) {
  Lab lab(t);
  const seL4_CPtr granted = lab.spare_slot(0);
  ok(t, "Mint",
     seL4_CNode_Mint(kRoot, granted, seL4_WordBits, kRoot, lab.ep(), seL4_WordBits, kCallRights,
                     kGrantedBadge));
  if (t.failed() || !lab.start(0, grantee_process, 0, {.cnode_slot = kCNodeSlot}).ok() ||
      !expect_message(t, receive(lab.ep()), kBadge[0], kHello, 0)) {
    return;
  }
  // The root task's endpoint cap has Grant, so the reply cap may carry a cap back.
  seL4_SetCap(0, granted);
  seL4_Reply(seL4_MessageInfo_new(kAnswer, 0, 1, 0));
  const Message m = receive(lab.ep());
  t.expect_eq("caps in the reply, as the process saw them", m.mr[0], 1);
  t.expect_eq("reply label, as the process saw it", m.mr[1], kAnswer);
  if (!expect_message(t, m, kGrantedBadge, kResult, 2)) return;
  reply(0, 0);
  let_processes_run(t);
  expect_quiet(t, lab.ep());
  // The process's copy is a child of `granted`: a revoke reaches into its CSpace.
  ok(t, "Revoke the granted cap", seL4_CNode_Revoke(kRoot, granted, seL4_WordBits));
  ok(t, "Delete the granted cap", seL4_CNode_Delete(kRoot, granted, seL4_WordBits));
}

const TestCase kCases[] = {
    {"PROC0001 a process calls the root task over a badged endpoint; long messages both ways",
     proc0001_call_and_reply},
    {"PROC0002 a process's read of the root task's memory VM-faults to the root task, which maps a page "
     "there and replies",
     proc0002_root_memory_faults},
    {"PROC0003 two processes in two VSpaces ping-pong over a shared endpoint",
     proc0003_two_processes_ping_pong},
    {"PROC0004 a process whose VSpace is deleted while it is blocked faults on its next fetch; teardown "
     "leaves the root task working",
     proc0004_vspace_deleted_while_blocked},
    {"PROC0005 the same with the process's ASID pool deleted", proc0005_asid_pool_deleted_while_blocked},
    {"PROC0006 the root task grants a process an endpoint cap in a reply; the process calls through it",
     proc0006_cap_granted_in_a_reply},
};

}  // namespace

Suite process_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
