// Kernel ELF entry, called by the loader (keel's or seL4's) as a function with x0..x5 set:
// mask interrupts, clear .bss, move to the kernel's own stack, continue in C++.
.section .text.start, "ax"
.global _start
.type _start, %function
_start:
  msr daifset, #0xf
  adrp x9, __bss_start
  add x9, x9, :lo12:__bss_start
  adrp x10, __bss_end
  add x10, x10, :lo12:__bss_end
1:
  cmp x9, x10
  b.hs 2f
  stp xzr, xzr, [x9], #16
  b 1b
2:
  adrp x9, keel_kernel_stack_top
  add x9, x9, :lo12:keel_kernel_stack_top
  mov sp, x9
  mov x29, #0
  mov x30, #0
  bl keel_platform_boot
  b .
.size _start, . - _start
