// keel demo root task: prints a readable summary of what the kernel handed over, then powers off.
#include <keel/runtime.h>
#include <sel4/sel4.h>
#include <keel/sel4.hpp>

namespace {

seL4_Word slots(const seL4_SlotRegion& r) { return r.end - r.start; }

void print_region(const char* name, const seL4_SlotRegion& r) {
  printf("  %-16s slots [%4lu, %4lu)  %lu caps\n", name, r.start, r.end, slots(r));
}

// Sizes in the largest unit that keeps them readable.
void print_size(seL4_Word bytes) {
  if (bytes >= (seL4_Word{1} << 30)) {
    printf("%lu GiB", bytes >> 30);
  } else if (bytes >= (seL4_Word{1} << 20)) {
    printf("%lu MiB", bytes >> 20);
  } else {
    printf("%lu KiB", bytes >> 10);
  }
}

void print_untypeds(const seL4_BootInfo* bi) {
  seL4_Word ram = 0, device = 0;
  unsigned ram_count = 0, device_count = 0;
  const seL4_Word n = slots(bi->untyped);
  for (seL4_Word i = 0; i < n && i < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    const seL4_Word size = seL4_Word{1} << u.sizeBits;
    if (u.isDevice) {
      device += size;
      ++device_count;
    } else {
      ram += size;
      ++ram_count;
    }
  }
  printf("untyped memory: %lu caps\n  RAM:    %u untypeds, ", n, ram_count);
  print_size(ram);
  printf("\n  device: %u untypeds, ", device_count);
  print_size(device);
  printf(" of address space\n");
}

void print_smc_cap() {
  const seL4_Uint32 tag = keel::kMasterSmc.identify();
  if (tag == seL4_CapTag_SMC) {
    printf("SMC: master SMC cap present in slot %u (badge 0: any function ID)\n", unsigned{seL4_CapSMC});
  } else {
    printf("SMC: slot %u holds no SMC cap (tag %u); SMC calls not allowed in this build\n",
           unsigned{seL4_CapSMC}, tag);
  }
}

}  // namespace

int main(seL4_BootInfo* bi) {
  printf("\nkeel demo: root task running at EL0\n");
  printf("bootinfo at %p, IPC buffer at %p, root CNode of %lu slots\n", static_cast<void*>(bi),
         static_cast<void*>(bi->ipcBuffer), seL4_Word{1} << bi->initThreadCNodeSizeBits);
  printf("initial CSpace:\n");
  print_region("userImagePaging", bi->userImagePaging);
  print_region("extraBIPages", bi->extraBIPages);
  print_region("userImageFrames", bi->userImageFrames);
  print_region("untyped", bi->untyped);
  print_region("empty", bi->empty);
  print_untypeds(bi);
  printf("extra bootinfo: %lu bytes%s\n", bi->extraLen, bi->extraLen > 0 ? " (device tree)" : "");
  print_smc_cap();
  printf("keel demo: done, powering off\n");
  return 0;
}
