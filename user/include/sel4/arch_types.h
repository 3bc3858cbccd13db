/* AArch64 types of the seL4 ABI: typed CPtr names, seL4_UserContext, seL4_ARM_SMCContext, VM attributes
 * (reference sections 6, 8). */
#pragma once

#include <sel4/simple_types.h>

/* Typed capability names: all are CPtrs, the names document what the cap must be. */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;
typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_VCPU;
typedef seL4_CPtr seL4_ARM_IOSpace;
typedef seL4_CPtr seL4_ARM_IOPageTable;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_SGI_Signal;
typedef seL4_CPtr seL4_ARM_SIDControl;
typedef seL4_CPtr seL4_ARM_SID;
typedef seL4_CPtr seL4_ARM_CBControl;
typedef seL4_CPtr seL4_ARM_CB;

/* The register set of TCB_ReadRegisters/WriteRegisters, in message order. */
typedef struct seL4_UserContext_ {
  seL4_Word pc, sp, spsr;
  seL4_Word x0, x1, x2, x3, x4, x5, x6, x7, x8;
  seL4_Word x16, x17, x18;
  seL4_Word x29, x30;
  seL4_Word x9, x10, x11, x12, x13, x14, x15;
  seL4_Word x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
  seL4_Word tpidr_el0, tpidrro_el0;
} seL4_UserContext;

/* x0..x7 of one SMC, in and out (seL4_ARM_SMC_Call). */
typedef struct seL4_ARM_SMCContext_ {
  seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;

typedef enum {
  seL4_ARM_PageCacheable = 0x01,
  seL4_ARM_ParityEnabled = 0x02,
  seL4_ARM_Default_VMAttributes = 0x03,
  seL4_ARM_ExecuteNever = 0x04
} seL4_ARM_VMAttributes;

typedef enum { seL4_ARM_CacheI = 1, seL4_ARM_CacheD = 2, seL4_ARM_CacheID = 3 } seL4_ARM_CacheType;
