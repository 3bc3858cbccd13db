// SGI00xx: software-generated interrupts as seL4 16.0.0 offers them on one core. IRQControl's
// IssueSGISignal makes an SGISignal cap (tag 27) for one SGI id and one GICv2 CPU interface;
// signalling it writes GICD_SGIR. An SGI for interface 0 comes back to this core as IRQ `id`,
// which IRQControl_Get hands out like any other IRQ, so a handler delivers it to a notification.
// Each case deletes what it made; the SGI's IRQ is free again afterwards.
#include "framework.h"
#include "raw_call.h"

namespace systest {
namespace {

constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;
constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_Word kSgi = 6, kBadge = 0x5a1;

seL4_CPtr slot(const Test& t, unsigned i) { return t.bi()->empty.start + 200 + i; }

bool ok(Test& t, const char* what, seL4_Error got, seL4_Error want = seL4_NoError) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

// An SGI raised at this core has been taken (and signalled) once a syscall has come back.
void settle() { seL4_Yield(); }

seL4_Word poll(seL4_CPtr ntfn) {
  seL4_Word word = 0;
  (void)seL4_Poll(ntfn, &word);
  return word;
}

seL4_CPtr ram_untyped(const seL4_BootInfo* bi) {
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= 12) return bi->untyped.start + i;
  }
  return 0;
}

// A notification (slot 0), a copy badged kBadge (slot 1) and an IRQ handler for the SGI's IRQ
// (slot 2) signalling the copy.
bool bind_sgi_irq(Test& t, seL4_Word irq) {
  const seL4_CPtr ut = ram_untyped(t.bi());
  if (!t.expect(ut != 0, "no RAM untyped")) return false;
  return ok(t, "Retype notification",
            seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, kRoot, 0, 0, slot(t, 0), 1)) &&
         ok(t, "Mint badged copy",
            seL4_CNode_Mint(kRoot, slot(t, 1), kDepth, kRoot, slot(t, 0), kDepth, seL4_AllRights, kBadge)) &&
         ok(t, "IRQControl_Get for an SGI's IRQ",
            seL4_IRQControl_Get(seL4_CapIRQControl, irq, kRoot, slot(t, 2), kDepth)) &&
         ok(t, "SetNotification", seL4_IRQHandler_SetNotification(slot(t, 2), slot(t, 1)));
}

void clean_up(Test& t, unsigned slots) {
  for (unsigned i = 0; i < slots; ++i) (void)seL4_CNode_Delete(kRoot, slot(t, i), kDepth);
}

// seL4 order: length and destination CNode, id < 16, target <= 7, the destination's lookup, the
// destination empty.
void sgi0001_issue_errors(Test& t) {
  const seL4_CPtr dest = slot(t, 3);
  const RawReply r = raw_call(seL4_CapIRQControl, ARMIRQIssueSGISignal, 4, kSgi, 0, dest, kDepth);
  t.expect(r.label() == seL4_TruncatedMessage, "no CNode: label %lu", r.label());
  ok(t, "id 16, target 8", seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 16, 8, kRoot, dest, kDepth),
     seL4_RangeError);
  t.expect_eq("RangeError min", seL4_GetMR(0), 0);
  t.expect_eq("RangeError max", seL4_GetMR(1), 15);
  ok(t, "target 8", seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 15, 8, kRoot, dest, kDepth),
     seL4_InvalidArgument);
  t.expect_eq("InvalidArgument number", seL4_GetMR(0), 1);
  ok(t, "root not a CNode",
     seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, kSgi, 0, seL4_CapInitThreadTCB, dest, kDepth),
     seL4_FailedLookup);
  ok(t, "depth 0", seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, kSgi, 0, kRoot, dest, 0),
     seL4_RangeError);
  ok(t, "occupied slot",
     seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, kSgi, 0, kRoot, seL4_CapIRQControl, kDepth),
     seL4_DeleteFirst);
  t.expect_eq("nothing issued", seL4_DebugCapIdentify(dest), seL4_CapTag_Null);
}

void sgi0002_signal_reaches_the_handlers_notification(Test& t) {
  const seL4_CPtr sgi = slot(t, 3);
  if (bind_sgi_irq(t, kSgi) &&
      ok(t, "IssueSGISignal",
         seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, kSgi, 0, kRoot, sgi, kDepth))) {
    t.expect_eq("tag", seL4_DebugCapIdentify(sgi), seL4_CapTag_SGISignal);
    t.expect_eq("nothing yet", poll(slot(t, 0)), 0);
    seL4_Signal(sgi);
    settle();
    t.expect_eq("signalled with the handler's badge", poll(slot(t, 0)), kBadge);
    ok(t, "Ack", seL4_IRQHandler_Ack(slot(t, 2)));
    const RawReply r = raw_call(sgi, 1000, 0, 0, 0, 0, 0);  // any label; Call answers success
    t.expect(r.label() == 0 && r.length() == 0, "Call replied label %lu length %lu", r.label(), r.length());
    settle();
    t.expect_eq("signalled again", poll(slot(t, 0)), kBadge);
    ok(t, "Ack", seL4_IRQHandler_Ack(slot(t, 2)));
  }
  clean_up(t, 4);
}

void sgi0003_other_targets_and_copies(Test& t) {
  const seL4_CPtr other = slot(t, 3), copy = slot(t, 4);
  if (bind_sgi_irq(t, kSgi) &&
      ok(t, "IssueSGISignal target 1",
         seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, kSgi, 1, kRoot, other, kDepth))) {
    seL4_Signal(other);
    settle();
    t.expect_eq("interface 1 is no CPU here: nothing", poll(slot(t, 0)), 0);
    ok(t, "Mint (badge and rights ignored)",
       seL4_CNode_Mint(kRoot, copy, kDepth, kRoot, other, kDepth, seL4_NoRights, 0x99));
    t.expect_eq("copy's tag", seL4_DebugCapIdentify(copy), seL4_CapTag_SGISignal);
    ok(t, "Revoke the original", seL4_CNode_Revoke(kRoot, other, kDepth));
    t.expect_eq("the copy went with it", seL4_DebugCapIdentify(copy), seL4_CapTag_Null);
  }
  clean_up(t, 5);
}

const TestCase kCases[] = {
    {"SGI0001 IRQControl_IssueSGISignal checks in seL4's order: CNode, id 0..15, target 0..7, slot",
     sgi0001_issue_errors},
    {"SGI0002 signalling an SGISignal cap for core 0 delivers through the SGI's IRQ handler with its badge",
     sgi0002_signal_reaches_the_handlers_notification},
    {"SGI0003 an SGI for another CPU interface arrives nowhere; copies ignore Mint's badge and are revoked",
     sgi0003_other_targets_and_copies},
};

}  // namespace

Suite sgi_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
