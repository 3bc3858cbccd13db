// The root task's console and halt on a release kernel, which has no debug syscalls: the root
// task drives the PL011 itself through the UART's device frame, mapped before main over a page
// of its own .bss (whose page table already exists, so no RAM untyped is touched).
#include <keel/pl011.hpp>

#include "console.h"

#ifndef KEEL_CONSOLE_SMC_OFF
#define KEEL_CONSOLE_SMC_OFF 0  // the QEMU machine answers SMCs (virtualization=on)
#endif

extern "C" char __image_start[];

namespace {

// Slots the console takes off the top of bootinfo's empty range: the device untyped's halves
// (at most two per level, see pl011::Maker::device_frame) and the frame.
constexpr seL4_Word kConsoleSlots = 32;
constexpr seL4_Word kPageSize = seL4_Word{1} << seL4_PageBits;

// The page the UART frame replaces: a whole page of .bss that nothing else uses.
alignas(kPageSize) char uart_page[kPageSize];

// Plain words, not a pl011::Regs: a global constructor would run after keel_console_init.
seL4_CPtr uart_frame = 0;
seL4_Word uart_va = 0;

// Swaps the image frame mapped at `va` for `frame` (device memory, execute-never).
bool map_over_image_page(const seL4_BootInfo* bi, seL4_CPtr frame, seL4_Word va) {
  const seL4_Word image_start = reinterpret_cast<seL4_Word>(__image_start) & ~(kPageSize - 1);
  const seL4_CPtr image_frame = bi->userImageFrames.start + (va - image_start) / kPageSize;
  if (image_frame >= bi->userImageFrames.end || seL4_ARM_Page_Unmap(image_frame) != seL4_NoError)
    return false;
  return seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, va, seL4_ReadWrite, seL4_ARM_ExecuteNever) ==
         seL4_NoError;
}

}  // namespace

extern "C" {

int keel_debug_kernel(void) { return 0; }

seL4_Word keel_console_frame(void) { return uart_frame; }

// Without a console nothing can be said, so a failure here leaves printf silent (the run then
// fails on its missing output) rather than faulting.
void keel_console_init(seL4_BootInfo* bi) {
  if (bi->empty.end - bi->empty.start < kConsoleSlots) return;
  bi->empty.end -= kConsoleSlots;
  pl011::Maker maker(bi->empty.end);
  seL4_CPtr parent = 0;
  const seL4_CPtr frame = maker.device_frame(bi, pl011::kPaddr, &parent);
  const auto va = reinterpret_cast<seL4_Word>(uart_page);
  if (frame == 0 || !map_over_image_page(bi, frame, va)) return;
  uart_frame = frame;
  uart_va = va;
}

void keel_console_putchar(char c) {
  if (uart_va != 0) pl011::Regs(uart_va).put(c);
}

// PSCI SYSTEM_OFF through the master SMC cap (badge 0: any function ID), where the machine has
// an SMC conduit; otherwise, or if the call comes back, the root thread stops for good.
void keel_console_power_off(void) {
  if constexpr (KEEL_CONSOLE_SMC_OFF != 0) {
    seL4_ARM_SMCContext args = {}, out = {};
    args.x0 = 0x84000008;  // PSCI SYSTEM_OFF, SMC32 fast call
    (void)seL4_ARM_SMC_Call(seL4_CapSMC, &args, &out);
  }
  (void)seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}

}  // extern "C"
