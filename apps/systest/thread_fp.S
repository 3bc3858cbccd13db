// FP/SIMD work for the thread tests (thread_tests.cc, THRD0013, THRD0014). The root task is built
// general-regs-only, so FP/SIMD code lives here, with the extensions enabled for the assembler.

    .arch_extension fp
    .arch_extension simd

// seL4_Word systest_fp_churn(seL4_Word seed, int (*more)(void*), void* ctx, seL4_Word out[67])
// Gives this thread FP state of its own, then adds 1.0 to both lanes of v0..v30 once per round
// until more(ctx) returns 0; every value stays an exact integer, so the result is known:
//   lane 0 of vn = seed*64 + n + rounds, lane 1 = seed*64 + 32 + n + rounds (n < 31), v31 = 1.0.
// FPCR gets RMode = seed & 3 and FPSR the sticky flags (seed + 1) & 0x1f | IDC; the exact adds
// raise no flag, so both must read back as set. more() is general-regs-only C: it leaves every
// FP/SIMD register alone, so all 32 stay live across it and across any preemption.
// out[2n], out[2n+1] = the lanes of vn converted back to integers, out[64] = FPCR, out[65] =
// FPSR, out[66] = rounds. Returns rounds.
    .text
    .global systest_fp_churn
    .type systest_fp_churn, %function
systest_fp_churn:
    stp     x29, x30, [sp, #-128]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     d8, d9, [sp, #64]               // callee-saved halves of v8..v15 (AAPCS64)
    stp     d10, d11, [sp, #80]
    stp     d12, d13, [sp, #96]
    stp     d14, d15, [sp, #112]
    mov     x19, x0
    mov     x20, x1
    mov     x21, x2
    mov     x22, x3
    mov     x23, #0
    and     x1, x19, #3
    lsl     x1, x1, #22
    msr     fpcr, x1
    add     x1, x19, #1
    and     x1, x1, #0x1f
    orr     x1, x1, #0x80
    msr     fpsr, x1
    lsl     x24, x19, #6
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    add     x1, x24, #(32 + \n)
    scvtf   d31, x1
    add     x1, x24, #\n
    scvtf   d\n, x1
    mov     v\n\().d[1], v31.d[0]
    .endr
    fmov    v31.2d, #1.0
1:  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    fadd    v\n\().2d, v\n\().2d, v31.2d
    .endr
    add     x23, x23, #1
    mov     x0, x21
    blr     x20
    cbnz    x0, 1b
    mrs     x1, fpcr
    str     x1, [x22, #512]
    mrs     x1, fpsr
    str     x1, [x22, #520]
    str     x23, [x22, #528]
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fcvtzs  v\n\().2d, v\n\().2d
    .endr
    st1     {v0.2d, v1.2d, v2.2d, v3.2d}, [x22], #64
    st1     {v4.2d, v5.2d, v6.2d, v7.2d}, [x22], #64
    st1     {v8.2d, v9.2d, v10.2d, v11.2d}, [x22], #64
    st1     {v12.2d, v13.2d, v14.2d, v15.2d}, [x22], #64
    st1     {v16.2d, v17.2d, v18.2d, v19.2d}, [x22], #64
    st1     {v20.2d, v21.2d, v22.2d, v23.2d}, [x22], #64
    st1     {v24.2d, v25.2d, v26.2d, v27.2d}, [x22], #64
    st1     {v28.2d, v29.2d, v30.2d, v31.2d}, [x22], #64
    mov     x0, x23
    ldp     d14, d15, [sp, #112]
    ldp     d12, d13, [sp, #96]
    ldp     d10, d11, [sp, #80]
    ldp     d8, d9, [sp, #64]
    ldp     x23, x24, [sp, #48]
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #128
    ret
    .size systest_fp_churn, . - systest_fp_churn

// void systest_fp_touch(void): one FP/SIMD instruction, for a thread whose FPU is disabled.
    .global systest_fp_touch
    .type systest_fp_touch, %function
systest_fp_touch:
    fmov    d0, xzr
    ret
    .size systest_fp_touch, . - systest_fp_touch
