// IRQ benchmark: guest instructions from a device register write that raises an interrupt to the
// driver thread blocked on the IRQ's notification running again (see run_irq_benchmarks).
//
// The device is the PL011 (IRQ 33). Its TXRIS is already set (the kernel's prints set it) and
// left set, so writing UARTIMSC.TXIM raises the IRQ line at once, with no character sent; the
// driver masks TXIM again, Acks and waits. The measured path: the MMIO write, the exception,
// the kernel's IRQ entry (GIC acknowledge, signal to the notification, mask, EOI), the switch to
// the higher-priority driver and its return from seL4_Recv.
#include <keel/runtime.h>
#include <keel/thread.hpp>

#include <keel/pl011.hpp>

namespace {

constexpr unsigned kWarmup = 20;
constexpr unsigned kRuns = 200;
constexpr unsigned kTotal = kWarmup + kRuns;
constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_Word kUartVa = 0x30000000;
constexpr seL4_Word kBadge = 0x21;
constexpr seL4_Word kDriverPrio = 200, kProducerPrio = 100;

inline seL4_Word read_counter() {
  seL4_Word v;
  __asm__ __volatile__("isb\n\tmrs %0, pmccntr_el0" : "=r"(v) : : "memory");
  return v;
}

// Written by the producer (root task) and the driver; each run is one interrupt.
struct Shared {
  pl011::Regs uart;
  seL4_CPtr ntfn = 0, handler = 0;
  volatile seL4_Word t0 = 0;  // producer: just before the device write
  volatile seL4_Word count = 0, bad = 0;
  seL4_Word to_driver[kTotal] = {};   // t1 (driver running) - t0
  seL4_Word round_trip[kTotal] = {};  // t2 (producer running again) - t0
};
Shared g;

alignas(16) unsigned char g_stack[8192];
alignas(1024) seL4_IPCBuffer g_ipc;

// The driver reads the counter as the first thing after its Recv returns (the raw syscall, so
// no message-register copying comes first).
void driver(seL4_Word) {
  for (unsigned i = 0; i < kTotal; ++i) {
    seL4_Word badge = 0, info = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    keel_sys_recv(KEEL_SYSNO(seL4_SysRecv), g.ntfn, &badge, &info, &m0, &m1, &m2, &m3);
    const seL4_Word t1 = read_counter();
    g.to_driver[i] = t1 - g.t0;
    if (badge != kBadge) g.bad = g.bad + 1;
    g.uart.write(pl011::kImsc, 0);
    if (seL4_IRQHandler_Ack(g.handler) != seL4_NoError) g.bad = g.bad + 1;
    g.count = i + 1;
  }
}

bool set_up(const seL4_BootInfo* bi, pl011::Maker& m, seL4_CPtr* tcb, seL4_CPtr* device_untyped) {
  const seL4_CPtr ram = pl011::Maker::ram_untyped(bi, 16);
  const seL4_CPtr ntfn = m.make(ram, seL4_NotificationObject);
  g.ntfn = m.take();
  m.check("Mint", seL4_CNode_Mint(kRoot, g.ntfn, kDepth, kRoot, ntfn, kDepth, seL4_AllRights, kBadge));
  *tcb = m.make(ram, seL4_TCBObject);
  const seL4_CPtr frame = m.device_frame(bi, pl011::kPaddr, device_untyped);
  if (!m.ok() || !m.map_device(frame, kUartVa, ram)) return false;
  g.uart = pl011::Regs(kUartVa);
  g.handler = m.take();
  if (!m.check("IRQControl_Get",
               seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, g.handler, kDepth)) ||
      !m.check("SetNotification", seL4_IRQHandler_SetNotification(g.handler, g.ntfn))) {
    return false;
  }
  const keel::ThreadStart r = keel::start_thread(keel::ThreadSpec{
      .tcb = keel::Tcb{*tcb},
      .ipc_buffer = &g_ipc,
      .ipc_frame = keel::image_frame(bi, &g_ipc),
      .stack = g_stack,
      .stack_size = sizeof g_stack,
      .entry = driver,
      .priority = kDriverPrio,
      .name = "irq-bench-driver",
  });
  return m.check(r.ok() ? "start_thread" : r.step, r.error);
}

// The producer: below the driver, it runs only while the driver is blocked in Recv.
void produce() {
  if ((g.uart.read(pl011::kRis) & pl011::kTxInt) == 0) g.uart.put('\n');  // TXRIS must be set
  g.uart.write(pl011::kImsc, 0);
  (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, kProducerPrio);
  for (unsigned i = 0; i < kTotal; ++i) {
    g.t0 = read_counter();
    g.uart.write(pl011::kImsc, pl011::kTxInt);
    const seL4_Word t2 = read_counter();
    g.round_trip[i] = t2 - g.t0;
  }
  seL4_Yield();  // the last interrupt has certainly been taken
  (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio);
}

void sort(seL4_Word* v, unsigned n) {
  for (unsigned i = 1; i < n; ++i) {
    const seL4_Word x = v[i];
    unsigned j = i;
    for (; j > 0 && v[j - 1] > x; --j) v[j] = v[j - 1];
    v[j] = x;
  }
}

void report(const char* name, seL4_Word* samples) {
  seL4_Word* v = samples + kWarmup;
  sort(v, kRuns);
  printf("bench %s: median %lu instructions (min %lu, max %lu, n=%u)\n", name, v[kRuns / 2], v[0],
         v[kRuns - 1], kRuns);
}

}  // namespace

// Called from main.cc; uses root CNode slots from first_slot on.
void run_irq_benchmarks(const seL4_BootInfo* bi, seL4_CPtr first_slot) {
  pl011::Maker m(first_slot);
  seL4_CPtr tcb = 0, device_untyped = 0;
  if (!set_up(bi, m, &tcb, &device_untyped)) {
    printf("bench irq_to_driver: set-up failed at %s (error %d), not measured\n", m.step(),
           static_cast<int>(m.error()));
    return;
  }
  produce();
  g.uart.quiesce();
  (void)seL4_CNode_Delete(kRoot, g.handler, kDepth);  // masks IRQ 33 and frees it
  (void)seL4_CNode_Revoke(kRoot, device_untyped, kDepth);
  if (g.count != kTotal || g.bad != 0) {
    printf("bench irq_to_driver: %lu of %u interrupts handled, %lu bad badges or Acks, not measured\n",
           g.count, kTotal, g.bad);
    return;
  }
  report("irq_to_driver (UARTIMSC write raising PL011 IRQ 33 -> driver blocked in Recv runs)", g.to_driver);
  report("irq_round_trip (the same, + driver masks TXIM, Acks, Recv blocks, producer runs again)",
         g.round_trip);
  printf(
      "keel bench: irq_* run from a device register write to a user thread. Not sel4bench's figures: its\n");
  printf("keel bench: 'irq' is the kernel's IRQ path between in-kernel tracepoints, its 'irquser' a timer\n");
  printf("keel bench: interrupt from a spinning thread's last counter read to the handler thread running.\n");
}
