// Root tasks that fault on purpose: the kernel must report the exception, stop the thread and
// carry on (with nothing left to run it powers off). FAULTTEST_KIND picks the fault: undefined
// instruction, unmapped write, write to a read-only page, execute of an execute-never page.
#include <keel/runtime.h>
#include <sel4/sel4.h>

int main(seL4_BootInfo* bi) {
#if FAULTTEST_KIND == 0
  (void)bi;
  printf("faulttest: executing an undefined instruction\n");
  asm volatile("udf #0");
#elif FAULTTEST_KIND == 1
  (void)bi;
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
