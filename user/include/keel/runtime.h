/* keel's root-task runtime: entry contract, console output and the few C library routines a freestanding
 * program needs. */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <sel4/bootinfo_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The root task's entry point, called by crt0 once the stack, .bss and IPC buffer are set up.
 * When it returns the runtime halts the machine (keel_halt). */
int main(seL4_BootInfo* bi);

/* The bootinfo the kernel passed in x0, as crt0 saw it. */
seL4_BootInfo* keel_bootinfo(void);

/* Ends the root task, never returns. On a debug kernel: seL4_DebugHalt (the kernel powers off).
 * On a release kernel: PSCI SYSTEM_OFF through the master SMC cap where the build's QEMU machine
 * answers SMCs, else the root thread suspends itself. */
__attribute__((noreturn)) void keel_halt(void);

/* The kernel this root task was built for. 1: a debug kernel, console and halt through the debug
 * syscalls. 0: a release kernel (seL4 without KernelDebugBuild), where the debug syscalls are
 * unknown syscalls; the root task was linked with the release console (user/src/release_console.cc),
 * which prints by writing the PL011 itself through a device frame it maps before main. */
int keel_debug_kernel(void);
/* The release console's UART frame cap, 0 on a debug kernel. The console took its slots off the
 * top of bootinfo's empty range before main. */
seL4_Word keel_console_frame(void);

/* Thread-local storage. A thread's TLS area is keel_tls_area_size() bytes, 16-byte aligned;
 * keel_tls_init lays out a fresh block there (initial values copied, the rest zeroed) and returns
 * the thread pointer to give the thread (TPIDR_EL0, through seL4_TCB_SetTLSBase). crt0 does this
 * for the root thread; keel::start_thread for the threads it starts. */
size_t keel_tls_area_size(void);
uintptr_t keel_tls_init(void* area);

/* Console output (seL4_DebugPutChar, or the release console). Formats: %s %c %d %i %u %x %X %p %% with the l,
 * ll and z length modifiers, a width, the 0 and - flags. */
__attribute__((format(__printf__, 1, 2))) int printf(const char* fmt, ...);
int vprintf(const char* fmt, va_list ap);
__attribute__((format(__printf__, 3, 4))) int snprintf(char* buf, size_t size, const char* fmt, ...);
int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);
int putchar(int c);
int puts(const char* s);

void* memset(void* dst, int c, size_t n);
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);

#ifdef __cplusplus
}
#endif
