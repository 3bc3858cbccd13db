// systest_clobbered_registers(sysno, x0_arg): which registers a system call failed to preserve.
// Every register the seL4 AArch64 ABI says a syscall leaves alone (x6, x8..x30, sp, NZCV) gets
// a distinct pattern, the call is made with x0 = x0_arg and x1..x5 = 0, and the result is a
// bitmask: bit n set if xn changed, bit 31 if sp changed, bit 32 if NZCV changed. x0..x5 are
// outputs of the syscall and free to change.

    .macro pattern reg, n
    movz    \reg, #(0x0100 + \n)
    movk    \reg, #0x5eed, lsl #48
    .endm

    // x0 |= (\reg != pattern(\n)) << \n, using x1/x2 as scratch.
    .macro check reg, n
    pattern x1, \n
    cmp     \reg, x1
    cset    x2, ne
    orr     x0, x0, x2, lsl #\n
    .endm

    .text
    .global systest_clobbered_registers
    .type systest_clobbered_registers, %function
systest_clobbered_registers:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    mov     x7, x0
    mov     x0, x1
    mov     x2, sp
    adrp    x3, saved_sp
    str     x2, [x3, :lo12:saved_sp]
    pattern x6, 6
    pattern x8, 8
    pattern x9, 9
    pattern x10, 10
    pattern x11, 11
    pattern x12, 12
    pattern x13, 13
    pattern x14, 14
    pattern x15, 15
    pattern x16, 16
    pattern x17, 17
    pattern x18, 18
    pattern x19, 19
    pattern x20, 20
    pattern x21, 21
    pattern x22, 22
    pattern x23, 23
    pattern x24, 24
    pattern x25, 25
    pattern x26, 26
    pattern x27, 27
    pattern x28, 28
    pattern x29, 29
    pattern x30, 30
    movz    x1, #0xa000, lsl #16            // N and C set: a flag state a stray cmp would change
    msr     nzcv, x1
    mov     x1, #0
    mov     x2, #0
    mov     x3, #0
    mov     x4, #0
    mov     x5, #0
    svc     #0
    mrs     x3, nzcv                        // read the flags before any compare below
    mov     x0, #0
    movz    x1, #0xa000, lsl #16
    cmp     x3, x1
    cset    x2, ne
    orr     x0, x0, x2, lsl #32
    adrp    x3, saved_sp
    ldr     x1, [x3, :lo12:saved_sp]
    mov     x4, sp
    cmp     x4, x1
    cset    x2, ne
    orr     x0, x0, x2, lsl #31
    check   x6, 6
    check   x8, 8
    check   x9, 9
    check   x10, 10
    check   x11, 11
    check   x12, 12
    check   x13, 13
    check   x14, 14
    check   x15, 15
    check   x16, 16
    check   x17, 17
    check   x18, 18
    check   x19, 19
    check   x20, 20
    check   x21, 21
    check   x22, 22
    check   x23, 23
    check   x24, 24
    check   x25, 25
    check   x26, 26
    check   x27, 27
    check   x28, 28
    check   x29, 29
    check   x30, 30
    // Unwind from the sp we saved, so a kernel that changed sp is reported rather than fatal.
    adrp    x3, saved_sp
    ldr     x1, [x3, :lo12:saved_sp]
    mov     sp, x1
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret
    .size systest_clobbered_registers, . - systest_clobbered_registers

    .bss
    .balign 8
saved_sp:
    .space  8
