/* System call stubs with the AArch64 seL4 register convention: x7 number, x0 cptr/badge, x1 info, x2..x5
 * MR0..MR3 (reference section 1.2). */
#pragma once

#include <sel4/functions.h>
#include <sel4/shared_types.h>
#include <sel4/simple_types.h>
#include <sel4/syscall.h>

/* x7 holds the negative syscall number sign-extended to a full word. */
#define KEEL_SYSNO(n) SEL4_KEEL_CAST(seL4_Word, SEL4_KEEL_CAST(seL4_Int64, n))

/* --- Raw traps. Only the registers each form declares may change; the kernel preserves the rest. --- */

LIBSEL4_INLINE_FUNC void keel_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info, seL4_Word mr0,
                                       seL4_Word mr1, seL4_Word mr2, seL4_Word mr3) {
  register seL4_Word x0 __asm__("x0") = dest;
  register seL4_Word x1 __asm__("x1") = info;
  register seL4_Word x2 __asm__("x2") = mr0;
  register seL4_Word x3 __asm__("x3") = mr1;
  register seL4_Word x4 __asm__("x4") = mr2;
  register seL4_Word x5 __asm__("x5") = mr3;
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0"
                       : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                       : "r"(x7)
                       : "memory");
}

/* Reply has no destination: x0 is not an input. */
LIBSEL4_INLINE_FUNC void keel_sys_reply(seL4_Word sys, seL4_Word info, seL4_Word mr0, seL4_Word mr1,
                                        seL4_Word mr2, seL4_Word mr3) {
  register seL4_Word x1 __asm__("x1") = info;
  register seL4_Word x2 __asm__("x2") = mr0;
  register seL4_Word x3 __asm__("x3") = mr1;
  register seL4_Word x4 __asm__("x4") = mr2;
  register seL4_Word x5 __asm__("x5") = mr3;
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0" : "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5) : "r"(x7) : "memory");
}

LIBSEL4_INLINE_FUNC void keel_sys_send_null(seL4_Word sys, seL4_Word dest, seL4_Word info) {
  register seL4_Word x0 __asm__("x0") = dest;
  register seL4_Word x1 __asm__("x1") = info;
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0" : "+r"(x0), "+r"(x1) : "r"(x7) : "memory");
}

LIBSEL4_INLINE_FUNC void keel_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word* out_badge,
                                       seL4_Word* out_info, seL4_Word* out_mr0, seL4_Word* out_mr1,
                                       seL4_Word* out_mr2, seL4_Word* out_mr3) {
  register seL4_Word x0 __asm__("x0") = src;
  register seL4_Word x1 __asm__("x1");
  register seL4_Word x2 __asm__("x2");
  register seL4_Word x3 __asm__("x3");
  register seL4_Word x4 __asm__("x4");
  register seL4_Word x5 __asm__("x5");
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0"
                       : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5)
                       : "r"(x7)
                       : "memory");
  *out_badge = x0;
  *out_info = x1;
  *out_mr0 = x2;
  *out_mr1 = x3;
  *out_mr2 = x4;
  *out_mr3 = x5;
}

/* Call and ReplyRecv: send x0..x5, receive x0..x5. The MR pointers are in/out and non-null. */
LIBSEL4_INLINE_FUNC void keel_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word* out_badge,
                                            seL4_Word info, seL4_Word* out_info, seL4_Word* mr0,
                                            seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3) {
  register seL4_Word x0 __asm__("x0") = dest;
  register seL4_Word x1 __asm__("x1") = info;
  register seL4_Word x2 __asm__("x2") = *mr0;
  register seL4_Word x3 __asm__("x3") = *mr1;
  register seL4_Word x4 __asm__("x4") = *mr2;
  register seL4_Word x5 __asm__("x5") = *mr3;
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0"
                       : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                       : "r"(x7)
                       : "memory");
  *out_badge = x0;
  *out_info = x1;
  *mr0 = x2;
  *mr1 = x3;
  *mr2 = x4;
  *mr3 = x5;
}

/* Yield, DebugHalt, DebugSnapshot: the kernel must give every register back unchanged. */
LIBSEL4_INLINE_FUNC void keel_sys_null(seL4_Word sys) {
  register seL4_Word x7 __asm__("x7") = sys;
  __asm__ __volatile__("svc #0" : : "r"(x7) : "memory");
}

/* The debug calls that take one word in x0 and may return one in x0 (x1..x5 zero). */
LIBSEL4_INLINE_FUNC seL4_Word keel_sys_debug_word(seL4_Word sys, seL4_Word arg) {
  seL4_Word info = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
  seL4_Word result = 0;
  keel_sys_send_recv(sys, arg, &result, 0, &info, &m0, &m1, &m2, &m3);
  return result;
}

/* Word i of a message: the caller's value if it supplied one within the length, else 0. */
LIBSEL4_INLINE_FUNC seL4_Word keel_mr_in(const seL4_Word* mr, seL4_MessageInfo_t info, unsigned i) {
  return (mr != seL4_Null && seL4_MessageInfo_get_length(info) > i) ? *mr : 0;
}

LIBSEL4_INLINE_FUNC void keel_mr_out(seL4_Word* mr, seL4_Word value) {
  if (mr != seL4_Null) {
    *mr = value;
  }
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t keel_info(seL4_Word word) {
  seL4_MessageInfo_t info;
  info.words[0] = word;
  return info;
}

/* --- Send side --- */

LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo) {
  keel_sys_send(KEEL_SYSNO(seL4_SysSend), dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word* mr0,
                                          seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3) {
  keel_sys_send(KEEL_SYSNO(seL4_SysSend), dest, msgInfo.words[0], keel_mr_in(mr0, msgInfo, 0),
                keel_mr_in(mr1, msgInfo, 1), keel_mr_in(mr2, msgInfo, 2), keel_mr_in(mr3, msgInfo, 3));
}

LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo) {
  keel_sys_send(KEEL_SYSNO(seL4_SysNBSend), dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1),
                seL4_GetMR(2), seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word* mr0,
                                            seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3) {
  keel_sys_send(KEEL_SYSNO(seL4_SysNBSend), dest, msgInfo.words[0], keel_mr_in(mr0, msgInfo, 0),
                keel_mr_in(mr1, msgInfo, 1), keel_mr_in(mr2, msgInfo, 2), keel_mr_in(mr3, msgInfo, 3));
}

LIBSEL4_INLINE_FUNC void seL4_Reply(seL4_MessageInfo_t msgInfo) {
  keel_sys_reply(KEEL_SYSNO(seL4_SysReply), msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                 seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word* mr0, seL4_Word* mr1,
                                           seL4_Word* mr2, seL4_Word* mr3) {
  keel_sys_reply(KEEL_SYSNO(seL4_SysReply), msgInfo.words[0], keel_mr_in(mr0, msgInfo, 0),
                 keel_mr_in(mr1, msgInfo, 1), keel_mr_in(mr2, msgInfo, 2), keel_mr_in(mr3, msgInfo, 3));
}

/* A signal is a Send with an all-zero message info. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest) {
  keel_sys_send_null(KEEL_SYSNO(seL4_SysSend), dest, 0);
}

/* --- Receive side --- */

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t keel_recv_into_buffer(seL4_Word sys, seL4_CPtr src,
                                                             seL4_Word* sender) {
  seL4_Word badge, info, m0, m1, m2, m3;
  keel_sys_recv(sys, src, &badge, &info, &m0, &m1, &m2, &m3);
  seL4_SetMR(0, m0);
  seL4_SetMR(1, m1);
  seL4_SetMR(2, m2);
  seL4_SetMR(3, m3);
  keel_mr_out(sender, badge);
  return keel_info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word* sender) {
  return keel_recv_into_buffer(KEEL_SYSNO(seL4_SysRecv), src, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word* sender) {
  return keel_recv_into_buffer(KEEL_SYSNO(seL4_SysNBRecv), src, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word* sender, seL4_Word* mr0,
                                                        seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3) {
  seL4_Word badge, info, m0, m1, m2, m3;
  keel_sys_recv(KEEL_SYSNO(seL4_SysRecv), src, &badge, &info, &m0, &m1, &m2, &m3);
  keel_mr_out(mr0, m0);
  keel_mr_out(mr1, m1);
  keel_mr_out(mr2, m2);
  keel_mr_out(mr3, m3);
  keel_mr_out(sender, badge);
  return keel_info(info);
}

/* Notification forms (non-MCS): Wait blocks, Poll does not. */
LIBSEL4_INLINE_FUNC void seL4_Wait(seL4_CPtr src, seL4_Word* sender) { (void)seL4_Recv(src, sender); }

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word* sender) {
  return seL4_NBRecv(src, sender);
}

/* --- Send then receive --- */

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t keel_send_recv_buffer(seL4_Word sys, seL4_CPtr dest,
                                                             seL4_MessageInfo_t msgInfo, seL4_Word* sender) {
  seL4_Word m0 = seL4_GetMR(0), m1 = seL4_GetMR(1), m2 = seL4_GetMR(2), m3 = seL4_GetMR(3);
  seL4_Word badge, info;
  keel_sys_send_recv(sys, dest, &badge, msgInfo.words[0], &info, &m0, &m1, &m2, &m3);
  seL4_SetMR(0, m0);
  seL4_SetMR(1, m1);
  seL4_SetMR(2, m2);
  seL4_SetMR(3, m3);
  keel_mr_out(sender, badge);
  return keel_info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t keel_send_recv_mrs(seL4_Word sys, seL4_CPtr dest,
                                                          seL4_MessageInfo_t msgInfo, seL4_Word* sender,
                                                          seL4_Word* mr0, seL4_Word* mr1, seL4_Word* mr2,
                                                          seL4_Word* mr3) {
  seL4_Word m0 = keel_mr_in(mr0, msgInfo, 0), m1 = keel_mr_in(mr1, msgInfo, 1);
  seL4_Word m2 = keel_mr_in(mr2, msgInfo, 2), m3 = keel_mr_in(mr3, msgInfo, 3);
  seL4_Word badge, info;
  keel_sys_send_recv(sys, dest, &badge, msgInfo.words[0], &info, &m0, &m1, &m2, &m3);
  keel_mr_out(mr0, m0);
  keel_mr_out(mr1, m1);
  keel_mr_out(mr2, m2);
  keel_mr_out(mr3, m3);
  keel_mr_out(sender, badge);
  return keel_info(info);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo) {
  return keel_send_recv_buffer(KEEL_SYSNO(seL4_SysCall), dest, msgInfo, seL4_Null);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word* mr0, seL4_Word* mr1, seL4_Word* mr2,
                                                        seL4_Word* mr3) {
  return keel_send_recv_mrs(KEEL_SYSNO(seL4_SysCall), dest, msgInfo, seL4_Null, mr0, mr1, mr2, mr3);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                      seL4_Word* sender) {
  return keel_send_recv_buffer(KEEL_SYSNO(seL4_SysReplyRecv), src, msgInfo, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                             seL4_Word* sender, seL4_Word* mr0,
                                                             seL4_Word* mr1, seL4_Word* mr2, seL4_Word* mr3) {
  return keel_send_recv_mrs(KEEL_SYSNO(seL4_SysReplyRecv), src, msgInfo, sender, mr0, mr1, mr2, mr3);
}

LIBSEL4_INLINE_FUNC void seL4_Yield(void) { keel_sys_null(KEEL_SYSNO(seL4_SysYield)); }

/* --- Debug calls (debug kernel builds) --- */

LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c) {
  (void)keel_sys_debug_word(KEEL_SYSNO(seL4_SysDebugPutChar),
                            SEL4_KEEL_CAST(seL4_Word, SEL4_KEEL_CAST(seL4_Uint8, c)));
}

LIBSEL4_INLINE_FUNC void seL4_DebugPutString(const char* str) {
  for (; *str != '\0'; ++str) {
    seL4_DebugPutChar(*str);
  }
}

LIBSEL4_INLINE_FUNC void seL4_DebugDumpScheduler(void) {
  (void)keel_sys_debug_word(KEEL_SYSNO(seL4_SysDebugDumpScheduler), 0);
}

LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void) { keel_sys_null(KEEL_SYSNO(seL4_SysDebugHalt)); }

LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void) { keel_sys_null(KEEL_SYSNO(seL4_SysDebugSnapshot)); }

/* The kernel's cap-type tag of the slot cap resolves to (0 if empty or unresolvable). */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap) {
  return SEL4_KEEL_CAST(seL4_Uint32, keel_sys_debug_word(KEEL_SYSNO(seL4_SysDebugCapIdentify), cap));
}

/* The name travels NUL-terminated in the IPC buffer from msg[0]; the kernel halts if it finds no
 * NUL within the message area, so overlong names are cut here. */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char* name) {
  char* dst = SEL4_KEEL_REINTERPRET(char*, &seL4_GetIPCBuffer()->msg[0]);
  unsigned long i = 0;
  for (; i + 1 < sizeof(seL4_GetIPCBuffer()->msg) && name[i] != '\0'; ++i) {
    dst[i] = name[i];
  }
  dst[i] = '\0';
  (void)keel_sys_debug_word(KEEL_SYSNO(seL4_SysDebugNameThread), tcb);
}
