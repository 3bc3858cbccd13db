/* Object types for seL4_Untyped_Retype on non-hyp AArch64 (reference section 5.2). */
#pragma once

#include <sel4/simple_types.h>

typedef enum api_object {
  seL4_UntypedObject = 0,
  seL4_TCBObject = 1,
  seL4_EndpointObject = 2,
  seL4_NotificationObject = 3,
  seL4_CapTableObject = 4,
  seL4_NonArchObjectTypeCount = 5
} seL4_ObjectType;

typedef enum _mode_object {
  seL4_ARM_HugePageObject = seL4_NonArchObjectTypeCount,
  seL4_ARM_VSpaceObject = 6,
  seL4_ModeObjectTypeCount = 7
} seL4_ModeObjectType;

typedef enum _object {
  seL4_ARM_SmallPageObject = seL4_ModeObjectTypeCount,
  seL4_ARM_LargePageObject = 8,
  seL4_ARM_PageTableObject = 9,
  seL4_ObjectTypeCount = 10
} seL4_ArchObjectType;

/* Hyp-only and SMMU object types: defined so programs compile, always rejected by the kernel. */
#define seL4_ARM_VCPUObject 0xfffe
#define seL4_ARM_IOPageTableObject 0xffff
