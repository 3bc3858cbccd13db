// BOOT00xx: what the kernel hands the root task: bootinfo, untypeds, initial caps, debug calls, error
// replies.
#include "framework.h"
#include "raw_call.h"

extern "C" char __image_start[], __image_end[];
extern "C" seL4_Word systest_clobbered_registers(seL4_Word sysno, seL4_Word x0_arg);
extern "C" seL4_Word systest_clobbered_fp_registers(seL4_Word sysno, seL4_Word x0_arg);

namespace systest {
namespace {

constexpr seL4_Word kPageSize = seL4_Word{1} << seL4_PageBits;
constexpr seL4_Word kFdtMagic = 0xd00dfeed;

seL4_Word page_down(seL4_Word v) { return v & ~(kPageSize - 1); }
seL4_Word page_up(seL4_Word v) { return page_down(v + kPageSize - 1); }
seL4_Word addr(const void* p) { return reinterpret_cast<seL4_Word>(p); }
seL4_Word count(const seL4_SlotRegion& r) { return r.end - r.start; }

seL4_Word read_be32(const unsigned char* p) {
  return (seL4_Word{p[0]} << 24) | (seL4_Word{p[1]} << 16) | (seL4_Word{p[2]} << 8) | seL4_Word{p[3]};
}

// seL4 fills the dynamic slots in this order, each region starting where the previous ended.
void check_slot_regions(Test& t, const seL4_BootInfo* bi) {
  const struct {
    const char* name;
    seL4_SlotRegion r;
  } order[] = {{"userImagePaging", bi->userImagePaging},
               {"extraBIPages", bi->extraBIPages},
               {"userImageFrames", bi->userImageFrames},
               {"untyped", bi->untyped},
               {"empty", bi->empty}};
  seL4_Word prev_end = seL4_NumInitialCaps;
  for (const auto& region : order) {
    t.expect(region.r.start >= prev_end, "%s starts at slot %lu, before %lu", region.name, region.r.start,
             prev_end);
    t.expect(region.r.start <= region.r.end, "%s is [%lu, %lu)", region.name, region.r.start, region.r.end);
    prev_end = region.r.end;
  }
  t.expect_eq("empty.end", bi->empty.end, seL4_Word{1} << SYSTEST_ROOT_CNODE_SIZE_BITS);
  t.expect(count(bi->userImagePaging) > 0, "no userImagePaging caps");
  t.expect(count(bi->untyped) > 0, "no untyped caps");
  t.expect(count(bi->untyped) <= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS, "%lu untypeds (max 230)",
           count(bi->untyped));
  t.expect(count(bi->sharedFrames) == 0 && count(bi->ioSpaceCaps) == 0, "sharedFrames/ioSpaceCaps not empty");
}

// The IPC buffer is the page after the image, bootinfo the page after that (reference 3.3).
void check_layout(Test& t, const seL4_BootInfo* bi) {
  const seL4_Word ui_start = page_down(addr(__image_start));
  const seL4_Word ui_end = page_up(addr(__image_end));
  t.expect(seL4_GetIPCBuffer() == bi->ipcBuffer, "runtime IPC buffer %p, bootinfo says %p",
           static_cast<void*>(seL4_GetIPCBuffer()), static_cast<void*>(bi->ipcBuffer));
  t.expect_eq("ipcBuffer", addr(bi->ipcBuffer), ui_end);
  t.expect_eq("bootinfo vaddr", addr(bi), ui_end + kPageSize);
  t.expect_eq("userImageFrames count", count(bi->userImageFrames), (ui_end - ui_start) / kPageSize);
}

void check_extra_bootinfo(Test& t, const seL4_BootInfo* bi) {
  if (!t.expect(bi->extraLen >= sizeof(seL4_BootInfoHeader), "extraLen = %lu, no DTB chunk", bi->extraLen)) {
    return;
  }
  t.expect(count(bi->extraBIPages) * kPageSize >= bi->extraLen, "extraBIPages (%lu pages) < extraLen %lu",
           count(bi->extraBIPages), bi->extraLen);
  const auto* base = reinterpret_cast<const unsigned char*>(bi) + seL4_BootInfoFrameSize;
  const auto* header = reinterpret_cast<const seL4_BootInfoHeader*>(base);
  t.expect_eq("first extra chunk id", header->id, SEL4_BOOTINFO_HEADER_FDT);
  t.expect(header->len >= sizeof(*header) + 40 && header->len <= bi->extraLen,
           "FDT chunk len %lu, extraLen %lu", header->len, bi->extraLen);
  const unsigned char* fdt = base + sizeof(*header);
  t.expect_eq("FDT magic", read_be32(fdt), kFdtMagic);
  t.expect(read_be32(fdt + 4) <= header->len - sizeof(*header), "FDT totalsize %lu > chunk payload %lu",
           read_be32(fdt + 4), header->len - sizeof(*header));
}

void boot0001_bootinfo(Test& t) {
  const seL4_BootInfo* bi = t.bi();
  t.expect_eq("nodeID", bi->nodeID, 0);
  t.expect_eq("numNodes", bi->numNodes, 1);
  t.expect_eq("numIOPTLevels", bi->numIOPTLevels, 0);
  t.expect_eq("initThreadCNodeSizeBits", bi->initThreadCNodeSizeBits, SYSTEST_ROOT_CNODE_SIZE_BITS);
  t.expect_eq("initThreadDomain", bi->initThreadDomain, 0);
  check_layout(t, bi);
  check_slot_regions(t, bi);
  check_extra_bootinfo(t, bi);
}

bool overlaps(seL4_Word a, seL4_Word a_end, seL4_Word b, seL4_Word b_end) { return a < b_end && b < a_end; }

void check_one_untyped(Test& t, unsigned i, const seL4_UntypedDesc& u) {
  t.expect(u.sizeBits >= seL4_MinUntypedBits && u.sizeBits <= seL4_MaxUntypedBits, "untyped %u sizeBits %u",
           i, unsigned{u.sizeBits});
  t.expect((u.paddr & ((seL4_Word{1} << u.sizeBits) - 1)) == 0, "untyped %u paddr 0x%lx not aligned to 2^%u",
           i, u.paddr, unsigned{u.sizeBits});
  t.expect(u.isDevice <= 1, "untyped %u isDevice %u", i, unsigned{u.isDevice});
  for (unsigned b = 0; b < sizeof(u.padding); ++b) {
    t.expect(u.padding[b] == 0, "untyped %u padding[%u] = %u", i, b, unsigned{u.padding[b]});
  }
}

// No physical byte is described twice; this also keeps device and RAM untypeds disjoint.
void check_untyped_disjoint(Test& t, const seL4_UntypedDesc* list, unsigned n) {
  for (unsigned i = 0; i < n; ++i) {
    const seL4_Word a = list[i].paddr, a_end = a + (seL4_Word{1} << list[i].sizeBits);
    for (unsigned j = i + 1; j < n; ++j) {
      const seL4_Word b = list[j].paddr, b_end = b + (seL4_Word{1} << list[j].sizeBits);
      if (!t.expect(!overlaps(a, a_end, b, b_end), "untypeds %u [0x%lx,0x%lx) and %u [0x%lx,0x%lx) overlap",
                    i, a, a_end, j, b, b_end)) {
        return;
      }
    }
  }
}

// With Page_GetAddress, check that no untyped covers a frame of the root task's own image.
void check_image_frames_outside_untypeds(Test& t, const seL4_BootInfo* bi, unsigned n) {
  for (seL4_Word slot = bi->userImageFrames.start; slot < bi->userImageFrames.end; ++slot) {
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(slot);
    if (r.error != seL4_NoError) {
      printf("  note: Page_GetAddress on slot %lu gave error %d; image frames not checked\n", slot, r.error);
      return;
    }
    for (unsigned i = 0; i < n; ++i) {
      const seL4_UntypedDesc& u = bi->untypedList[i];
      if (!t.expect(!overlaps(r.paddr, r.paddr + kPageSize, u.paddr, u.paddr + (seL4_Word{1} << u.sizeBits)),
                    "image frame slot %lu (paddr 0x%lx) inside untyped %u", slot, r.paddr, i)) {
        return;
      }
    }
  }
}

void boot0002_untypeds(Test& t) {
  const seL4_BootInfo* bi = t.bi();
  const seL4_Word n_slots = count(bi->untyped);
  const unsigned n = n_slots < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS ? static_cast<unsigned>(n_slots)
                                                                    : CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS;
  seL4_Word ram_bytes = 0;
  unsigned ram_count = 0;
  for (unsigned i = 0; i < n; ++i) {
    check_one_untyped(t, i, bi->untypedList[i]);
    if (bi->untypedList[i].isDevice == 0 && bi->untypedList[i].sizeBits < 64) {
      ram_bytes += seL4_Word{1} << bi->untypedList[i].sizeBits;
      ++ram_count;
    }
  }
  t.expect(ram_count > 0, "no RAM (non-device) untyped");
  t.expect(ram_bytes > (seL4_Word{512} << 20), "RAM untypeds total %lu MiB, expected > 512", ram_bytes >> 20);
  check_untyped_disjoint(t, bi->untypedList, n);
  if (!t.failed()) {
    check_image_frames_outside_untypeds(t, bi, n);
  }
}

void expect_tag_range(Test& t, const char* name, const seL4_SlotRegion& r, seL4_Uint32 tag) {
  for (seL4_Word slot = r.start; slot < r.end; ++slot) {
    seL4_Uint32 got = seL4_DebugCapIdentify(slot);
    if (!t.expect(got == tag, "%s slot %lu identifies as %u, expected %u", name, slot, got, tag)) {
      return;
    }
  }
}

void boot0003_initial_caps(Test& t) {
  const seL4_Uint32 expected[seL4_NumInitialCaps] = {
      seL4_CapTag_Null,
      seL4_CapTag_Thread,
      seL4_CapTag_CNode,
      seL4_CapTag_VSpace,
      seL4_CapTag_IRQControl,
      seL4_CapTag_ASIDControl,
      seL4_CapTag_ASIDPool,
      seL4_CapTag_Null,
      seL4_CapTag_Null,
      seL4_CapTag_Frame,
      seL4_CapTag_Frame,
      seL4_CapTag_Domain,
      seL4_CapTag_Null,
      seL4_CapTag_Null,
      seL4_CapTag_Null,
      SYSTEST_ALLOW_SMC_CALLS ? seL4_Uint32{seL4_CapTag_SMC} : seL4_Uint32{seL4_CapTag_Null}};
  for (seL4_Word slot = 0; slot < seL4_NumInitialCaps; ++slot) {
    seL4_Uint32 got = seL4_DebugCapIdentify(slot);
    t.expect(got == expected[slot], "slot %lu identifies as %u, expected %u", slot, got, expected[slot]);
  }
  const seL4_BootInfo* bi = t.bi();
  expect_tag_range(t, "userImagePaging", bi->userImagePaging, seL4_CapTag_PageTable);
  expect_tag_range(t, "extraBIPages", bi->extraBIPages, seL4_CapTag_Frame);
  expect_tag_range(t, "userImageFrames", bi->userImageFrames, seL4_CapTag_Frame);
  expect_tag_range(t, "untyped", bi->untyped, seL4_CapTag_Untyped);
  t.expect_eq("tag of first empty slot", seL4_DebugCapIdentify(bi->empty.start), seL4_CapTag_Null);
  t.expect_eq("tag of last empty slot", seL4_DebugCapIdentify(bi->empty.end - 1), seL4_CapTag_Null);
}

void boot0004_debug_calls(Test& t) {
  seL4_DebugPutString("  debug putchar: ok\n");
  seL4_DebugNameThread(seL4_CapInitThreadTCB, "systest");
  // Past the root CNode's radix with guard 0: the guard check fails, lookup fails, tag 0.
  t.expect_eq("tag of cptr 1 << 20", seL4_DebugCapIdentify(seL4_Word{1} << 20), seL4_CapTag_Null);
  t.expect_eq("tag of cptr with top bit set", seL4_DebugCapIdentify(seL4_Word{1} << 63 | 1),
              seL4_CapTag_Null);
  // The name must not have disturbed the TCB cap.
  t.expect_eq("tag of TCB after naming", seL4_DebugCapIdentify(seL4_CapInitThreadTCB), seL4_CapTag_Thread);
}

// seL4: invoking a CPtr that resolves to an empty slot replies InvalidCapability, MR0 = 0.
void expect_invalid_cap(Test& t, seL4_CPtr slot, seL4_Word label) {
  RawReply r = raw_call(slot, label, 0, 0, 0, 0, 0);
  t.expect(r.label() == seL4_InvalidCapability && r.length() == 1 && r.mr[0] == 0 && r.badge == 0,
           "Call(slot %lu, label %lu) replied label %lu length %lu MR0 %lu badge %lu", slot, label, r.label(),
           r.length(), r.mr[0], r.badge);
  t.expect_eq("seL4_GetMR(0) after the error", seL4_GetMR(0), r.mr[0]);
}

void boot0005_invalid_caps(Test& t) {
  const seL4_BootInfo* bi = t.bi();
  expect_invalid_cap(t, seL4_CapNull, 0);
  expect_invalid_cap(t, seL4_CapNull, CNodeCopy);
  expect_invalid_cap(t, seL4_CapIOPortControl, ARMSMCCall);
  expect_invalid_cap(t, bi->empty.start, UntypedRetype);
  expect_invalid_cap(t, bi->empty.end - 1, 12345);
  // The libsel4-style stub reports the same error and leaves it readable with seL4_GetMR.
  seL4_ARM_SMCContext args = {}, out = {};
  out.x0 = 0x1234;
  seL4_Error e = seL4_ARM_SMC_Call(bi->empty.start, &args, &out);
  t.expect_eq("seL4_ARM_SMC_Call on an empty slot", static_cast<seL4_Word>(e), seL4_InvalidCapability);
  t.expect_eq("response untouched on error", out.x0, 0x1234);
}

// seL4: a CNode invocation whose label is not a CNode method is an IllegalOperation.
void boot0006_cnode_bad_label(Test& t) {
  const seL4_Word labels[] = {InvalidInvocation, UntypedRetype,       TCBSuspend,
                              ARMSMCCall,        CNodeSaveCaller + 1, 4096};
  for (seL4_Word label : labels) {
    RawReply r = raw_call(seL4_CapInitThreadCNode, label, 2, 0, 64, 0, 0);
    t.expect(r.label() == seL4_IllegalOperation && r.length() == 0,
             "root CNode with label %lu replied label %lu length %lu", label, r.label(), r.length());
  }
}

void expect_preserved(Test& t, const char* what, seL4_Word sysno, seL4_Word x0) {
  seL4_Word clobbered = systest_clobbered_registers(sysno, x0);
  t.expect(clobbered == 0, "%s changed registers: mask 0x%lx (bit n = xn, 31 = sp, 32 = NZCV)", what,
           clobbered);
}

void boot0007_registers_preserved(Test& t) {
  expect_preserved(t, "Yield", KEEL_SYSNO(seL4_SysYield), 0);
  // DebugPutChar prints its character; frame it so the console line stays readable.
  printf("  DebugPutChar under register check: [");
  expect_preserved(t, "DebugPutChar", KEEL_SYSNO(seL4_SysDebugPutChar), '*');
  printf("]\n");
  expect_preserved(t, "DebugCapIdentify", KEEL_SYSNO(seL4_SysDebugCapIdentify), seL4_CapInitThreadTCB);
  expect_preserved(t, "Call on the null slot", KEEL_SYSNO(seL4_SysCall), seL4_CapNull);
}

void expect_fp_preserved(Test& t, const char* what, seL4_Word sysno, seL4_Word x0) {
  seL4_Word clobbered = systest_clobbered_fp_registers(sysno, x0);
  t.expect(clobbered == 0, "%s changed FP/SIMD state: mask 0x%lx (bit n = vn, 32 = FPSR, 33 = FPCR)", what,
           clobbered);
}

// FP/SIMD registers, FPSR and FPCR are per-thread state the kernel saves and restores.
void boot0008_fp_preserved(Test& t) {
  expect_fp_preserved(t, "Yield", KEEL_SYSNO(seL4_SysYield), 0);
  expect_fp_preserved(t, "DebugCapIdentify", KEEL_SYSNO(seL4_SysDebugCapIdentify), seL4_CapInitThreadTCB);
  expect_fp_preserved(t, "Call on the null slot", KEEL_SYSNO(seL4_SysCall), seL4_CapNull);
}

constexpr TestCase kCases[] = {
    {"BOOT0001 bootinfo consistent", boot0001_bootinfo},
    {"BOOT0002 untypeds well formed", boot0002_untypeds},
    {"BOOT0003 initial caps identify", boot0003_initial_caps},
    {"BOOT0004 debug syscalls", boot0004_debug_calls},
    {"BOOT0005 empty slots give InvalidCapability", boot0005_invalid_caps},
    {"BOOT0006 root CNode rejects foreign labels", boot0006_cnode_bad_label},
    {"BOOT0007 syscalls preserve registers", boot0007_registers_preserved},
    {"BOOT0008 syscalls preserve FP/SIMD state", boot0008_fp_preserved},
};

}  // namespace

Suite boot_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
