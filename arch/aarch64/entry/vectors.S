// Exception vectors, the save path from EL0 into ks.cur_thread->context, the restore path,
// the idle loop, and the kernel stacks. Offsets follow arch/aarch64/include/keel/arch/user_context.h.

// UserContext byte offsets (regs[i] at 8 * i). The FPU state is not saved here: it moves only
// when another thread is switched to (kernel/core/fpu.h).
.equ CTX_X30, 240
.equ CTX_SP_EL0, 248
.equ CTX_ELR, 256
.equ CTX_SPSR, 264
.equ CTX_FAULT_IP, 272
.equ CTX_TPIDR, 280

.equ KERNEL_STACK_SIZE, 16384
.equ EMERGENCY_STACK_SIZE, 4096

// Kernel-exception kinds passed to keel_arch_handle_el1_exception.
.equ KIND_SYNC, 0
.equ KIND_IRQ, 1
.equ KIND_FIQ, 2
.equ KIND_SERROR, 3
.equ KIND_SP0, 4
.equ KIND_AARCH32, 5
.equ KIND_EL0_FIQ, 6
.equ KIND_EL0_SERROR, 7

.macro vector target
  .balign 0x80
  b \target
.endm

.macro bad_vector kind
  .balign 0x80
  mov x0, #\kind
  b el1_bad
.endm

.section .text.vectors, "ax"
.balign 2048
.global keel_vectors
keel_vectors:
  bad_vector KIND_SP0          // current EL, SP_EL0
  bad_vector KIND_SP0
  bad_vector KIND_SP0
  bad_vector KIND_SP0
  bad_vector KIND_SYNC         // current EL, SP_ELx: a kernel bug
  vector el1_irq
  bad_vector KIND_FIQ
  bad_vector KIND_SERROR
  vector el0_sync              // lower EL, AArch64
  vector el0_irq
  bad_vector KIND_EL0_FIQ
  bad_vector KIND_EL0_SERROR
  bad_vector KIND_AARCH32      // lower EL, AArch32 (never enabled)
  bad_vector KIND_AARCH32
  bad_vector KIND_AARCH32
  bad_vector KIND_AARCH32

.text

// Entered from EL0 with SP_EL1 = top of the kernel stack and TPIDR_EL1 = &cur_thread->context.
.macro save_user
  stp x0, x1, [sp, #-16]!
  mrs x0, tpidr_el1
  stp x2, x3, [x0, #16]
  stp x4, x5, [x0, #32]
  stp x6, x7, [x0, #48]
  stp x8, x9, [x0, #64]
  stp x10, x11, [x0, #80]
  stp x12, x13, [x0, #96]
  stp x14, x15, [x0, #112]
  stp x16, x17, [x0, #128]
  stp x18, x19, [x0, #144]
  stp x20, x21, [x0, #160]
  stp x22, x23, [x0, #176]
  stp x24, x25, [x0, #192]
  stp x26, x27, [x0, #208]
  stp x28, x29, [x0, #224]
  mrs x2, sp_el0
  stp x30, x2, [x0, #CTX_X30]
  mrs x2, elr_el1
  mrs x3, spsr_el1
  stp x2, x3, [x0, #CTX_ELR]
  str x2, [x0, #CTX_FAULT_IP]
  mrs x2, tpidr_el0
  mrs x3, tpidrro_el0
  stp x2, x3, [x0, #CTX_TPIDR]
  ldp x2, x3, [sp], #16
  stp x2, x3, [x0]
.endm

el0_sync:
  save_user
  mrs x0, esr_el1
  mrs x1, far_el1
  bl keel_arch_handle_el0_sync
  b .

el0_irq:
  save_user
  bl keel_arch_handle_el0_irq
  b .

// An IRQ at EL1 is only expected while idling; anything else is a kernel bug.
el1_irq:
  stp x0, x1, [sp, #-16]!
  mrs x0, elr_el1
  adr x1, keel_arch_idle
  cmp x0, x1
  b.lo 1f
  adr x1, keel_arch_idle_end
  cmp x0, x1
  b.hs 1f
  adrp x0, keel_kernel_stack_top
  add x0, x0, :lo12:keel_kernel_stack_top
  mov sp, x0
  bl keel_arch_handle_idle_irq
  b .
1:
  ldp x0, x1, [sp], #16
  mov x0, #KIND_IRQ
  // fall through

// Reports on a stack of its own, since the kernel stack may be what went wrong.
el1_bad:
  mrs x1, esr_el1
  mrs x2, elr_el1
  mrs x3, far_el1
  mrs x4, spsr_el1
  mov x5, sp
  adrp x6, keel_emergency_stack_top
  add x6, x6, :lo12:keel_emergency_stack_top
  mov sp, x6
  bl keel_arch_handle_el1_exception
  b .

// keel_arch_restore_context(UserContext* ctx): resumes ctx at EL0. The SPSR keeps only the
// condition flags; the mode is always EL0t with FIQ masked.
.global keel_arch_restore_context
.type keel_arch_restore_context, %function
keel_arch_restore_context:
  adrp x1, keel_kernel_stack_top
  add x1, x1, :lo12:keel_kernel_stack_top
  mov sp, x1
  msr tpidr_el1, x0
  ldp x2, x3, [x0, #CTX_SP_EL0]
  msr sp_el0, x2
  msr elr_el1, x3
  ldr x2, [x0, #CTX_SPSR]
  and x2, x2, #0xf0000000
  orr x2, x2, #0x40
  msr spsr_el1, x2
  ldp x2, x3, [x0, #CTX_TPIDR]
  msr tpidr_el0, x2
  msr tpidrro_el0, x3
  ldp x2, x3, [x0, #16]
  ldp x4, x5, [x0, #32]
  ldp x6, x7, [x0, #48]
  ldp x8, x9, [x0, #64]
  ldp x10, x11, [x0, #80]
  ldp x12, x13, [x0, #96]
  ldp x14, x15, [x0, #112]
  ldp x16, x17, [x0, #128]
  ldp x18, x19, [x0, #144]
  ldp x20, x21, [x0, #160]
  ldp x22, x23, [x0, #176]
  ldp x24, x25, [x0, #192]
  ldp x26, x27, [x0, #208]
  ldp x28, x29, [x0, #224]
  ldr x30, [x0, #CTX_X30]
  ldp x0, x1, [x0]
  eret
.size keel_arch_restore_context, . - keel_arch_restore_context

// Nothing to run: wait for an interrupt on a fresh stack (el1_irq recognises this range).
.global keel_arch_idle
.type keel_arch_idle, %function
keel_arch_idle:
  adrp x0, keel_kernel_stack_top
  add x0, x0, :lo12:keel_kernel_stack_top
  mov sp, x0
  msr daifclr, #2
1:
  wfi
  b 1b
keel_arch_idle_end:
.size keel_arch_idle, . - keel_arch_idle

.bss
.balign 16
.global keel_kernel_stack_bottom
keel_kernel_stack_bottom:
  .space KERNEL_STACK_SIZE
.global keel_kernel_stack_top
keel_kernel_stack_top:
  .space EMERGENCY_STACK_SIZE
.global keel_emergency_stack_top
keel_emergency_stack_top:
