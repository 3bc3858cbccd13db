// Generic boot: builds the root task exactly as seL4 lays it out (reference §3): root CNode,
// address space, bootinfo and IPC buffer frames, image frames, ASID pool, TCB, untypeds.
#include "kernel/core/boot.h"

#include <keel/arch/translation.h>

#include "kernel/api/bootinfo.h"
#include "kernel/cap/mdb.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/boot_memory.h"
#include "kernel/core/interrupt.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/print.h"
#include "kernel/lib/string.h"
#include "kernel/machine/machine.h"

namespace keel {

namespace {

constexpr word_t kPage = word_t{1} << kPageBits;
constexpr word_t kInitAsid = 1;
constexpr word_t kRootPriority = 255;

struct RootTask {
  BootMemory mem;
  Cte* cnode = nullptr;  // slot 0 of the root CNode
  word_t next_slot = kNumInitialCaps;
  paddr_t vspace = 0;
  BootInfo* bi = nullptr;
  MemRegion ui_v = {};  // user image, virtual
  vaddr_t ipc_buffer_v = 0, bi_frame_v = 0, extra_bi_v = 0;
  unsigned extra_bi_bits = 0;
  word_t extra_bi_size = 0;
};

// Boot caps have no MDB parent and are originals (seL4 write_slot).
void write_slot(Cte* slot, Cap cap) {
  slot->cap = cap;
  slot->mdb = MdbNode{};
  slot->mdb.set_revocable(true);
  slot->mdb.set_first_badged(true);
}

bool provide_cap(RootTask& rt, Cap cap) {
  if (rt.next_slot >= (word_t{1} << config::kRootCNodeSizeBits)) return false;
  write_slot(rt.cnode + rt.next_slot++, cap);
  return true;
}

paddr_t alloc_or_fail(RootTask& rt, unsigned bits, const char* what) {
  const paddr_t p = rt.mem.alloc(bits);
  if (p == 0) kprintf("keel: boot: out of memory for the %s\n", what);
  return p;
}

bool create_address_space(RootTask& rt, vaddr_t end) {
  rt.vspace = alloc_or_fail(rt, kVSpaceBits, "root VSpace");
  if (rt.vspace == 0) return false;
  rt.bi->user_image_paging.start = rt.next_slot;
  for (unsigned level = arch::kFirstTableLevel; level <= arch::kLastTableLevel; ++level) {
    const unsigned shift = arch::kTableSpanShift[level];
    for (vaddr_t v = round_down(rt.ui_v.start, shift); v < end; v += word_t{1} << shift) {
      const paddr_t pt = alloc_or_fail(rt, kPageTableBits, "root task page tables");
      if (pt == 0) return false;
      arch::boot_map_page_table(rt.vspace, pt, level, v);
      if (!provide_cap(rt, PageTableCap{PageTableCap::make(pt)}.with_mapping(kInitAsid, v))) return false;
    }
  }
  rt.bi->user_image_paging.end = rt.next_slot;
  write_slot(rt.cnode + kCapInitThreadVSpace,
             VSpaceCap{VSpaceCap::make(rt.vspace)}.with_mapping(kInitAsid, 0));
  return true;
}

Cap map_frame(RootTask& rt, paddr_t frame, vaddr_t v, bool executable) {
  arch::boot_map_frame(rt.vspace, frame, v, VmRights::ReadWrite, executable);
  const Cap cap = FrameCap::make(frame, FrameSize::Small, VmRights::ReadWrite, false);
  return FrameCap{cap}.with_mapping(kInitAsid, v);
}

void copy_dtb(RootTask& rt, paddr_t extra, const BootParams& p) {
  auto* header = ptr_from_paddr<BootInfoHeader>(extra);
  header->id = kBootInfoHeaderFdt;
  header->len = sizeof(BootInfoHeader) + p.dtb_size;
  memcpy(header + 1, ptr_from_paddr<void>(p.dtb_paddr), p.dtb_size);
  rt.bi->extra_len = header->len;
}

bool create_frames(RootTask& rt, const BootParams& p, paddr_t bi_frame) {
  write_slot(rt.cnode + kCapBootInfoFrame, map_frame(rt, bi_frame, rt.bi_frame_v, false));
  rt.bi->extra_bi_pages.start = rt.next_slot;
  if (rt.extra_bi_size > 0) {
    const paddr_t extra = alloc_or_fail(rt, rt.extra_bi_bits, "extra bootinfo");
    if (extra == 0) return false;
    copy_dtb(rt, extra, p);
    for (word_t off = 0; off < (word_t{1} << rt.extra_bi_bits); off += kPage) {
      if (!provide_cap(rt, map_frame(rt, extra + off, rt.extra_bi_v + off, true))) return false;
    }
  }
  rt.bi->extra_bi_pages.end = rt.next_slot;
  const paddr_t ipc = alloc_or_fail(rt, kPageBits, "IPC buffer");
  if (ipc == 0) return false;
  write_slot(rt.cnode + kCapInitThreadIPCBuffer, map_frame(rt, ipc, rt.ipc_buffer_v, false));
  rt.bi->user_image_frames.start = rt.next_slot;
  for (paddr_t f = round_down(p.ui_p_start, kPageBits); f < p.ui_p_end; f += kPage) {
    if (!provide_cap(rt, map_frame(rt, f, f - word_t(p.pv_offset), true))) return false;
  }
  rt.bi->user_image_frames.end = rt.next_slot;
  return true;
}

bool create_asid_pool(RootTask& rt) {
  const paddr_t pool = alloc_or_fail(rt, kAsidPoolBits, "initial ASID pool");
  if (pool == 0) return false;
  arch::boot_install_asid_pool(0, pool, kInitAsid, rt.vspace);
  write_slot(rt.cnode + kCapInitThreadASIDPool, AsidPoolCap::make(pool, 0));
  write_slot(rt.cnode + kCapASIDControl, Cap::with_type(CapType::AsidControl));
  return true;
}

// seL4 gives the root TCB copies of its CNode, VSpace and IPC buffer caps through cteInsert.
void copy_to_tcb(RootTask& rt, word_t index, Cte* dest) {
  cte_insert(rt.cnode[index].cap, rt.cnode + index, dest);
}

bool create_initial_thread(RootTask& rt, const BootParams& p) {
  const paddr_t object = alloc_or_fail(rt, kTcbBits, "root TCB");
  if (object == 0) return false;
  Tcb* tcb = tcb_from_object(object);
  copy_to_tcb(rt, kCapInitThreadCNode, tcb->slot(kTcbCTable));
  copy_to_tcb(rt, kCapInitThreadVSpace, tcb->slot(kTcbVTable));
  copy_to_tcb(rt, kCapInitThreadIPCBuffer, tcb->slot(kTcbBuffer));
  tcb->ipc_buffer = rt.ipc_buffer_v;
  tcb->context.regs[kCapRegister] = rt.bi_frame_v;  // seL4: the bootinfo pointer in capRegister
  tcb->context.regs[NextIP] = p.ui_v_entry;
  init_user_context(tcb->context);
  tcb->priority = kRootPriority;
  tcb->mcp = kRootPriority;
  tcb->time_slice = config::kTimeSliceTicks;
  tcb->domain = ks.cur_domain;
  tcb->state = ThreadState::Running;
  memcpy(tcb->name, "rootserver", sizeof("rootserver"));
  write_slot(rt.cnode + kCapInitThreadTCB, ThreadCap::make(object));
  setup_reply_master(tcb);
  switch_to_thread(tcb);
  return true;
}

}  // namespace
}  // namespace keel

namespace keel {

namespace {

// One untyped cap per naturally aligned block; stops quietly at seL4's 230-descriptor limit.
void add_untypeds(RootTask& rt, MemRegion r, bool is_device) {
  for_each_aligned_block(r.start, r.end, kMinUntypedBits, kMaxUntypedBits, [&](paddr_t p, unsigned bits) {
    const word_t index = rt.next_slot - rt.bi->untyped.start;
    if (index >= config::kMaxNumBootinfoUntypedCaps) return false;
    // seL4 hands out untypeds marked fully used; the first retype of a childless untyped
    // resets it.
    if (!provide_cap(rt, UntypedCap::make(p, bits, is_device, word_t{1} << bits))) return false;
    rt.bi->untyped_list[index] = UntypedDesc{p, uint8_t(bits), uint8_t(is_device), {}};
    return true;
  });
}

// Device untypeds cover every physical range below 2^arch::kPaddrBits that is neither RAM nor a
// device the kernel keeps; then free RAM follows.
void create_untypeds(RootTask& rt, const BootParams& p) {
  rt.bi->untyped.start = rt.next_slot;
  BootMemory devices;
  devices.add(MemRegion{0, word_t{1} << arch::kPaddrBits});
  for (unsigned i = 0; i < p.num_ram; ++i) devices.remove(p.ram[i]);
  for (unsigned i = 0; i < p.num_kernel_devices; ++i) devices.remove(p.kernel_devices[i]);
  for (unsigned i = 0; i < devices.num_free(); ++i) add_untypeds(rt, devices.free_region(i), true);
  for (unsigned i = 0; i < rt.mem.num_free(); ++i) {
    const MemRegion r = rt.mem.free_region(i);
    machine::mark_memory_free(r.start, r.end - r.start);  // the root task's objects stay live
    add_untypeds(rt, r, false);
  }
  rt.bi->untyped.end = rt.next_slot;
}

unsigned ceil_log2(word_t n) {
  unsigned bits = 0;
  while ((word_t{1} << bits) < n) ++bits;
  return bits;
}

void layout_user_region(RootTask& rt, const BootParams& p) {
  rt.ui_v =
      MemRegion{p.ui_p_start - word_t(p.pv_offset), round_up(p.ui_p_end - word_t(p.pv_offset), kPageBits)};
  rt.ipc_buffer_v = rt.ui_v.end;
  rt.bi_frame_v = rt.ipc_buffer_v + kPage;
  rt.extra_bi_v = rt.bi_frame_v + kPage;
  if (p.dtb_paddr != 0 && p.dtb_size != 0) {
    rt.extra_bi_size = sizeof(BootInfoHeader) + p.dtb_size;
    const unsigned bits = ceil_log2(rt.extra_bi_size);
    rt.extra_bi_bits = bits < kPageBits ? kPageBits : bits;
  }
}

void fill_bootinfo_constants(RootTask& rt) {
  rt.bi->node_id = 0;
  rt.bi->num_nodes = 1;
  rt.bi->num_iopt_levels = 0;
  rt.bi->ipc_buffer = rt.ipc_buffer_v;
  rt.bi->init_thread_cnode_size_bits = config::kRootCNodeSizeBits;
  rt.bi->init_thread_domain = 0;
}

bool create_root_cnode(RootTask& rt) {
  constexpr unsigned radix = config::kRootCNodeSizeBits;
  const paddr_t cnode = alloc_or_fail(rt, radix + kSlotBits, "root CNode");
  if (cnode == 0) return false;
  rt.cnode = ptr_from_paddr<Cte>(cnode);
  write_slot(rt.cnode + kCapInitThreadCNode, CNodeCap::make(cnode, radix, kWordBits - radix, 0));
  write_slot(rt.cnode + kCapIRQControl, Cap::with_type(CapType::IrqControl));
  write_slot(rt.cnode + kCapDomain, Cap::with_type(CapType::Domain));
  if constexpr (config::kAllowSmcCalls) write_slot(rt.cnode + kCapSMC, SmcCap::make(0));
  return true;
}

// seL4 init_irqs. seL4's IRQ node lives in the kernel image's BSS; keel takes it from RAM here,
// after the root task's objects, so their places do not move.
bool create_irq_node(RootTask& rt) {
  const paddr_t node = alloc_or_fail(rt, kIrqNodeSlotBits + kSlotBits, "IRQ node");
  if (node == 0) return false;
  init_irqs(node);
  return true;
}

// Large (free-region tables), so kept off the small boot stack.
constinit RootTask g_root_task;

}  // namespace

bool init_kernel(const BootParams& p) {
  RootTask& rt = g_root_task;
  rt = RootTask{};
  init_scheduler();
  rt.mem.init(p);
  layout_user_region(rt, p);
  const vaddr_t it_end = rt.extra_bi_v + (rt.extra_bi_size ? word_t{1} << rt.extra_bi_bits : 0);
  if (it_end > kUserTop) {
    kprintf("keel: boot: root task image ends at 0x%lx, above the user address range\n", it_end);
    return false;
  }
  if (!create_root_cnode(rt)) return false;
  const paddr_t bi_frame = alloc_or_fail(rt, kPageBits, "bootinfo frame");
  if (bi_frame == 0) return false;
  rt.bi = ptr_from_paddr<BootInfo>(bi_frame);
  fill_bootinfo_constants(rt);
  if (!create_address_space(rt, it_end) || !create_frames(rt, p, bi_frame) || !create_asid_pool(rt) ||
      !create_initial_thread(rt, p)) {
    return false;
  }
  if (!create_irq_node(rt)) return false;
  create_untypeds(rt, p);
  rt.bi->empty = SlotRegion{rt.next_slot, word_t{1} << config::kRootCNodeSizeBits};
  kprintf("keel: root task: %lu untypeds, slots %lu..%lu free, entry 0x%lx\n",
          rt.bi->untyped.end - rt.bi->untyped.start, rt.bi->empty.start, rt.bi->empty.end, p.ui_v_entry);
  init_kernel_timer();
  return true;
}

}  // namespace keel
