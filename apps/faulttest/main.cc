// Root tasks that fault on purpose: the kernel must report the exception, stop the thread and
// carry on (with nothing left to run it powers off). FAULTTEST_KIND picks the fault.
#include <keel/runtime.h>
#include <sel4/sel4.h>

int main(seL4_BootInfo*) {
#if FAULTTEST_KIND == 0
  printf("faulttest: executing an undefined instruction\n");
  asm volatile("udf #0");
#else
  printf("faulttest: writing to unmapped address 0x10\n");
  *reinterpret_cast<volatile seL4_Word*>(0x10) = 1;
#endif
  printf("faulttest: still running after the fault (wrong)\n");
  return 0;
}
