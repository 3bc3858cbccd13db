// A Call that exposes everything the kernel returns (badge, info, MR0..MR3), for checking replies exactly.
#pragma once

#include <sel4/sel4.h>

namespace systest {

struct RawReply {
  seL4_Word badge;
  seL4_MessageInfo_t info;
  seL4_Word mr[4];

  seL4_Word label() const { return seL4_MessageInfo_get_label(info); }
  seL4_Word length() const { return seL4_MessageInfo_get_length(info); }
};

// Calls dest with (label, length) and MR0..MR3 in registers; an error reply's words are also
// copied into the IPC buffer, as the libsel4 invocation stubs do.
inline RawReply raw_call(seL4_CPtr dest, seL4_Word label, seL4_Word length, seL4_Word mr0, seL4_Word mr1,
                         seL4_Word mr2, seL4_Word mr3) {
  RawReply r{};
  r.mr[0] = mr0;
  r.mr[1] = mr1;
  r.mr[2] = mr2;
  r.mr[3] = mr3;
  seL4_Word info_word = 0;
  keel_sys_send_recv(KEEL_SYSNO(seL4_SysCall), dest, &r.badge,
                     seL4_MessageInfo_new(label, 0, 0, length).words[0], &info_word, &r.mr[0], &r.mr[1],
                     &r.mr[2], &r.mr[3]);
  r.info.words[0] = info_word;
  if (r.label() != seL4_NoError) {
    for (int i = 0; i < 4; ++i) seL4_SetMR(i, r.mr[i]);
  }
  return r;
}

}  // namespace systest
