// keel irqdemo: a user-level UART driver. A driver thread owns the PL011's registers (a device
// frame mapped uncached) and its IRQ (33, bound to a badged notification); it writes a message
// one character per TX interrupt. main, at a lower priority, waits until the driver is done and
// then shows what each interrupt brought, then powers off through an SMC cap.
#include <keel/runtime.h>
#include <keel/sel4.hpp>
#include <keel/thread.hpp>

#include <keel/pl011.hpp>

namespace {

constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_Word kUartVa = 0x30000000;
constexpr seL4_Word kIrqBadge = 0x21;
constexpr seL4_Word kDriverPrio = 200, kMainPrio = 100;
constexpr seL4_Word kSystemOff = 0x84000008;
constexpr char kMessage[] = "hello, interrupts!\n";
constexpr unsigned kChars = sizeof(kMessage) - 1;

// What the driver holds, and what it saw for each interrupt (main prints it afterwards: a print
// now would go through UARTDR and raise a TX interrupt of its own).
struct Driver {
  pl011::Regs uart;
  seL4_CPtr irq_ntfn = 0, handler = 0, done = 0;
  seL4_Word count = 0;
  seL4_Word badge[kChars] = {};
  uint32_t mis[kChars] = {};
  seL4_Error ack[kChars] = {};
};
Driver g_driver;

alignas(16) unsigned char g_stack[8192];
alignas(1024) seL4_IPCBuffer g_ipc;

// Send a character, wait for the TX interrupt that says it went, clear it, Ack, send the next.
void driver_main(seL4_Word) {
  Driver& d = g_driver;
  d.uart.enable_tx_interrupt();
  for (unsigned i = 0; i < kChars; ++i) {
    d.uart.put(kMessage[i]);
    seL4_Word badge = 0;
    seL4_Wait(d.irq_ntfn, &badge);
    d.badge[i] = badge;
    d.mis[i] = d.uart.read(pl011::kMis);
    d.uart.clear_tx();
    d.ack[i] = seL4_IRQHandler_Ack(d.handler);
    d.count = i + 1;
  }
  d.uart.quiesce();
  seL4_Signal(d.done);
}

// The driver's objects: notifications from RAM, the UART frame from its device untyped, the IRQ.
bool set_up(const seL4_BootInfo* bi, pl011::Maker& m, seL4_CPtr* tcb) {
  const seL4_CPtr ram = pl011::Maker::ram_untyped(bi, 16);
  const seL4_CPtr irq_ntfn = m.make(ram, seL4_NotificationObject);
  g_driver.irq_ntfn = m.take();
  m.check("Mint the badged notification", seL4_CNode_Mint(kRoot, g_driver.irq_ntfn, kDepth, kRoot, irq_ntfn,
                                                          kDepth, seL4_AllRights, kIrqBadge));
  g_driver.done = m.make(ram, seL4_NotificationObject);
  *tcb = m.make(ram, seL4_TCBObject);
  seL4_CPtr device_untyped = 0;
  const seL4_CPtr frame = m.device_frame(bi, pl011::kPaddr, &device_untyped);
  if (!m.ok() || !m.map_device(frame, kUartVa, ram)) return false;
  g_driver.uart = pl011::Regs(kUartVa);
  g_driver.handler = m.take();
  return m.check("IRQControl_Get",
                 seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, g_driver.handler, kDepth)) &&
         m.check("IRQHandler_SetNotification",
                 seL4_IRQHandler_SetNotification(g_driver.handler, g_driver.irq_ntfn));
}

bool start_driver(const seL4_BootInfo* bi, seL4_CPtr tcb) {
  const keel::ThreadStart r = keel::start_thread(keel::ThreadSpec{
      .tcb = keel::Tcb{tcb},
      .ipc_buffer = &g_ipc,
      .ipc_frame = keel::image_frame(bi, &g_ipc),
      .stack = g_stack,
      .stack_size = sizeof g_stack,
      .entry = driver_main,
      .priority = kDriverPrio,
      .name = "uart-driver",
  });
  if (!r.ok())
    printf("irqdemo: starting the driver failed at %s (error %d)\n", r.step, static_cast<int>(r.error));
  return r.ok();
}

char printable(char c) { return c == '\n' ? '~' : c; }

void report() {
  const Driver& d = g_driver;
  printf("\nirqdemo: main runs again; what the driver saw, one line per interrupt ('~' = newline):\n");
  unsigned good = 0;
  for (unsigned i = 0; i < d.count; ++i) {
    const bool ok = d.badge[i] == kIrqBadge && d.mis[i] == pl011::kTxInt && d.ack[i] == seL4_NoError;
    good += ok ? 1 : 0;
    printf("  TX interrupt %2u after '%c': signal badge 0x%lx, UARTMIS 0x%x, Ack %d%s\n", i + 1,
           printable(kMessage[i]), d.badge[i], d.mis[i], static_cast<int>(d.ack[i]),
           ok ? "" : "  <- unexpected");
  }
  printf("irqdemo: %lu TX interrupts for %u characters, %u as expected (badge 0x%lx, TX pending)\n", d.count,
         kChars, good, kIrqBadge);
}

void power_off(seL4_CPtr slot) {
  if (seL4_CNode_Mint(kRoot, slot, kDepth, kRoot, seL4_CapSMC, kDepth, seL4_AllRights, kSystemOff) != 0)
    return;
  printf("irqdemo: powering off through an SMC cap badged 0x%lx (PSCI SYSTEM_OFF)\n", kSystemOff);
  seL4_ARM_SMCContext args = {}, out = {};
  args.x0 = kSystemOff;
  (void)keel::Smc{slot}.call(args, out);
}

}  // namespace

int main(seL4_BootInfo* bi) {
  printf("\nkeel irqdemo: a user-level UART driver on QEMU virt\n");
  printf("  The driver thread maps the PL011 at 0x%08lx (its device frame, uncached) and takes IRQ %lu\n",
         pl011::kPaddr, pl011::kIrq);
  printf("  from IRQControl, bound to a notification badged 0x%lx. It writes each character to UARTDR,\n",
         kIrqBadge);
  printf("  waits for the TX interrupt's signal, clears UARTICR, acks the IRQ and goes on.\n");
  pl011::Maker m(bi->empty.start);
  seL4_CPtr tcb = 0;
  if (!set_up(bi, m, &tcb)) {
    printf("irqdemo: set-up failed at %s (error %d)\n", m.step(), static_cast<int>(m.error()));
    return 0;  // the runtime halts with seL4_DebugHalt
  }
  printf("irqdemo: main drops to priority %lu and waits; the driver (priority %lu) writes:\n\n", kMainPrio,
         kDriverPrio);
  (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, kMainPrio);
  if (!start_driver(bi, tcb)) return 0;
  seL4_Wait(g_driver.done, nullptr);
  report();
  const seL4_Error del = seL4_CNode_Delete(kRoot, g_driver.handler, kDepth);
  printf("irqdemo: UART interrupts off, IRQHandler deleted (error %d): IRQ %lu is free again\n",
         static_cast<int>(del), pl011::kIrq);
  power_off(m.take());
  return 0;  // fallback: seL4_DebugHalt
}
