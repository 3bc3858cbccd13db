// Compile check: the public user headers, C and C++, are valid C++20 (built with -pedantic -Werror).
#include <keel/runtime.h>
#include <sel4/sel4.h>
#include <keel/sel4.hpp>

seL4_Error keel_header_check_cc(seL4_ARM_SMCContext* args, seL4_ARM_SMCContext* out);
seL4_Error keel_header_check_cc(seL4_ARM_SMCContext* args, seL4_ARM_SMCContext* out) {
  seL4_MessageInfo_t info = seL4_MessageInfo_new(CNodeCopy, 0, 1, 5);
  keel::CNode root{seL4_CapInitThreadCNode, 12};
  seL4_Error e =
      root.copy(static_cast<seL4_CPtr>(seL4_MessageInfo_get_length(info)), root, 1, seL4_AllRights);
  if (e == seL4_NoError) {
    e = keel::Smc{seL4_CapSMC}.call(*args, *out);
  }
  return e;
}
