// IRQD00xx: a user-level driver for a real device's interrupts, end to end on QEMU: the PL011's
// frame carved from its device untyped and mapped uncached, its IRQ (SPI 1 = 33) from IRQControl
// bound to a badged notification, TX interrupts raised by writing UARTDR. Every case leaves the
// UART as the kernel had it (no interrupt enabled or pending) and the IRQ free again.
//
// A write to UARTDR raises the IRQ while the CPU may still run a few instructions before taking
// it (QEMU checks for interrupts between translation blocks); a syscall always ends with the IRQ
// taken, so each "did it signal?" question comes after a seL4_Yield (`settle`).
#include <keel/thread.hpp>

#include <keel/pl011.hpp>
#include "framework.h"

namespace systest {
namespace {

constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_Word kUartVa = 0x30000000;  // free in the root VSpace (the vspace tests use 0x1.., 0x2..)
constexpr seL4_Word kBadge = 0x1b0, kOtherBadge = 0x2c0;
constexpr unsigned kScratchBits = 16;
constexpr seL4_Word kDriverPrio = 100, kProducerPrio = 50;
constexpr unsigned kInterrupts = 4;

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want = seL4_NoError) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

// Any IRQ the last device write raised has been taken (and signalled) once this returns.
void settle() { seL4_Yield(); }

seL4_Word poll(seL4_CPtr ntfn) {
  seL4_Word word = 0;
  (void)seL4_Poll(ntfn, &word);
  return word;
}

// One case's driver set-up: the UART mapped at kUartVa, a notification and a copy badged kBadge,
// and an IRQHandler for IRQ 33 signalling the badged copy, with the TX interrupt enabled.
class Rig {
 public:
  explicit Rig(Test& t);
  ~Rig();
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  bool ready() const { return ready_; }
  // A character to UARTDR: the device event. The case's characters end up on one console line.
  void send(char c) {
    uart.put(c);
    sent_ = true;
  }
  seL4_CPtr take() { return make_.take(); }
  seL4_CPtr make(seL4_Word type) { return make_.make(scratch_, type); }

  pl011::Regs uart;
  seL4_CPtr ntfn = 0, badged = 0, handler = 0;
  bool handler_live = false;  // a case that deletes the handler itself clears this

 private:
  Test& t_;
  pl011::Maker make_;
  seL4_CPtr ram_parent_ = 0, device_parent_ = 0, scratch_ = 0;
  bool mapped_ = false, ready_ = false, sent_ = false;
};

Rig::Rig(Test& t) : t_(t), make_(t.bi()->empty.start) {
  ram_parent_ = pl011::Maker::ram_untyped(t.bi(), kScratchBits);
  if (!t.expect(ram_parent_ != 0, "no 64 KiB RAM untyped")) return;
  scratch_ = make_.make(ram_parent_, seL4_UntypedObject, kScratchBits, "Retype scratch");
  ntfn = make_.make(scratch_, seL4_NotificationObject);
  badged = make_.take();
  make_.check("Mint badged notification",
              seL4_CNode_Mint(kRoot, badged, kDepth, kRoot, ntfn, kDepth, seL4_AllRights, kBadge));
  const seL4_CPtr frame = make_.device_frame(t.bi(), pl011::kPaddr, &device_parent_);
  mapped_ = make_.ok() && make_.map_device(frame, kUartVa, scratch_);
  if (mapped_) uart = pl011::Regs(kUartVa);
  handler = make_.take();
  handler_live =
      make_.ok() && make_.check("IRQControl_Get",
                                seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, handler, kDepth));
  if (handler_live) make_.check("SetNotification", seL4_IRQHandler_SetNotification(handler, badged));
  if (!t.expect(make_.ok(), "set-up: %s returned %d", make_.step(), static_cast<int>(make_.error()))) return;
  uart.enable_tx_interrupt();
  ready_ = true;
}

Rig::~Rig() {
  if (mapped_) uart.quiesce();
  if (sent_) printf("  <- written to UARTDR by this case, each character raising a TX interrupt\n");
  if (handler_live) ok(t_, "Delete the IRQHandler", seL4_CNode_Delete(kRoot, handler, kDepth));
  // Revoking the untypeds deletes the frame (unmapping it), the page tables and the notification.
  if (device_parent_ != 0)
    ok(t_, "Revoke the device untyped", seL4_CNode_Revoke(kRoot, device_parent_, kDepth));
  if (ram_parent_ != 0) ok(t_, "Revoke the RAM untyped", seL4_CNode_Revoke(kRoot, ram_parent_, kDepth));
}

// What the driver thread of IRQD0001 saw, one entry per interrupt.
struct DriverLog {
  volatile seL4_Word count;
  volatile seL4_Word badge[kInterrupts];
  volatile uint32_t mis[kInterrupts];
  volatile seL4_Error ack[kInterrupts];
};
DriverLog g_log;
seL4_CPtr g_driver_ntfn, g_driver_handler;
pl011::Regs g_driver_uart;

alignas(16) unsigned char g_driver_stack[8192];
alignas(1024) seL4_IPCBuffer g_driver_ipc;

// The driver loop: wait, check the source, clear the device, Ack, go on.
void driver(seL4_Word) {
  for (seL4_Word i = 0; i < kInterrupts; ++i) {
    seL4_Word badge = 0;
    seL4_Wait(g_driver_ntfn, &badge);
    g_log.badge[i] = badge;
    g_log.mis[i] = g_driver_uart.read(pl011::kMis);
    g_driver_uart.clear_tx();
    g_log.ack[i] = seL4_IRQHandler_Ack(g_driver_handler);
    g_log.count = i + 1;
  }
}

bool start_driver(Test& t, Rig& rig) {
  g_log = DriverLog{};
  g_driver_ntfn = rig.ntfn;
  g_driver_handler = rig.handler;
  g_driver_uart = rig.uart;
  const seL4_CPtr tcb = rig.make(seL4_TCBObject);
  const keel::ThreadStart r = keel::start_thread(keel::ThreadSpec{
      .tcb = keel::Tcb{tcb},
      .ipc_buffer = &g_driver_ipc,
      .ipc_frame = keel::image_frame(t.bi(), &g_driver_ipc),
      .stack = g_driver_stack,
      .stack_size = sizeof g_driver_stack,
      .entry = driver,
      .priority = kDriverPrio,
      .name = "irq-driver",
  });
  return t.expect(r.ok(), "start_thread: %s returned %d", r.step, static_cast<int>(r.error));
}

void driver_thread_gets_each_interrupt(Test& t) {
  Rig rig(t);
  if (!rig.ready() || !start_driver(t, rig)) return;
  // Below the driver, the root task runs only while the driver is blocked in Wait.
  ok(t, "SetPriority of the root task",
     seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, kProducerPrio));
  for (seL4_Word i = 0; i < kInterrupts; ++i) {
    t.expect_eq("interrupts handled before the write", g_log.count, i);
    rig.send(static_cast<char>('0' + i));
    settle();
    t.expect_eq("interrupts handled after the write", g_log.count, i + 1);
  }
  ok(t, "SetPriority back", seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, seL4_MaxPrio));
  for (unsigned i = 0; i < kInterrupts; ++i) {
    t.expect_eq("badge of the signal", g_log.badge[i], kBadge);
    t.expect_eq("UARTMIS in the driver", g_log.mis[i], pl011::kTxInt);
    ok(t, "Ack in the driver", g_log.ack[i]);
  }
  t.expect_eq("UARTMIS after the driver cleared it", rig.uart.read(pl011::kMis), 0);
}

void masked_until_ack(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  t.expect_eq("Poll before any event", poll(rig.ntfn), 0);
  rig.send('a');
  settle();
  t.expect_eq("Poll after the first event", poll(rig.ntfn), kBadge);
  rig.uart.clear_tx();
  rig.send('b');
  settle();
  t.expect_eq("UARTMIS: the device raised the line again", rig.uart.read(pl011::kMis), pl011::kTxInt);
  t.expect_eq("Poll before Ack (the IRQ is masked)", poll(rig.ntfn), 0);
  ok(t, "Ack", seL4_IRQHandler_Ack(rig.handler));
  settle();
  t.expect_eq("Poll after Ack", poll(rig.ntfn), kBadge);
  rig.uart.clear_tx();
  ok(t, "Ack after clearing the device", seL4_IRQHandler_Ack(rig.handler));
  settle();
  t.expect_eq("Poll with the line low", poll(rig.ntfn), 0);
}

void clear_stops_delivery(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  ok(t, "Clear", seL4_IRQHandler_Clear(rig.handler));
  rig.send('c');
  settle();
  t.expect_eq("Poll after an event with no notification bound", poll(rig.ntfn), 0);
  // seL4 masks a Signal IRQ when it arrives whether or not a notification is bound, so the
  // device's line, still high, is only seen again after a new binding and an Ack.
  ok(t, "SetNotification again", seL4_IRQHandler_SetNotification(rig.handler, rig.badged));
  settle();
  t.expect_eq("Poll after rebinding, before Ack", poll(rig.ntfn), 0);
  ok(t, "Ack", seL4_IRQHandler_Ack(rig.handler));
  settle();
  t.expect_eq("Poll after Ack", poll(rig.ntfn), kBadge);
  rig.uart.clear_tx();
  ok(t, "Ack after clearing the device", seL4_IRQHandler_Ack(rig.handler));
}

void rebinding_changes_the_badge(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr other = rig.take();
  ok(t, "Mint", seL4_CNode_Mint(kRoot, other, kDepth, kRoot, rig.ntfn, kDepth, seL4_AllRights, kOtherBadge));
  ok(t, "SetNotification to the other badge", seL4_IRQHandler_SetNotification(rig.handler, other));
  rig.send('d');
  settle();
  t.expect_eq("Poll after the event", poll(rig.ntfn), kOtherBadge);
  rig.uart.clear_tx();
  ok(t, "Ack", seL4_IRQHandler_Ack(rig.handler));
  const seL4_CPtr read_only = rig.take();
  ok(t, "Mint a read-only copy",
     seL4_CNode_Mint(kRoot, read_only, kDepth, kRoot, rig.ntfn, kDepth, seL4_CanRead, 0));
  ok(t, "SetNotification needs CanSend", seL4_IRQHandler_SetNotification(rig.handler, read_only),
     seL4_InvalidCapability);
}

// Copies of a handler cap share the IRQ; only deleting the last one unbinds, masks and frees it.
void deleting_the_handler_frees_the_irq(Test& t) {
  Rig rig(t);
  if (!rig.ready()) return;
  const seL4_CPtr copy = rig.take();
  ok(t, "Get of a handed-out IRQ", seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, copy, kDepth),
     seL4_RevokeFirst);
  ok(t, "Copy the handler", seL4_CNode_Copy(kRoot, copy, kDepth, kRoot, rig.handler, kDepth, seL4_AllRights));
  ok(t, "Delete the original", seL4_CNode_Delete(kRoot, rig.handler, kDepth));
  rig.send('e');
  settle();
  t.expect_eq("Poll: the copy keeps the IRQ bound", poll(rig.ntfn), kBadge);
  rig.uart.clear_tx();
  ok(t, "Ack through the copy", seL4_IRQHandler_Ack(copy));
  ok(t, "Delete the last handler cap", seL4_CNode_Delete(kRoot, copy, kDepth));
  rig.handler_live = false;
  rig.send('f');
  settle();
  t.expect_eq("Poll after an event with the IRQ freed", poll(rig.ntfn), 0);
  if (!ok(t, "Get the freed IRQ",
          seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, rig.handler, kDepth))) {
    return;
  }
  rig.handler_live = true;
  ok(t, "SetNotification", seL4_IRQHandler_SetNotification(rig.handler, rig.badged));
  ok(t, "Ack", seL4_IRQHandler_Ack(rig.handler));
  settle();
  t.expect_eq("Poll: the line held high since the delete is seen now", poll(rig.ntfn), kBadge);
  rig.uart.clear_tx();
  ok(t, "Ack after clearing the device", seL4_IRQHandler_Ack(rig.handler));
}

void get_refuses_the_timer_and_bad_irqs(Test& t) {
  const seL4_CPtr slot = t.bi()->empty.start;
  ok(t, "Get of the kernel timer IRQ 27",
     seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kTimerIrq, kRoot, slot, kDepth), seL4_RevokeFirst);
  t.expect_eq("the slot after the refused Get", seL4_DebugCapIdentify(slot), seL4_CapTag_Null);
  if (ok(t, "Get of IRQ 160", seL4_IRQControl_Get(seL4_CapIRQControl, 160, kRoot, slot, kDepth),
         seL4_RangeError)) {
    t.expect(seL4_GetMR(0) == 0 && seL4_GetMR(1) == 159, "range [%lu, %lu], expected [0, 159]", seL4_GetMR(0),
             seL4_GetMR(1));
  }
  ok(t, "Get into an occupied slot",
     seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, seL4_CapInitThreadTCB, kDepth),
     seL4_DeleteFirst);
  ok(t, "Get of the UART IRQ, still free",
     seL4_IRQControl_Get(seL4_CapIRQControl, pl011::kIrq, kRoot, slot, kDepth));
  ok(t, "Delete it", seL4_CNode_Delete(kRoot, slot, kDepth));
}

const TestCase kCases[] = {
    {"IRQD0001 a driver thread blocked in Wait gets each UART TX interrupt as a signal with the handler's "
     "badge",
     driver_thread_gets_each_interrupt},
    {"IRQD0002 a delivered IRQ stays masked until IRQHandler_Ack: a second device event signals only after "
     "Ack",
     masked_until_ack},
    {"IRQD0003 IRQHandler_Clear stops delivery; the IRQ is still masked when it fires unbound",
     clear_stops_delivery},
    {"IRQD0004 SetNotification replaces the binding: signals carry the new cap's badge; it needs CanSend",
     rebinding_changes_the_badge},
    {"IRQD0005 deleting the last IRQHandler cap unbinds and masks the IRQ and frees it for IRQControl_Get",
     deleting_the_handler_frees_the_irq},
    {"IRQD0006 IRQControl_Get refuses the kernel timer IRQ 27 (RevokeFirst), IRQ 160 and an occupied slot",
     get_refuses_the_timer_and_bad_irqs},
};

}  // namespace

Suite irqdev_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
