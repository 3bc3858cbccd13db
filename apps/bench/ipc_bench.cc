// IPC benchmarks in sel4bench's shape: a client (the root task) Calls a server thread of the same
// priority that answers with ReplyRecv, with 0 and 10 message words, timed one way each
// (Call: client's last counter read before the svc to the server's first after it; ReplyRecv:
// the other way) and per round trip; and a Signal from a lower-priority thread to a waiting
// higher-priority one. Beside each figure, seL4 16.0's (release build, fastpath on, AArch64,
// sel4bench; its 10-word figures are its slow path, the fastpath takes at most 4 words); ours
// include one counter read (see 'empty').
#include <keel/runtime.h>
#include <keel/thread.hpp>

namespace {

constexpr unsigned kWarmup = 50;
constexpr unsigned kRuns = 1000;
constexpr unsigned kTotal = kWarmup + kRuns;
constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_Word kWaiterPrio = 200, kSignallerPrio = 100;

inline seL4_Word read_counter() {
  seL4_Word v;
  __asm__ __volatile__("isb\n\tmrs %0, pmccntr_el0" : "=r"(v) : : "memory");
  return v;
}

// What the root task and the peers write; volatile where the other side reads it.
struct Shared {
  seL4_CPtr ep = 0, ntfn = 0;
  volatile seL4_Word length = 0;   // words in each message of the current series
  volatile seL4_Word index = 0;    // the client's current run
  volatile seL4_Word t_call = 0;   // client: just before Call
  volatile seL4_Word t_reply = 0;  // server: just before ReplyRecv
  volatile seL4_Word t_signal = 0;
  volatile seL4_Word probed = 0, signals = 0;
  seL4_Word call[kTotal] = {}, reply[kTotal] = {}, round_trip[kTotal] = {}, signal[kTotal] = {};
};
Shared g;

alignas(16) unsigned char g_stacks[2][8192];
alignas(4096) seL4_IPCBuffer g_ipc[2];

void recv(seL4_CPtr src) {
  seL4_Word badge = 0, info = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
  keel_sys_recv(KEEL_SYSNO(seL4_SysRecv), src, &badge, &info, &m0, &m1, &m2, &m3);
}

// The server: one probe message (an NBSend from the root task), then Calls answered for ever
// with a reply as long as the request.
[[noreturn]] void server(seL4_Word) {
  recv(g.ep);
  g.probed = 1;
  recv(g.ep);
  for (;;) {
    const seL4_Word t = read_counter();
    const seL4_Word i = g.index;
    if (i < kTotal) g.call[i] = t - g.t_call;
    seL4_Word badge = 0, info = seL4_MessageInfo_new(0, 0, 0, g.length).words[0], m0 = 0, m1 = 0, m2 = 0,
              m3 = 0;
    g.t_reply = read_counter();
    keel_sys_send_recv(KEEL_SYSNO(seL4_SysReplyRecv), g.ep, &badge, info, &info, &m0, &m1, &m2, &m3);
  }
}

void waiter(seL4_Word) {
  for (unsigned i = 0; i < kTotal; ++i) {
    recv(g.ntfn);
    const seL4_Word t = read_counter();
    g.signal[i] = t - g.t_signal;
    g.signals = i + 1;
  }
}

void call_series(seL4_Word length) {
  g.length = length;
  for (unsigned i = 0; i < kTotal; ++i) {
    g.index = i;
    seL4_Word badge = 0, info = seL4_MessageInfo_new(0, 0, 0, length).words[0], m0 = 0, m1 = 0, m2 = 0,
              m3 = 0;
    g.t_call = read_counter();
    keel_sys_send_recv(KEEL_SYSNO(seL4_SysCall), g.ep, &badge, info, &info, &m0, &m1, &m2, &m3);
    const seL4_Word t = read_counter();
    g.reply[i] = t - g.t_reply;
    g.round_trip[i] = t - g.t_call;
  }
}

void sort(seL4_Word* v, unsigned n) {
  for (unsigned i = 1; i < n; ++i) {
    const seL4_Word x = v[i];
    unsigned j = i;
    for (; j > 0 && v[j - 1] > x; --j) v[j] = v[j - 1];
    v[j] = x;
  }
}

// The usual bench line, with seL4's figure for the same path after it (0: none).
void report(const char* name, seL4_Word* samples, seL4_Word sel4) {
  seL4_Word* v = samples + kWarmup;
  sort(v, kRuns);
  printf("bench %s: median %lu instructions (min %lu, max %lu, n=%u)", name, v[kRuns / 2], v[0], v[kRuns - 1],
         kRuns);
  if (sel4 != 0) printf(", seL4 16.0 release: %lu", sel4);
  printf("\n");
}

bool start(const seL4_BootInfo* bi, seL4_CPtr tcb, unsigned k, void (*fn)(seL4_Word), seL4_Word prio,
           const char* name) {
  const keel::ThreadStart r = keel::start_thread(keel::ThreadSpec{
      .tcb = keel::Tcb{tcb},
      .ipc_buffer = &g_ipc[k],
      .ipc_frame = keel::image_frame(bi, &g_ipc[k]),
      .stack = g_stacks[k],
      .stack_size = sizeof g_stacks[k],
      .entry = fn,
      .priority = prio,
      .name = name,
  });
  return r.ok();
}

seL4_CPtr ram_untyped(const seL4_BootInfo* bi) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) return bi->untyped.start + i;
  }
  return 0;
}

bool make(seL4_CPtr ut, seL4_Word type, seL4_CPtr slot) {
  return ut != 0 && seL4_Untyped_Retype(ut, type, 0, kRoot, 0, 0, slot, 1) == seL4_NoError;
}

// The server at the root task's priority, blocked in Recv; false (and nothing measured) unless a
// probe message reached it, so a kernel without IPC cannot hang the bench in a Call.
bool start_server(const seL4_BootInfo* bi, seL4_CPtr tcb) {
  if (!start(bi, tcb, 0, server, seL4_MaxPrio, "ipc-bench-server")) return false;
  seL4_Yield();  // the server runs up to its Recv
  keel_sys_send(KEEL_SYSNO(seL4_SysNBSend), g.ep, 0, 0, 0, 0, 0);
  seL4_Yield();  // the server takes the probe and waits again
  return g.probed == 1;
}

void run_call_benchmarks(const seL4_BootInfo* bi, seL4_CPtr tcb) {
  if (!start_server(bi, tcb)) {
    printf("bench ipc_call: the server got no message, IPC not measured\n");
    (void)seL4_TCB_Suspend(tcb);
    return;
  }
  call_series(0);
  report("ipc_call (Call, 0 words, client to server one way)", g.call, 245);
  report("ipc_reply_recv (ReplyRecv, 0 words, server to client one way)", g.reply, 269);
  report("ipc_call_round_trip (Call + ReplyRecv, 0 words)", g.round_trip, 245 + 269);
  call_series(10);
  report("ipc_call_10 (Call, 10 words, one way)", g.call, 759);
  report("ipc_reply_recv_10 (ReplyRecv, 10 words, one way)", g.reply, 733);
  report("ipc_call_round_trip_10 (Call + ReplyRecv, 10 words)", g.round_trip, 759 + 733);
  (void)seL4_TCB_Suspend(tcb);
}

// The root task drops below the waiter and signals it kTotal times.
void run_signal_benchmark(const seL4_BootInfo* bi, seL4_CPtr tcb) {
  if (!start(bi, tcb, 1, waiter, kWaiterPrio, "ipc-bench-waiter")) {
    printf("bench signal: could not start the waiter, not measured\n");
    return;
  }
  (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, kSignallerPrio);
  for (unsigned i = 0; i < kTotal; ++i) {
    g.t_signal = read_counter();
    seL4_Signal(g.ntfn);
  }
  (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
  (void)seL4_TCB_Suspend(tcb);
  if (g.signals != kTotal) {
    printf("bench signal: the waiter woke %lu of %u times, not measured\n", g.signals, kTotal);
    return;
  }
  report("signal_to_higher_waiter (Signal -> a higher-priority thread waiting on the notification runs)",
         g.signal, 658);
}

}  // namespace

// Called from main.cc; uses root CNode slots first_slot..first_slot+3 and leaves them empty.
void run_ipc_benchmarks(const seL4_BootInfo* bi, seL4_CPtr first_slot) {
  const seL4_CPtr ut = ram_untyped(bi);
  const seL4_CPtr server_tcb = first_slot, waiter_tcb = first_slot + 1;
  g.ep = first_slot + 2;
  g.ntfn = first_slot + 3;
  if (!make(ut, seL4_TCBObject, server_tcb) || !make(ut, seL4_TCBObject, waiter_tcb) ||
      !make(ut, seL4_EndpointObject, g.ep) || !make(ut, seL4_NotificationObject, g.ntfn)) {
    printf("bench ipc: could not make the threads, endpoint and notification, not measured\n");
  } else {
    run_call_benchmarks(bi, server_tcb);
    run_signal_benchmark(bi, waiter_tcb);
  }
  for (seL4_CPtr s = first_slot; s < first_slot + 4; ++s) (void)seL4_CNode_Delete(kRoot, s, kDepth);
}
