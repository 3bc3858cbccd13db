/* seL4_BootInfo, the initial CSpace slots and extra bootinfo chunks (reference sections 3.1, 3.2, 3.4). */
#pragma once

#include <sel4/constants.h>
#include <sel4/shared_types.h>
#include <sel4/simple_types.h>

/* Fixed slots of the root task's CNode. */
enum seL4_RootCNodeCapSlots {
  seL4_CapNull = 0,
  seL4_CapInitThreadTCB = 1,
  seL4_CapInitThreadCNode = 2,
  seL4_CapInitThreadVSpace = 3,
  seL4_CapIRQControl = 4,
  seL4_CapASIDControl = 5,
  seL4_CapInitThreadASIDPool = 6,
  seL4_CapIOPortControl = 7,
  seL4_CapIOSpace = 8,
  seL4_CapBootInfoFrame = 9,
  seL4_CapInitThreadIPCBuffer = 10,
  seL4_CapDomain = 11,
  seL4_CapSMMUSIDControl = 12,
  seL4_CapSMMUCBControl = 13,
  seL4_CapInitThreadSC = 14,
  seL4_CapSMC = 15,
  seL4_NumInitialCaps = 16
};
#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace

/* A run of slots [start, end) in the root CNode. */
typedef struct seL4_SlotRegion {
  seL4_Word start;
  seL4_Word end;
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
  seL4_Word paddr;
  seL4_Uint8 sizeBits;
  seL4_Uint8 isDevice;
  seL4_Uint8 padding[6];
} seL4_UntypedDesc;

typedef struct seL4_BootInfo {
  seL4_Word extraLen;
  seL4_NodeId nodeID;
  seL4_Word numNodes;
  seL4_Word numIOPTLevels;
  seL4_IPCBuffer* ipcBuffer;
  seL4_SlotRegion empty;
  seL4_SlotRegion sharedFrames;
  seL4_SlotRegion userImageFrames;
  seL4_SlotRegion userImagePaging;
  seL4_SlotRegion ioSpaceCaps;
  seL4_SlotRegion extraBIPages;
  seL4_Word initThreadCNodeSizeBits;
  seL4_Domain initThreadDomain;
  seL4_SlotRegion untyped;
  seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;

/* Extra bootinfo starts one page after the bootinfo: a chain of these headers, each followed by
 * its payload; len counts the header too. */
typedef struct seL4_BootInfoHeader {
  seL4_Word id;
  seL4_Word len;
} seL4_BootInfoHeader;

#define SEL4_BOOTINFO_HEADER_PADDING 0
#define SEL4_BOOTINFO_HEADER_X86_VBE 1
#define SEL4_BOOTINFO_HEADER_X86_MBMMAP 2
#define SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP 3
#define SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER 4
#define SEL4_BOOTINFO_HEADER_X86_TSC_FREQ 5
#define SEL4_BOOTINFO_HEADER_FDT 6
#define SEL4_BOOTINFO_HEADER_NUM 7

SEL4_KEEL_ABI_ASSERT(sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize, "bootinfo fits its frame");
