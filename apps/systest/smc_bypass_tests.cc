// SMCB00xx: the SMC badge-bypass suite on QEMU. Every way to reach a function ID a cap does not
// allow must come back as seL4's error. Most attempts aim at PSCI SYSTEM_OFF, so a kernel that
// let one through would end QEMU before the summary line: the run fails even without a count.
#include "framework.h"

#include <keel/sel4.hpp>

namespace systest {
namespace {

constexpr keel::CNode kRoot{seL4_CapInitThreadCNode};
constexpr seL4_Word kPsciVersion = 0x84000000;  // harmless: answers 0x10001
constexpr seL4_Word kSystemOff = 0x84000008;    // visible: QEMU exits
constexpr seL4_Word kBit = 1;
constexpr unsigned kSlotsUsed = 6;

seL4_CPtr slot(const Test& t, unsigned i) { return t.bi()->empty.start + i; }

void clear_slots(const Test& t) {
  for (unsigned i = 0; i < kSlotsUsed; ++i) (void)kRoot.remove(slot(t, i));
}

// What one syscall on an SMC cap sends: which syscall, label, length, x0 of the SMC (MR0, in
// register x2), the IPC buffer's msg[0] (which the kernel must ignore) and an optional extra cap.
struct Message {
  seL4_Word sys = KEEL_SYSNO(seL4_SysCall);
  seL4_Word label = ARMSMCCall;
  seL4_Word length = 8;
  seL4_Word x0 = kSystemOff;
  seL4_Word buffer_mr0 = 0;
  seL4_CPtr extra_cap = seL4_CapNull;
};

// x0..x5 as the kernel left them.
struct Regs {
  seL4_Word x[6];
  seL4_Word label() const { return seL4_MessageInfo_get_label(seL4_MessageInfo_t{{x[1]}}); }
  seL4_Word length() const { return seL4_MessageInfo_get_length(seL4_MessageInfo_t{{x[1]}}); }
};

seL4_Word info_of(const Message& m) {
  return seL4_MessageInfo_new(m.label, 0, m.extra_cap != seL4_CapNull ? 1 : 0, m.length).words[0];
}

// Sends m on cap; x1..x7 of the SMC are 0x11..0x77 (x4..x7 through the IPC buffer).
Regs send(seL4_CPtr cap, const Message& m) {
  seL4_SetMR(0, m.buffer_mr0);
  for (int i = 4; i < 8; ++i) seL4_SetMR(i, 0x11 * seL4_Word(i));
  seL4_SetCap(0, m.extra_cap);
  Regs r{{cap, info_of(m), m.x0, 0x11, 0x22, 0x33}};
  keel_sys_send_recv(m.sys, cap, &r.x[0], r.x[1], &r.x[1], &r.x[2], &r.x[3], &r.x[4], &r.x[5]);
  return r;
}

// A refused message: on Call, the error with no words (InvalidCapability: one word, 0); on Send
// and NBSend, no reply at all, so x0..x5 come back as sent.
bool expect_denied(Test& t, const char* what, seL4_CPtr cap, const Message& m, seL4_Error want) {
  const Regs r = send(cap, m);
  if (m.sys != KEEL_SYSNO(seL4_SysCall)) {
    const seL4_Word sent[6] = {cap, info_of(m), m.x0, 0x11, 0x22, 0x33};
    bool ok = true;
    for (int i = 0; i < 6; ++i)
      ok = ok && t.expect(r.x[i] == sent[i], "%s: x%d = 0x%lx after a send", what, i, r.x[i]);
    return ok;
  }
  const seL4_Word words = want == seL4_InvalidCapability ? 1 : 0;
  return t.expect(
      r.label() == seL4_Word(want) && r.length() == words && r.x[0] == 0 && (words == 0 || r.x[2] == 0),
      "%s: reply label %lu length %lu (x0 0x%lx, x2 0x%lx), expected %d/%lu", what, r.label(), r.length(),
      r.x[0], r.x[2], static_cast<int>(want), words);
}

bool expect_illegal(Test& t, const char* what, seL4_CPtr cap, seL4_Word x0) {
  return expect_denied(t, what, cap, Message{.x0 = x0}, seL4_IllegalOperation);
}

// The control: an allowed PSCI_VERSION comes back as QEMU's answer, with x1 as sent.
bool expect_psci_version(Test& t, const char* what, seL4_CPtr cap, seL4_Word buffer_mr0 = 0) {
  const Regs r = send(cap, Message{.x0 = kPsciVersion, .buffer_mr0 = buffer_mr0});
  return t.expect(r.label() == 0 && r.length() == 8 && r.x[2] == 0x10001 && r.x[3] == 0x11,
                  "%s: PSCI_VERSION replied label %lu length %lu x0 0x%lx", what, r.label(), r.length(),
                  r.x[2]);
}

bool expect_error(Test& t, const char* what, seL4_Error got, seL4_Error want) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

seL4_Error mint(seL4_CPtr dest, seL4_CPtr src, seL4_Word badge) {
  return kRoot.mint(dest, kRoot, src, seL4_AllRights, badge);
}

// Function IDs one bit or one word away from `id`, from bit `first_bit` on. PSCI_VERSION with bit
// 0, 1 or 2 flipped is CPU_SUSPEND, CPU_OFF or AFFINITY_INFO, which a broken kernel would really
// make (CPU_OFF would hang the run), so SMCB0001, which calls them, starts at bit 3; the host
// suite covers those bits with its monitor count. As badges (SMCB0002) every bit is safe.
unsigned near_ids(seL4_Word id, unsigned first_bit, seL4_Word (&out)[72]) {
  unsigned n = 0;
  for (unsigned bit = first_bit; bit < 64; ++bit) out[n++] = id ^ (kBit << bit);
  out[n++] = id | (kBit << 16);  // SVE hint
  out[n++] = id & ~(kBit << 31);
  out[n++] = 0xffffffff00000000 | id;  // sign-extended w0
  out[n++] = (id << 32) | id;
  out[n++] = id << 32;
  out[n++] = ~id;
  return n;
}

// A cap badged PSCI_VERSION refuses SYSTEM_OFF and every function ID near its own.
void smcb0001_near_function_ids(Test& t) {
  const seL4_CPtr cap = slot(t, 0);
  if (!expect_error(t, "Mint PSCI_VERSION", mint(cap, seL4_CapSMC, kPsciVersion), seL4_NoError)) return;
  expect_illegal(t, "SYSTEM_OFF", cap, kSystemOff);
  expect_illegal(t, "x0 = 0", cap, 0);
  seL4_Word ids[72];
  const unsigned n = near_ids(kPsciVersion, 3, ids);
  for (unsigned i = 0; i < n; ++i) {
    char what[48];
    snprintf(what, sizeof(what), "x0 = 0x%lx", ids[i]);
    expect_illegal(t, what, cap, ids[i]);
  }
  expect_psci_version(t, "the badged cap", cap);
  clear_slots(t);
}

// The other direction: a cap badged with any near miss of SYSTEM_OFF must not make SYSTEM_OFF.
// A kernel that compared 32 bits, or masked the SVE hint, would end QEMU here.
void smcb0002_near_badges(Test& t) {
  seL4_Word badges[72];
  const unsigned n = near_ids(kSystemOff, 0, badges);
  for (unsigned i = 0; i < n; ++i) {
    char what[48];
    snprintf(what, sizeof(what), "badge 0x%lx, SYSTEM_OFF", badges[i]);
    if (!expect_error(t, what, mint(slot(t, 0), seL4_CapSMC, badges[i]), seL4_NoError)) break;
    expect_illegal(t, what, slot(t, 0), kSystemOff);
    (void)kRoot.remove(slot(t, 0));
  }
  clear_slots(t);
}

// Label, then length, are checked before the badge: refused even through a cap badged SYSTEM_OFF
// called with x0 = SYSTEM_OFF, and through the master.
void smcb0003_label_and_length(Test& t) {
  const seL4_CPtr off = slot(t, 0);
  if (!expect_error(t, "Mint SYSTEM_OFF", mint(off, seL4_CapSMC, kSystemOff), seL4_NoError)) return;
  const seL4_CPtr caps[] = {off, seL4_CapSMC};
  for (seL4_CPtr cap : caps) {
    char what[64];
    for (seL4_Word len = 0; len < 8; ++len) {
      snprintf(what, sizeof(what), "cap %lu length %lu", cap, len);
      expect_denied(t, what, cap, Message{.length = len}, seL4_TruncatedMessage);
    }
    for (seL4_Word label = 0; label < ARMSMCCall + 8; ++label) {
      if (label == ARMSMCCall) continue;
      snprintf(what, sizeof(what), "cap %lu label %lu", cap, label);
      expect_denied(t, what, cap, Message{.label = label}, seL4_IllegalOperation);
      expect_denied(t, what, cap, Message{.label = label, .length = 0}, seL4_IllegalOperation);
    }
    for (unsigned bit = 6; bit < 52; ++bit) {  // the label field has 52 bits
      snprintf(what, sizeof(what), "cap %lu label bit %u", cap, bit);
      expect_denied(t, what, cap, Message{.label = ARMSMCCall | (kBit << bit)}, seL4_IllegalOperation);
    }
  }
  clear_slots(t);
}

// The badge is compared with MR0 from x2, the word the monitor gets: the IPC buffer's msg[0] does
// not count, and the master cap passed along as an extra cap adds no authority.
void smcb0004_where_mr0_comes_from(Test& t) {
  const seL4_CPtr cap = slot(t, 0);
  if (!expect_error(t, "Mint PSCI_VERSION", mint(cap, seL4_CapSMC, kPsciVersion), seL4_NoError)) return;
  expect_denied(t, "badge in msg[0], SYSTEM_OFF in x2", cap, Message{.buffer_mr0 = kPsciVersion},
                seL4_IllegalOperation);
  expect_denied(t, "master as an extra cap", cap, Message{.extra_cap = seL4_CapSMC}, seL4_IllegalOperation);
  // The other way round is allowed, and QEMU must see PSCI_VERSION, not msg[0]'s SYSTEM_OFF.
  expect_psci_version(t, "SYSTEM_OFF in msg[0], badge in x2", cap, kSystemOff);
  clear_slots(t);
}

// seL4: an invocation error on Send or NBSend has no reply; the refused SMC is not made either.
void smcb0005_send(Test& t) {
  const seL4_CPtr version = slot(t, 0), off = slot(t, 1), upper = slot(t, 2);
  if (!expect_error(t, "Mint", mint(version, seL4_CapSMC, kPsciVersion), seL4_NoError) ||
      !expect_error(t, "Mint", mint(off, seL4_CapSMC, kSystemOff), seL4_NoError) ||
      !expect_error(t, "Mint", mint(upper, seL4_CapSMC, kSystemOff | (kBit << 32)), seL4_NoError)) {
    clear_slots(t);
    return;
  }
  const seL4_Word syscalls[] = {KEEL_SYSNO(seL4_SysSend), KEEL_SYSNO(seL4_SysNBSend)};
  for (seL4_Word sys : syscalls) {
    expect_denied(t, "PSCI_VERSION cap, SYSTEM_OFF", version, Message{.sys = sys}, seL4_NoError);
    expect_denied(t, "badge with bit 32, SYSTEM_OFF", upper, Message{.sys = sys}, seL4_NoError);
    expect_denied(t, "SYSTEM_OFF cap, length 7", off, Message{.sys = sys, .length = 7}, seL4_NoError);
    expect_denied(t, "SYSTEM_OFF cap, label 0", off, Message{.sys = sys, .label = 0}, seL4_NoError);
    expect_denied(t, "master, length 0", seL4_CapSMC, Message{.sys = sys, .length = 0}, seL4_NoError);
  }
  clear_slots(t);
}

// seL4 (Arch_updateCapData): Mint from a badged SMC cap and Mutate of any SMC cap are
// IllegalOperation, whatever the badge asked for; the destination stays empty.
void smcb0006_remint_and_mutate(Test& t) {
  const seL4_CPtr cap = slot(t, 0), dest = slot(t, 1);
  if (!expect_error(t, "Mint PSCI_VERSION", mint(cap, seL4_CapSMC, kPsciVersion), seL4_NoError)) return;
  const seL4_Word badges[] = {0, kPsciVersion, kSystemOff, ~seL4_Word{0}};
  for (seL4_Word badge : badges) {
    char what[48];
    snprintf(what, sizeof(what), "re-Mint with badge 0x%lx", badge);
    bool refused = expect_error(t, what, mint(dest, cap, badge), seL4_IllegalOperation);
    snprintf(what, sizeof(what), "Mutate with data 0x%lx", badge);
    refused = refused && expect_error(t, what, kRoot.mutate(dest, kRoot, cap, badge), seL4_IllegalOperation);
    if (!refused) {  // dest may now allow SYSTEM_OFF: never call it
      clear_slots(t);
      return;
    }
  }
  if (!expect_error(t, "Mutate of the master", kRoot.mutate(dest, kRoot, seL4_CapSMC, kSystemOff),
                    seL4_IllegalOperation)) {
    (void)kRoot.move(seL4_CapSMC, kRoot, dest);  // put the master back for the final power-off
    clear_slots(t);
    return;
  }
  t.expect_eq("master still in place", seL4_DebugCapIdentify(seL4_CapSMC), seL4_CapTag_SMC);
  expect_denied(t, "the refused destination", dest, Message{}, seL4_InvalidCapability);
  expect_illegal(t, "the source, SYSTEM_OFF", cap, kSystemOff);
  expect_psci_version(t, "the source", cap);
  clear_slots(t);
}

// Copy and Move keep the badge; Rotate passes both caps through updateCapData with preserve
// set, so an SMC cap as source or pivot makes the whole Rotate IllegalOperation.
void smcb0007_copy_move_rotate(Test& t) {
  const seL4_CPtr cap = slot(t, 0), copy = slot(t, 1), moved = slot(t, 2), tcb = slot(t, 3),
                  dest = slot(t, 4);
  if (!expect_error(t, "Mint PSCI_VERSION", mint(cap, seL4_CapSMC, kPsciVersion), seL4_NoError) ||
      !expect_error(t, "Copy", kRoot.copy(copy, kRoot, cap, seL4_AllRights), seL4_NoError) ||
      !expect_error(t, "Copy TCB", kRoot.copy(tcb, kRoot, seL4_CapInitThreadTCB, seL4_AllRights),
                    seL4_NoError)) {
    clear_slots(t);
    return;
  }
  expect_illegal(t, "copy, SYSTEM_OFF", copy, kSystemOff);
  expect_psci_version(t, "copy", copy);
  if (expect_error(t, "Move", kRoot.move(moved, kRoot, copy), seL4_NoError)) {
    expect_illegal(t, "moved, SYSTEM_OFF", moved, kSystemOff);
    expect_illegal(t, "moved, upper bit", moved, kPsciVersion | (kBit << 32));
    expect_psci_version(t, "moved", moved);
    expect_denied(t, "moved-from slot", copy, Message{}, seL4_InvalidCapability);
  }
  expect_error(t, "Rotate, SMC source", kRoot.rotate(dest, 0, tcb, 0, cap), seL4_IllegalOperation);
  expect_error(t, "Rotate, SMC pivot", kRoot.rotate(dest, 0, cap, 0, tcb), seL4_IllegalOperation);
  expect_error(t, "Rotate, SMC swap", kRoot.rotate(cap, 0, tcb, 0, cap), seL4_IllegalOperation);
  t.expect_eq("TCB copy still in place", seL4_DebugCapIdentify(tcb), seL4_CapTag_Thread);
  expect_denied(t, "Rotate's destination", dest, Message{}, seL4_InvalidCapability);
  expect_illegal(t, "after Rotates, SYSTEM_OFF", cap, kSystemOff);
  clear_slots(t);
}

// Caps removed by revoke or delete are empty slots: InvalidCapability(0) on Call, nothing on
// Send. Each of these caps allowed SYSTEM_OFF: one that survived and answered the debug
// identify call as empty would end the run.
void smcb0008_revoked_and_deleted(Test& t) {
  const seL4_CPtr s0 = slot(t, 0), s1 = slot(t, 1);
  auto gone = [&t](const char* what, seL4_CPtr cap) {
    // A cap still there allows SYSTEM_OFF: report it rather than call it.
    if (!t.expect_eq(what, seL4_DebugCapIdentify(cap), seL4_CapTag_Null)) return;
    expect_denied(t, what, cap, Message{}, seL4_InvalidCapability);
    expect_denied(t, what, cap, Message{.length = 0}, seL4_InvalidCapability);
    expect_denied(t, what, cap, Message{.sys = KEEL_SYSNO(seL4_SysSend)}, seL4_NoError);
    expect_denied(t, what, cap, Message{.sys = KEEL_SYSNO(seL4_SysNBSend)}, seL4_NoError);
  };
  // A copy of a minted cap goes with it; the minted original stays (and is never called here).
  if (mint(s0, seL4_CapSMC, kSystemOff) == seL4_NoError &&
      kRoot.copy(s1, kRoot, s0, seL4_AllRights) == seL4_NoError) {
    expect_error(t, "Revoke minted", kRoot.revoke(s0), seL4_NoError);
    gone("copy of a revoked mint", s1);
  }
  clear_slots(t);
  // A cap minted before a revoke of its parent, the master, and called after it; also after
  // a Move, which keeps the cap's place in the derivation tree.
  if (mint(s0, seL4_CapSMC, kSystemOff) == seL4_NoError) {
    expect_error(t, "Revoke master", kRoot.revoke(seL4_CapSMC), seL4_NoError);
    gone("mint, master revoked", s0);
  }
  clear_slots(t);
  if (mint(s0, seL4_CapSMC, kSystemOff) == seL4_NoError && kRoot.move(s1, kRoot, s0) == seL4_NoError) {
    expect_error(t, "Revoke master", kRoot.revoke(seL4_CapSMC), seL4_NoError);
    gone("moved mint, master revoked", s1);
  }
  clear_slots(t);
  // Minted from an unbadged copy of the master: both go when the master is revoked.
  if (kRoot.copy(s0, kRoot, seL4_CapSMC, seL4_AllRights) == seL4_NoError &&
      mint(s1, s0, kSystemOff) == seL4_NoError) {
    expect_error(t, "Revoke master", kRoot.revoke(seL4_CapSMC), seL4_NoError);
    gone("copy of the master, master revoked", s0);
    gone("mint from that copy, master revoked", s1);
  }
  clear_slots(t);
  if (mint(s0, seL4_CapSMC, kSystemOff) == seL4_NoError) {
    expect_error(t, "Delete", kRoot.remove(s0), seL4_NoError);
    gone("deleted", s0);
  }
  t.expect_eq("master still in place", seL4_DebugCapIdentify(seL4_CapSMC), seL4_CapTag_SMC);
  expect_psci_version(t, "master", seL4_CapSMC);
  clear_slots(t);
}

constexpr TestCase kCases[] = {
    {"SMCB0001 a badged cap refuses function IDs near its own", smcb0001_near_function_ids},
    {"SMCB0002 caps badged near SYSTEM_OFF cannot make it", smcb0002_near_badges},
    {"SMCB0003 label and length are checked before the badge", smcb0003_label_and_length},
    {"SMCB0004 MR0 comes from x2; extra caps add no authority", smcb0004_where_mr0_comes_from},
    {"SMCB0005 refused Send and NBSend make no SMC", smcb0005_send},
    {"SMCB0006 no re-Mint or Mutate of SMC caps", smcb0006_remint_and_mutate},
    {"SMCB0007 Copy and Move keep the badge; no Rotate", smcb0007_copy_move_rotate},
    {"SMCB0008 revoked and deleted SMC caps are gone", smcb0008_revoked_and_deleted},
};

}  // namespace

Suite smc_bypass_suite() {
  // The controls make real SMCs: only where QEMU answers them, and only with the master cap.
  if constexpr (SYSTEST_ALLOW_SMC_CALLS == 0 || SYSTEST_CNODE_TESTS == 0 || SYSTEST_SMC_EXEC == 0) {
    return Suite{nullptr, 0};
  } else {
    return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])};
  }
}

}  // namespace systest
