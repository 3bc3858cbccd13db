/* seL4_MessageInfo_t, seL4_CapRights_t, seL4_CNode_CapData_t and the 1 KiB seL4_IPCBuffer (reference sections
 * 2, 6.2). */
#pragma once

#include <sel4/constants.h>
#include <sel4/simple_types.h>

/* One word: label 63:12, capsUnwrapped 11:9, extraCaps 8:7, length 6:0. */
typedef struct seL4_MessageInfo {
  seL4_Uint64 words[1];
} seL4_MessageInfo_t;

SEL4_KEEL_BITFIELD_FUNC seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                                seL4_Uint64 extraCaps, seL4_Uint64 length) {
  seL4_MessageInfo_t info;
  info.words[0] = ((label & 0xfffffffffffffull) << 12) | ((capsUnwrapped & 0x7u) << 9) |
                  ((extraCaps & 0x3u) << 7) | (length & 0x7fu);
  return info;
}

SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_MessageInfo_get_label(seL4_MessageInfo_t info) {
  return info.words[0] >> 12;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t info) {
  return (info.words[0] >> 9) & 0x7u;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t info) {
  return (info.words[0] >> 7) & 0x3u;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_MessageInfo_get_length(seL4_MessageInfo_t info) {
  return info.words[0] & 0x7fu;
}

/* Setters are functional, as in libsel4: they return the updated value. */
SEL4_KEEL_BITFIELD_FUNC seL4_MessageInfo_t seL4_MessageInfo_set_label(seL4_MessageInfo_t info,
                                                                      seL4_Uint64 v) {
  return seL4_MessageInfo_new(v, seL4_MessageInfo_get_capsUnwrapped(info),
                              seL4_MessageInfo_get_extraCaps(info), seL4_MessageInfo_get_length(info));
}
SEL4_KEEL_BITFIELD_FUNC seL4_MessageInfo_t seL4_MessageInfo_set_capsUnwrapped(seL4_MessageInfo_t info,
                                                                              seL4_Uint64 v) {
  return seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), v, seL4_MessageInfo_get_extraCaps(info),
                              seL4_MessageInfo_get_length(info));
}
SEL4_KEEL_BITFIELD_FUNC seL4_MessageInfo_t seL4_MessageInfo_set_extraCaps(seL4_MessageInfo_t info,
                                                                          seL4_Uint64 v) {
  return seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), seL4_MessageInfo_get_capsUnwrapped(info), v,
                              seL4_MessageInfo_get_length(info));
}
SEL4_KEEL_BITFIELD_FUNC seL4_MessageInfo_t seL4_MessageInfo_set_length(seL4_MessageInfo_t info,
                                                                       seL4_Uint64 v) {
  return seL4_MessageInfo_new(seL4_MessageInfo_get_label(info), seL4_MessageInfo_get_capsUnwrapped(info),
                              seL4_MessageInfo_get_extraCaps(info), v);
}

/* One word: bit 0 Write, 1 Read, 2 Grant, 3 GrantReply. */
typedef struct seL4_CapRights {
  seL4_Uint64 words[1];
} seL4_CapRights_t;

SEL4_KEEL_BITFIELD_FUNC seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 grantReply, seL4_Uint64 grant,
                                                            seL4_Uint64 read, seL4_Uint64 write) {
  seL4_CapRights_t r;
  r.words[0] = ((grantReply & 1u) << 3) | ((grant & 1u) << 2) | ((read & 1u) << 1) | (write & 1u);
  return r;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_CapRights_get_capAllowGrantReply(seL4_CapRights_t r) {
  return (r.words[0] >> 3) & 1u;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_CapRights_get_capAllowGrant(seL4_CapRights_t r) {
  return (r.words[0] >> 2) & 1u;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_CapRights_get_capAllowRead(seL4_CapRights_t r) {
  return (r.words[0] >> 1) & 1u;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_CapRights_get_capAllowWrite(seL4_CapRights_t r) {
  return r.words[0] & 1u;
}

#define seL4_NoFlags seL4_CapRights_new(0, 0, 0, 0)
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)

/* One word: guardSize 5:0, guard 63:6 (reference section 6.2). */
typedef struct seL4_CNode_CapData {
  seL4_Uint64 words[1];
} seL4_CNode_CapData_t;

SEL4_KEEL_BITFIELD_FUNC seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard,
                                                                    seL4_Uint64 guardSize) {
  seL4_CNode_CapData_t d;
  d.words[0] = ((guard & 0x3ffffffffffffffull) << 6) | (guardSize & 0x3fu);
  return d;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t d) {
  return d.words[0] >> 6;
}
SEL4_KEEL_BITFIELD_FUNC seL4_Uint64 seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t d) {
  return d.words[0] & 0x3fu;
}

/* The IPC buffer: one 1 KiB block, aligned to its size (reference section 2.2). */
typedef struct seL4_IPCBuffer_ {
  seL4_MessageInfo_t tag;
  seL4_Word msg[seL4_MsgMaxLength];
  seL4_Word userData;
  seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
  seL4_CPtr receiveCNode;
  seL4_CPtr receiveIndex;
  seL4_Word receiveDepth;
} __attribute__((__aligned__(1 << seL4_IPCBufferSizeBits))) seL4_IPCBuffer;

SEL4_KEEL_ABI_ASSERT(SEL4_KEEL_ALIGNOF(seL4_IPCBuffer) == 1024, "seL4_IPCBuffer is size-aligned");
