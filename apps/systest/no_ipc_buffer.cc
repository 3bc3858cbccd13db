// A root task of its own for PSCI0007: SMC calls from a thread without an IPC buffer.
//
// It has to be a separate image: once the root task has removed its IPC buffer it cannot put it
// back. seL4 reads the extra caps of a message from the sender's IPC buffer, so without one
// TCB_SetIPCBuffer never sees its frame cap and fails with TruncatedMessage; and no SMC call
// (8 words) can be made any more, so this run ends with seL4_DebugHalt, not SYSTEM_OFF.
#include "framework.h"

#include <keel/sel4.hpp>

namespace systest {
namespace {

constexpr seL4_Word kPsciVersion = 0x84000000;

struct Reply {
  seL4_Word label;
  seL4_Word length;
};

// A Call that never touches the IPC buffer, not even to copy error words.
Reply call_without_buffer(seL4_CPtr dest, seL4_Word label, seL4_Word extra_caps, seL4_Word length,
                          seL4_Word mr0) {
  seL4_Word badge = 0, info = 0, m0 = mr0, m1 = 0, m2 = 0, m3 = 0;
  keel_sys_send_recv(KEEL_SYSNO(seL4_SysCall), dest, &badge,
                     seL4_MessageInfo_new(label, 0, extra_caps, length).words[0], &info, &m0, &m1, &m2, &m3);
  const seL4_MessageInfo_t reply{{info}};
  return Reply{seL4_MessageInfo_get_label(reply), seL4_MessageInfo_get_length(reply)};
}

bool expect_truncated(Test& t, const char* what, const Reply& r) {
  return t.expect(r.label == seL4_TruncatedMessage && r.length == 0,
                  "%s: reply label %lu length %lu, expected %d/0", what, r.label, r.length,
                  static_cast<int>(seL4_TruncatedMessage));
}

void psci0007_no_ipc_buffer(Test& t) {
  const keel::CNode root = keel::kRootCNode;
  const seL4_CPtr badged = t.bi()->empty.start;
  if (!t.expect(root.mint(badged, root, seL4_CapSMC, seL4_AllRights, kPsciVersion) == seL4_NoError, "Mint"))
    return;
  const seL4_Error e = seL4_TCB_SetIPCBuffer(seL4_CapInitThreadTCB, 0, seL4_CapInitThreadIPCBuffer);
  if (!t.expect(e == seL4_NoError, "TCB_SetIPCBuffer(0) returned %d", static_cast<int>(e))) return;
  // From here on any use of the library's IPC buffer pointer faults instead of passing unnoticed.
  seL4_SetIPCBuffer(nullptr);
  // seL4: without a buffer the message is cut to the 4 register words, below the 8 an SMC needs.
  expect_truncated(t, "master cap, length 8",
                   call_without_buffer(seL4_CapSMC, ARMSMCCall, 0, 8, kPsciVersion));
  expect_truncated(t, "master cap, length 4",
                   call_without_buffer(seL4_CapSMC, ARMSMCCall, 0, 4, kPsciVersion));
  expect_truncated(t, "badged cap, length 8", call_without_buffer(badged, ARMSMCCall, 0, 8, kPsciVersion));
  // And the way back is closed: the frame cap would travel in the (missing) buffer.
  const seL4_Word original = reinterpret_cast<seL4_Word>(t.bi()->ipcBuffer);
  expect_truncated(t, "SetIPCBuffer(original)",
                   call_without_buffer(seL4_CapInitThreadTCB, TCBSetIPCBuffer, 1, 1, original));
}

constexpr TestCase kCases[] = {
    {"PSCI0007 without an IPC buffer an SMC call is a TruncatedMessage", psci0007_no_ipc_buffer},
};

}  // namespace
}  // namespace systest

int main(seL4_BootInfo* bi) {
  printf("keel systest (no IPC buffer): root task at EL0, bootinfo %p\n", static_cast<void*>(bi));
  const systest::Env env{bi};
  const systest::Suite suites[] = {{systest::kCases, sizeof(systest::kCases) / sizeof(systest::kCases[0])}};
  systest::run_suites(env, suites, 1);
  printf("systest: no IPC buffer, so no SMC call is possible: halting with seL4_DebugHalt\n");
  return 0;  // the runtime halts with seL4_DebugHalt
}
