// Smoke root task: proves the boot chain end to end. Test 1: it runs at EL0 and
// seL4_DebugPutChar (x7 = -9, one character per `svc #0`) reaches the kernel console. Test 2:
// FP/SIMD registers, FPCR and TPIDR_EL0 survive those syscalls. Ends with seL4_DebugHalt (-11).
.arch_extension fp
.arch_extension simd

.equ FPCR_TEST, 0x01c00000       // FZ and RMode = towards zero: anything but the reset value
.equ TLS_TEST, 0x1122334455667788

.section .text.start, "ax"
.global _start
.type _start, %function
_start:
  adr x19, msg_hello
  bl print

  adr x1, pattern
  ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64
  ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x1], #64
  ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x1], #64
  ld1 {v12.16b, v13.16b, v14.16b, v15.16b}, [x1], #64
  ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x1], #64
  ld1 {v20.16b, v21.16b, v22.16b, v23.16b}, [x1], #64
  ld1 {v24.16b, v25.16b, v26.16b, v27.16b}, [x1], #64
  ld1 {v28.16b, v29.16b, v30.16b, v31.16b}, [x1], #64
  ldr x2, =TLS_TEST
  msr tpidr_el0, x2
  mov x2, #FPCR_TEST
  msr fpcr, x2

  adr x19, msg_checking
  bl print

  adr x1, pattern
  .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  ldp x2, x3, [x1], #16
  mov x4, v\i\().d[0]
  mov x5, v\i\().d[1]
  cmp x2, x4
  b.ne fail
  cmp x3, x5
  b.ne fail
  .endr
  mrs x2, tpidr_el0
  ldr x3, =TLS_TEST
  cmp x2, x3
  b.ne fail
  mrs x2, fpcr
  mov x3, #FPCR_TEST
  cmp x2, x3
  b.ne fail
  adr x19, msg_pass
  bl print
  b halt
fail:
  adr x19, msg_fail
  bl print
halt:
  mov x7, #-11
  svc #0
  b halt
.size _start, . - _start

// print(x19 = NUL-terminated string): one DebugPutChar per character; clobbers x0, x7, x19.
print:
  ldrb w0, [x19], #1
  cbz w0, 1f
  mov x7, #-9
  svc #0
  b print
1:
  ret

.section .rodata
.balign 16
pattern:                        // 512 distinct-ish bytes, one q register per 16
  .set n, 0
  .rept 512
  .byte (n * 37 + 11) & 0xff
  .set n, n + 1
  .endr
msg_hello:
  .asciz "smoke: PASS the root task runs at EL0 and its syscalls reach the kernel\n"
msg_checking:
  .asciz "smoke: checking FP/SIMD, FPCR and TPIDR_EL0 across syscalls\n"
msg_pass:
  .asciz "smoke: PASS FP/SIMD, FPCR and TPIDR_EL0 survive syscalls\nsmoke: 2 passed, 0 failed\n"
msg_fail:
  .asciz "smoke: FAIL FP/SIMD, FPCR or TPIDR_EL0 changed across a syscall\nsmoke: 1 passed, 1 failed\n"
