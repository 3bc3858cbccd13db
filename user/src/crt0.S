// Root task entry: clear .bss, switch to the static stack, set up TLS, hand the bootinfo pointer to C.
// The kernel starts the root task with x0 = bootinfo vaddr and every other register zero,
// including SP_EL0, so nothing here may touch memory through sp before it is set.

    .section .text._start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    mov     x19, x0                         // keep the bootinfo pointer across the loop
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2                          // the linker script aligns both ends to 16
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  adrp    x1, keel_stack_top
    add     x1, x1, :lo12:keel_stack_top
    mov     sp, x1
    mov     x29, #0                         // terminate frame-pointer chains
    mov     x30, #0
    // Thread-local variables (the IPC buffer pointer among them) need TPIDR_EL0 before any C
    // code touches one; the compiler may read TPIDR_EL0 early, so set it here, not in C.
    adrp    x0, __keel_root_tls
    add     x0, x0, :lo12:__keel_root_tls
    bl      keel_tls_init
    msr     tpidr_el0, x0
    mov     x0, x19
    bl      keel_root_start
3:  b       3b                              // keel_root_start never returns
    .size _start, . - _start

    // 64 KiB stack in .bss: zeroed by the loop above before it is first used.
    .section .bss.keel_stack, "aw", %nobits
    .balign 16
keel_stack_bottom:
    .space  65536
    .global keel_stack_top
keel_stack_top:
