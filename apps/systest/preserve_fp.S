// systest_clobbered_fp_registers(sysno, x0_arg): which FP/SIMD state a system call failed to preserve.
// The FP/SIMD registers, FPSR and FPCR belong to the thread and must come back unchanged from any
// syscall. Each vn gets a distinct 128-bit pattern; the result has bit n set if vn changed, bit
// 32 if FPSR changed, bit 33 if FPCR changed. The root task is built general-regs-only, so this
// file enables FP/SIMD for the assembler itself.

    .arch_extension fp
    .arch_extension simd

    .macro lo_pattern reg, n
    movz    \reg, #(0x0200 + \n)
    movk    \reg, #0xf00d, lsl #48
    .endm

    .macro vpattern n
    lo_pattern x1, \n
    fmov    d\n, x1
    mvn     x2, x1
    mov     v\n\().d[1], x2
    .endm

    // x0 |= (vn != pattern(n)) << n, using x1..x5 as scratch.
    .macro vcheck n
    lo_pattern x1, \n
    fmov    x2, d\n
    cmp     x2, x1
    cset    x3, ne
    mvn     x1, x1
    mov     x2, v\n\().d[1]
    cmp     x2, x1
    cset    x4, ne
    orr     x3, x3, x4
    orr     x0, x0, x3, lsl #\n
    .endm

    .set FPSR_PATTERN, 0x0800009f           // QC, IDC, IXC, UFC, OFC, DZC, IOC
    .set FPCR_PATTERN, 0x03c00000           // DN, FZ, round towards zero

    .text
    .global systest_clobbered_fp_registers
    .type systest_clobbered_fp_registers, %function
systest_clobbered_fp_registers:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     d8, d9, [sp, #32]               // callee-saved halves of v8..v15 (AAPCS64)
    stp     d10, d11, [sp, #48]
    stp     d12, d13, [sp, #64]
    stp     d14, d15, [sp, #80]
    mrs     x19, fpcr
    mrs     x20, fpsr
    mov     x7, x0
    mov     x0, x1
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    vpattern \n
    .endr
    ldr     x1, =FPSR_PATTERN
    msr     fpsr, x1
    ldr     x1, =FPCR_PATTERN
    msr     fpcr, x1
    mov     x1, #0
    mov     x2, #0
    mov     x3, #0
    mov     x4, #0
    mov     x5, #0
    svc     #0
    mov     x0, #0
    mrs     x2, fpsr
    ldr     x1, =FPSR_PATTERN
    cmp     x2, x1
    cset    x3, ne
    orr     x0, x0, x3, lsl #32
    mrs     x2, fpcr
    ldr     x1, =FPCR_PATTERN
    cmp     x2, x1
    cset    x3, ne
    orr     x0, x0, x3, lsl #33
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    vcheck \n
    .endr
    msr     fpcr, x19
    msr     fpsr, x20
    ldp     d8, d9, [sp, #32]
    ldp     d10, d11, [sp, #48]
    ldp     d12, d13, [sp, #64]
    ldp     d14, d15, [sp, #80]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #96
    ret
    .ltorg
    .size systest_clobbered_fp_registers, . - systest_clobbered_fp_registers
