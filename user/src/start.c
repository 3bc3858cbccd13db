/* C half of the root-task start-up: IPC buffer, constructors, main, halt. */
#include <keel/runtime.h>
#include <sel4/sel4.h>

__thread seL4_IPCBuffer* __sel4_ipc_buffer;

static seL4_BootInfo* boot_info;

typedef void (*keel_init_fn)(void);
extern keel_init_fn __init_array_start[];
extern keel_init_fn __init_array_end[];

__attribute__((noreturn)) void keel_root_start(seL4_BootInfo* bi);

seL4_BootInfo* keel_bootinfo(void) { return boot_info; }

void keel_halt(void) {
  seL4_DebugHalt();
  /* A kernel without a debug halt returns here; spinning is the only safe thing left. */
  for (;;) {
    seL4_Yield();
  }
}

void keel_root_start(seL4_BootInfo* bi) {
  boot_info = bi;
  seL4_SetIPCBuffer(bi->ipcBuffer);
  /* C++ root tasks may have static constructors; the kernel does not run them. */
  for (keel_init_fn* fn = __init_array_start; fn != __init_array_end; ++fn) {
    (*fn)();
  }
  (void)main(bi);
  keel_halt();
}
