/* Compile check: the public user headers are valid strict C11 (built with -std=c11 -pedantic -Werror). */
#include <keel/runtime.h>
#include <sel4/sel4.h>

/* Referencing a few stubs makes the compiler type-check their bodies in this language too. */
seL4_Error keel_header_check_c(seL4_ARM_SMCContext* args, seL4_ARM_SMCContext* out);
seL4_Error keel_header_check_c(seL4_ARM_SMCContext* args, seL4_ARM_SMCContext* out) {
  seL4_MessageInfo_t info = seL4_MessageInfo_new(CNodeCopy, 0, 1, 5);
  seL4_CPtr slot = (seL4_CPtr)seL4_MessageInfo_get_length(info);
  seL4_Error e =
      seL4_CNode_Copy(seL4_CapInitThreadCNode, slot, 64, seL4_CapInitThreadCNode, 1, 64, seL4_AllRights);
  if (e == seL4_NoError) {
    e = seL4_ARM_SMC_Call(seL4_CapSMC, args, out);
  }
  return e;
}
