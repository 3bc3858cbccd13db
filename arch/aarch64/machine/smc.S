// keel_arch_smc / keel_arch_hvc(in, out): x0..x17 from *in, call the monitor (or hypervisor),
// x0..x17 to *out. SMCCC preserves x18..x30 and SP, so x19 can carry `out` across the call.

.macro monitor_call insn
  stp x19, x30, [sp, #-16]!
  mov x19, x1
  ldp x2, x3, [x0, #16]
  ldp x4, x5, [x0, #32]
  ldp x6, x7, [x0, #48]
  ldp x8, x9, [x0, #64]
  ldp x10, x11, [x0, #80]
  ldp x12, x13, [x0, #96]
  ldp x14, x15, [x0, #112]
  ldp x16, x17, [x0, #128]
  ldp x0, x1, [x0]
  \insn #0
  stp x0, x1, [x19]
  stp x2, x3, [x19, #16]
  stp x4, x5, [x19, #32]
  stp x6, x7, [x19, #48]
  stp x8, x9, [x19, #64]
  stp x10, x11, [x19, #80]
  stp x12, x13, [x19, #96]
  stp x14, x15, [x19, #112]
  stp x16, x17, [x19, #128]
  ldp x19, x30, [sp], #16
  ret
.endm

.text
.global keel_arch_smc
.type keel_arch_smc, %function
keel_arch_smc:
  monitor_call smc
.size keel_arch_smc, . - keel_arch_smc

.global keel_arch_hvc
.type keel_arch_hvc, %function
keel_arch_hvc:
  monitor_call hvc
.size keel_arch_hvc, . - keel_arch_hvc
