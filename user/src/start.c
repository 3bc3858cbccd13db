/* C half of the root-task start-up: IPC buffer, constructors, main, halt. */
#include <keel/runtime.h>
#include <sel4/sel4.h>

#include "console.h"

__thread seL4_IPCBuffer* __sel4_ipc_buffer;

static seL4_BootInfo* boot_info;

typedef void (*keel_init_fn)(void);
extern keel_init_fn __init_array_start[];
extern keel_init_fn __init_array_end[];

__attribute__((noreturn)) void keel_root_start(seL4_BootInfo* bi);

seL4_BootInfo* keel_bootinfo(void) { return boot_info; }

/* The debug kernel's console and halt; release_console.cc overrides all of them at link time. */
__attribute__((weak)) int keel_debug_kernel(void) { return 1; }
__attribute__((weak)) seL4_Word keel_console_frame(void) { return 0; }
__attribute__((weak)) void keel_console_init(seL4_BootInfo* bi) { (void)bi; }
__attribute__((weak)) void keel_console_putchar(char c) { seL4_DebugPutChar(c); }
__attribute__((weak)) void keel_console_power_off(void) { seL4_DebugHalt(); }

void keel_halt(void) {
  keel_console_power_off();
  /* Only reached where nothing could end the machine: spinning is the only safe thing left. */
  for (;;) {
    seL4_Yield();
  }
}

void keel_root_start(seL4_BootInfo* bi) {
  boot_info = bi;
  seL4_SetIPCBuffer(bi->ipcBuffer);
  keel_console_init(bi);
  /* C++ root tasks may have static constructors; the kernel does not run them. */
  for (keel_init_fn* fn = __init_array_start; fn != __init_array_end; ++fn) {
    (*fn)();
  }
  (void)main(bi);
  keel_halt();
}
