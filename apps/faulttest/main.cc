// Root tasks that fault on purpose: the kernel must report the exception and stop the thread.
// FAULTTEST_KIND picks the fault: undefined instruction, unmapped write, write to a read-only
// page, execute of an execute-never page. A stopped thread is silent and the kernel then idles
// (as seL4 does), so first the root task starts a watcher at the lowest priority: it can only run
// once the root task has stopped, and it reports that and powers the machine off.
#include <keel/runtime.h>
#include <sel4/sel4.h>
#include <keel/thread.hpp>

namespace {

constexpr seL4_Word kWatcherPriority = 1;  // any priority below the root task's 255 would do
alignas(16) unsigned char g_watcher_stack[8192];
alignas(1024) seL4_IPCBuffer g_watcher_ipc_buffer;

void watch(seL4_Word) {
  printf("faulttest: the faulting thread stopped\n");
  keel_halt();
}

seL4_CPtr ram_untyped(const seL4_BootInfo* bi) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= seL4_TCBBits) return bi->untyped.start + i;
  }
  return seL4_CapNull;
}

// Returns false (and says why) when the watcher could not be started.
bool start_watcher(const seL4_BootInfo* bi) {
  const keel::Tcb tcb{bi->empty.start};
  keel::ThreadStart r{.error = keel::make_tcb(keel::Untyped{ram_untyped(bi)}, tcb.cptr()), .step = "Retype"};
  if (r.ok()) {
    r = keel::start_thread(keel::ThreadSpec{
        .tcb = tcb,
        .ipc_buffer = &g_watcher_ipc_buffer,
        .ipc_frame = keel::image_frame(bi, &g_watcher_ipc_buffer),
        .stack = g_watcher_stack,
        .stack_size = sizeof(g_watcher_stack),
        .entry = watch,
        .priority = kWatcherPriority,
        .name = "watcher",
    });
  }
  if (!r.ok()) printf("faulttest: could not start the watcher: %s returned %d\n", r.step, r.error);
  return r.ok();
}

}  // namespace

int main(seL4_BootInfo* bi) {
  if (!start_watcher(bi)) return 1;
#if FAULTTEST_KIND == 0
  printf("faulttest: executing an undefined instruction\n");
  asm volatile("udf #0");
#elif FAULTTEST_KIND == 1
  printf("faulttest: writing to unmapped address 0x10\n");
  *reinterpret_cast<volatile seL4_Word*>(0x10) = 1;
#elif FAULTTEST_KIND == 2
  // Remapping the bootinfo frame with the same cap at the same address makes it read-only.
  const seL4_Error e =
      seL4_ARM_Page_Map(seL4_CapBootInfoFrame, seL4_CapInitThreadVSpace, reinterpret_cast<seL4_Word>(bi),
                        seL4_CanRead, seL4_ARM_Default_VMAttributes);
  printf("faulttest: bootinfo remapped read-only (error %d); writing to it at %p\n", static_cast<int>(e),
         static_cast<void*>(bi));
  *reinterpret_cast<volatile seL4_Word*>(bi) = 1;
#else
  // seL4 maps the bootinfo frame execute-never.
  printf("faulttest: jumping into the execute-never bootinfo frame at %p\n", static_cast<void*>(bi));
  reinterpret_cast<void (*)()>(bi)();
#endif
  printf("faulttest: still running after the fault (wrong)\n");
  return 0;
}
