// Loader entry (QEMU -kernel or U-Boot's booti jumps here at EL2 with virtualization=on, else
// EL1): drop to EL1 the way seL4's loader does, set up a stack, clear .bss and continue in C++.
.section .text.start, "ax"

// The arm64 Linux Image header (Documentation/arch/arm64/booting.rst), so that the raw binary
// (mkimage.py --format bin) boots with U-Boot's `booti` like a board's kernel. Flags 0:
// little-endian, page size unspecified, and bit 3 clear so booti moves the image to the 2 MiB
// aligned start of RAM plus text_offset: the address the loader is linked for (loader.ld).
// QEMU's -kernel starts the ELF at _start, past the header.
.global _head
_head:
  b _start                     // code0: booti jumps to the image's first byte
  .long 0                      // code1
  .quad __loader_text_offset   // text_offset from the start of RAM
  .quad __loader_image_size    // image_size, .bss included
  .quad 0                      // flags
  .quad 0, 0, 0                // res2..res4
  .ascii "ARM\x64"             // magic
  .long 0                      // res5 (no PE/COFF header)

.global _start
.type _start, %function
_start:
  msr daifset, #0xf
  mov x19, x0                  // QEMU or U-Boot may pass a DTB address here
  mrs x9, CurrentEL
  lsr x20, x9, #2              // the EL QEMU started us at, for the log
  cmp x20, #2
  b.ne 1f
  bl drop_to_el1
1:
  adrp x9, loader_stack_top
  add x9, x9, :lo12:loader_stack_top
  mov sp, x9
  adrp x9, __bss_start
  add x9, x9, :lo12:__bss_start
  adrp x10, __bss_end
  add x10, x10, :lo12:__bss_end
2:
  cmp x9, x10
  b.hs 3f
  stp xzr, xzr, [x9], #16
  b 2b
3:
  mov x0, x19
  mov x1, x20
  bl loader_main
  b .
.size _start, . - _start

// EL2 -> EL1h: EL1 is AArch64 (HCR_EL2 = RW only, so SMCs are not trapped here), no FP or
// coprocessor traps, the EL1 physical timer and counter usable, stage 2 off.
.type drop_to_el1, %function
drop_to_el1:
  mov x9, #(1 << 31)
  msr hcr_el2, x9
  mov x9, #0x33ff
  msr cptr_el2, x9
  msr hstr_el2, xzr
  msr vttbr_el2, xzr
  mov x9, #3
  msr cnthctl_el2, x9
  msr cntvoff_el2, xzr
  mrs x9, midr_el1
  msr vpidr_el2, x9
  mrs x9, mpidr_el1
  msr vmpidr_el2, x9
  ldr x9, =0x30d00800          // SCTLR_EL1: MMU and caches off, RES1 bits
  msr sctlr_el1, x9
  mov x9, #0x3c5               // EL1h, DAIF masked
  msr spsr_el2, x9
  msr elr_el2, x30
  isb
  eret
.size drop_to_el1, . - drop_to_el1

// loader_enter_kernel(const KernelEntry* e): MMU on with the loader's tables, then call the
// kernel entry with x0..x5 (struct: ttbr0, ttbr1, mair, tcr, sctlr, entry, args[6]).
.text
.global loader_enter_kernel
.type loader_enter_kernel, %function
loader_enter_kernel:
  mov x19, x0
  ldp x9, x10, [x19, #0]
  msr ttbr0_el1, x9
  msr ttbr1_el1, x10
  ldp x9, x10, [x19, #16]
  msr mair_el1, x9
  msr tcr_el1, x10
  isb
  tlbi vmalle1
  ic iallu
  dsb sy
  isb
  ldr x9, [x19, #32]
  msr sctlr_el1, x9
  isb
  ldr x9, [x19, #40]
  ldp x0, x1, [x19, #48]
  ldp x2, x3, [x19, #64]
  ldp x4, x5, [x19, #80]
  blr x9
  b .
.size loader_enter_kernel, . - loader_enter_kernel

.bss
.balign 16
loader_stack:
  .space 16384
loader_stack_top:
