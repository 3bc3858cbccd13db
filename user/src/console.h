/* The root task's console and halt: the debug-kernel versions are weak definitions in start.c; a
 * root task built for a release kernel links user/src/release_console.cc, whose strong
 * definitions replace them (keel_debug_kernel() then says 0). */
#pragma once

#include <sel4/sel4.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Before constructors and main: the release console maps the UART here. */
void keel_console_init(seL4_BootInfo* bi);
void keel_console_putchar(char c);
/* Ends the machine if this kernel lets the root task; returns if it cannot. */
void keel_console_power_off(void);

#ifdef __cplusplus
}
#endif
