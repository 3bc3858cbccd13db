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
 * When it returns the runtime halts the machine (seL4_DebugHalt). */
int main(seL4_BootInfo* bi);

/* The bootinfo the kernel passed in x0, as crt0 saw it. */
seL4_BootInfo* keel_bootinfo(void);

/* Ends the root task: seL4_DebugHalt (power off on QEMU builds), never returns. */
__attribute__((noreturn)) void keel_halt(void);

/* Thread-local storage. A thread's TLS area is keel_tls_area_size() bytes, 16-byte aligned;
 * keel_tls_init lays out a fresh block there (initial values copied, the rest zeroed) and returns
 * the thread pointer to give the thread (TPIDR_EL0, through seL4_TCB_SetTLSBase). crt0 does this
 * for the root thread; keel::start_thread for the threads it starts. */
size_t keel_tls_area_size(void);
uintptr_t keel_tls_init(void* area);

/* Console output through seL4_DebugPutChar. Formats: %s %c %d %i %u %x %X %p %% with the l, ll
 * and z length modifiers, a width, the 0 and - flags. */
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
