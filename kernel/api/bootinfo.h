// seL4_BootInfo as the kernel writes it into the root task's bootinfo frame (reference §3).
#pragma once

#include "kernel/config/config.h"
#include "kernel/lib/types.h"

namespace keel {

// Fixed slots of the root CNode (seL4_CapNull .. seL4_CapSMC).
enum InitialSlot : word_t {
  kCapNull = 0,
  kCapInitThreadTCB = 1,
  kCapInitThreadCNode = 2,
  kCapInitThreadVSpace = 3,
  kCapIRQControl = 4,
  kCapASIDControl = 5,
  kCapInitThreadASIDPool = 6,
  kCapIOPortControl = 7,
  kCapIOSpace = 8,
  kCapBootInfoFrame = 9,
  kCapInitThreadIPCBuffer = 10,
  kCapDomain = 11,
  kCapSMMUSIDControl = 12,
  kCapSMMUCBControl = 13,
  kCapInitThreadSC = 14,
  kCapSMC = 15,
  kNumInitialCaps = 16,
};

struct SlotRegion {
  word_t start;  // first slot
  word_t end;    // first slot after the region
};

struct UntypedDesc {
  paddr_t paddr;
  uint8_t size_bits;
  uint8_t is_device;
  uint8_t padding[6];
};

struct BootInfo {
  word_t extra_len;
  word_t node_id;
  word_t num_nodes;
  word_t num_iopt_levels;
  vaddr_t ipc_buffer;
  SlotRegion empty;
  SlotRegion shared_frames;
  SlotRegion user_image_frames;
  SlotRegion user_image_paging;
  SlotRegion io_space_caps;
  SlotRegion extra_bi_pages;
  word_t init_thread_cnode_size_bits;
  word_t init_thread_domain;
  SlotRegion untyped;
  UntypedDesc untyped_list[config::kMaxNumBootinfoUntypedCaps];
};
static_assert(sizeof(BootInfo) == 3848, "seL4_BootInfo size");
static_assert(offsetof(BootInfo, untyped) == 152 && offsetof(BootInfo, untyped_list) == 168);

struct BootInfoHeader {
  word_t id;
  word_t len;  // includes this header
};
inline constexpr word_t kBootInfoHeaderFdt = 6;

}  // namespace keel
