// CSPC00xx: CSpace work at scale through the real ABI: revoking a large derivation tree,
// retyping until an untyped is exhausted, deleting CNodes that hold caps (also themselves),
// lookup failures with their error words, CancelBadgedSends and SaveCaller.
#include "framework.h"

namespace systest {
namespace {

constexpr seL4_Uint8 kDepth = seL4_WordBits;
constexpr seL4_CPtr kRoot = seL4_CapInitThreadCNode;

seL4_CPtr free_slot(const Test& t, unsigned i) { return t.bi()->empty.start + i; }

bool expect_error(Test& t, const char* what, seL4_Error got, seL4_Error want) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

// A RAM untyped of exactly 2^bits bytes, or (failing that) the smallest larger one, as a slot.
seL4_CPtr ram_untyped(const seL4_BootInfo* bi, unsigned bits) {
  seL4_CPtr best = 0;
  unsigned best_bits = 64;
  for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (!u.isDevice && u.sizeBits >= bits && u.sizeBits < best_bits) {
      best = bi->untyped.start + i;
      best_bits = u.sizeBits;
    }
  }
  return best;
}

seL4_Error retype(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_CPtr dest, seL4_Word n) {
  return seL4_Untyped_Retype(ut, type, size_bits, kRoot, 0, 0, dest, n);
}

// Every case works in a fresh 64 KiB untyped carved from a boot untyped into `slot`; release()
// revokes the boot untyped, which removes the scratch untyped and all it made.
constexpr unsigned kScratchBits = 16;

struct Scratch {
  seL4_CPtr parent = 0;
  seL4_CPtr ut = 0;
};

Scratch scratch_untyped(Test& t, seL4_CPtr slot) {
  const seL4_CPtr parent = ram_untyped(t.bi(), kScratchBits);
  if (!t.expect(parent != 0, "no 64 KiB RAM untyped")) return {};
  if (!expect_error(t, "Retype scratch untyped", retype(parent, seL4_UntypedObject, kScratchBits, slot, 1),
                    seL4_NoError)) {
    return {};
  }
  return Scratch{parent, slot};
}

void release(Test& t, const Scratch& s) {
  expect_error(t, "Revoke boot untyped", seL4_CNode_Revoke(kRoot, s.parent, kDepth), seL4_NoError);
  t.expect(seL4_DebugCapIdentify(s.ut) == 0, "scratch untyped survived the revoke");
}

// One endpoint, 250 copies in a child CNode and 4 badged children with their own copies:
// revoking the endpoint's original removes all of them, and the untyped is reusable after.
void cspc0001_revoke_large_tree(Test& t) {
  const Scratch sc = scratch_untyped(t, free_slot(t, 10));
  const seL4_CPtr ut = sc.ut, ep = free_slot(t, 0), node = free_slot(t, 1), badged = free_slot(t, 2);
  if (ut == 0) return;
  expect_error(t, "Retype endpoint", retype(ut, seL4_EndpointObject, 0, ep, 1), seL4_NoError);
  expect_error(t, "Retype 256-slot CNode", retype(ut, seL4_CapTableObject, 8, node, 1), seL4_NoError);
  for (seL4_Word i = 0; i < 250; ++i) {
    if (seL4_CNode_Copy(node, i, 8, kRoot, ep, kDepth, seL4_AllRights) != seL4_NoError) {
      t.expect(false, "copy %lu into the child CNode failed", i);
      break;
    }
  }
  for (seL4_Word b = 0; b < 4; ++b) {
    expect_error(t, "Mint badged",
                 seL4_CNode_Mint(kRoot, badged + b, kDepth, kRoot, ep, kDepth, seL4_AllRights, b + 1),
                 seL4_NoError);
    expect_error(t, "Copy badged",
                 seL4_CNode_Copy(node, 250 + b, 8, kRoot, badged + b, kDepth, seL4_AllRights), seL4_NoError);
  }
  expect_error(t, "Revoke endpoint", seL4_CNode_Revoke(kRoot, ep, kDepth), seL4_NoError);
  for (seL4_Word b = 0; b < 4; ++b)
    t.expect(seL4_DebugCapIdentify(badged + b) == 0, "badged %lu survived", b);
  t.expect(seL4_DebugCapIdentify(ep) == seL4_CapTag_Endpoint, "the original itself was revoked");
  // The child CNode's slots are empty now: moving into every one of them must succeed.
  expect_error(t, "Copy into slot 0 after revoke",
               seL4_CNode_Copy(node, 0, 8, kRoot, ep, kDepth, seL4_AllRights), seL4_NoError);
  expect_error(t, "Revoke untyped", seL4_CNode_Revoke(kRoot, ut, kDepth), seL4_NoError);
  t.expect(seL4_DebugCapIdentify(ep) == 0 && seL4_DebugCapIdentify(node) == 0, "untyped revoke left caps");
  release(t, sc);
}

// Frames of 4 KiB from a 64 KiB untyped: 16 fit, the 17th reports NotEnoughMemory with the
// bytes left; after revoking, the whole untyped is available again.
void cspc0002_retype_until_exhausted(Test& t) {
  const Scratch sc = scratch_untyped(t, free_slot(t, 30));
  const seL4_CPtr ut = sc.ut;
  if (ut == 0) return;
  constexpr seL4_Word pages = seL4_Word{1} << (kScratchBits - seL4_PageBits);
  const seL4_CPtr base = free_slot(t, 0);
  seL4_Word made = 0;
  for (; made < pages + 1; ++made) {
    if (retype(ut, seL4_ARM_SmallPageObject, 0, base + made, 1) != seL4_NoError) break;
  }
  t.expect_eq("frames that fit", made, pages);
  if (expect_error(t, "one more frame", retype(ut, seL4_ARM_SmallPageObject, 0, base + made, 1),
                   seL4_NotEnoughMemory)) {
    t.expect_eq("NotEnoughMemory MR0 (bytes left)", seL4_GetMR(0), 0);
  }
  expect_error(t, "Revoke untyped", seL4_CNode_Revoke(kRoot, ut, kDepth), seL4_NoError);
  expect_error(t, "Retype all of it again", retype(ut, seL4_ARM_SmallPageObject, 0, base, pages),
               seL4_NoError);
  release(t, sc);
}

// Deleting the only cap to a CNode that holds caps deletes what it holds, so the untyped is
// free of children and resets. A CNode that holds a cap to itself is not freed by deleting the
// outside cap (that cap is not final, as in seL4); revoking its untyped reclaims it.
void cspc0003_delete_cnode_holding_caps(Test& t) {
  const Scratch sc = scratch_untyped(t, free_slot(t, 10));
  const seL4_CPtr ut = sc.ut, node = free_slot(t, 0), ep = free_slot(t, 1);
  if (ut == 0) return;
  expect_error(t, "Retype CNode", retype(ut, seL4_CapTableObject, 4, node, 1), seL4_NoError);
  expect_error(t, "Retype endpoint", retype(ut, seL4_EndpointObject, 0, ep, 1), seL4_NoError);
  for (seL4_Word i = 0; i < 8; ++i) {
    expect_error(t, "Copy endpoint in", seL4_CNode_Copy(node, i, 4, kRoot, ep, kDepth, seL4_AllRights),
                 seL4_NoError);
  }
  expect_error(t, "Delete the CNode", seL4_CNode_Delete(kRoot, node, kDepth), seL4_NoError);
  t.expect(seL4_DebugCapIdentify(node) == 0, "CNode cap still there");
  // The copies went with the CNode: the endpoint's original has no children to revoke, and
  // once it is deleted too the untyped has no children, so all of it can be retyped again.
  expect_error(t, "Delete endpoint", seL4_CNode_Delete(kRoot, ep, kDepth), seL4_NoError);
  expect_error(t, "Retype whole untyped", retype(ut, seL4_UntypedObject, kScratchBits, node, 1),
               seL4_NoError);
  expect_error(t, "Delete it", seL4_CNode_Delete(kRoot, node, kDepth), seL4_NoError);

  expect_error(t, "Retype CNode", retype(ut, seL4_CapTableObject, 4, node, 1), seL4_NoError);
  expect_error(t, "Copy the CNode into itself",
               seL4_CNode_Copy(node, 15, 4, kRoot, node, kDepth, seL4_AllRights), seL4_NoError);
  expect_error(t, "Delete the outside cap", seL4_CNode_Delete(kRoot, node, kDepth), seL4_NoError);
  expect_error(t, "Retype whole untyped while the CNode lives",
               retype(ut, seL4_UntypedObject, kScratchBits, node, 1), seL4_NotEnoughMemory);
  expect_error(t, "Revoke untyped", seL4_CNode_Revoke(kRoot, ut, kDepth), seL4_NoError);
  expect_error(t, "Retype whole untyped after revoke", retype(ut, seL4_UntypedObject, kScratchBits, node, 1),
               seL4_NoError);
  release(t, sc);
}

// CNode-operation lookups report each failure kind with seL4's words.
void cspc0004_lookup_failures(Test& t) {
  // A set bit inside the root CNode's 52-bit zero guard.
  if (expect_error(t, "Delete, guard mismatch", seL4_CNode_Delete(kRoot, seL4_Word{1} << 20, kDepth),
                   seL4_FailedLookup)) {
    t.expect_eq("MR0 (source)", seL4_GetMR(0), 0);
    t.expect_eq("MR1 (type)", seL4_GetMR(1), seL4_GuardMismatch);
    t.expect_eq("MR2 (bitsLeft)", seL4_GetMR(2), 64);
    t.expect_eq("MR3 (guardFound)", seL4_GetMR(3), 0);
    t.expect_eq("MR4 (bitsFound)", seL4_GetMR(4), 64 - t.bi()->initThreadCNodeSizeBits);
  }
  // 60 bits cover the guard but not guard + radix.
  if (expect_error(t, "Delete, depth mismatch", seL4_CNode_Delete(kRoot, 1, 60), seL4_FailedLookup)) {
    t.expect_eq("MR1 (type)", seL4_GetMR(1), seL4_DepthMismatch);
    t.expect_eq("MR2 (bitsLeft)", seL4_GetMR(2), 60);
    t.expect_eq("MR3 (bitsFound)", seL4_GetMR(3), 64);
  }
  // A depth shorter than the guard is a guard mismatch too.
  if (expect_error(t, "Delete, depth 8", seL4_CNode_Delete(kRoot, 1, 8), seL4_FailedLookup)) {
    t.expect_eq("MR1 (type)", seL4_GetMR(1), seL4_GuardMismatch);
  }
}

void cspc0005_cancel_badged_sends_and_save_caller(Test& t) {
  const Scratch sc = scratch_untyped(t, free_slot(t, 10));
  const seL4_CPtr ut = sc.ut, ep = free_slot(t, 0), badged = free_slot(t, 1), weak = free_slot(t, 2),
                  saved = free_slot(t, 3);
  if (ut == 0) return;
  expect_error(t, "Retype endpoint", retype(ut, seL4_EndpointObject, 0, ep, 1), seL4_NoError);
  expect_error(t, "Mint badge 7",
               seL4_CNode_Mint(kRoot, badged, kDepth, kRoot, ep, kDepth, seL4_AllRights, 7), seL4_NoError);
  // seL4: a badged endpoint cap cannot be minted again, but copied with fewer rights.
  expect_error(t, "Mint from badged",
               seL4_CNode_Mint(kRoot, weak, kDepth, kRoot, badged, kDepth, seL4_CanWrite, 0),
               seL4_IllegalOperation);
  expect_error(t, "Copy without grant",
               seL4_CNode_Copy(kRoot, weak, kDepth, kRoot, badged, kDepth, seL4_CanWrite), seL4_NoError);
  expect_error(t, "CancelBadgedSends", seL4_CNode_CancelBadgedSends(kRoot, badged, kDepth), seL4_NoError);
  expect_error(t, "CancelBadgedSends unbadged", seL4_CNode_CancelBadgedSends(kRoot, ep, kDepth),
               seL4_NoError);
  // seL4: CancelBadgedSends needs an endpoint cap with all rights.
  expect_error(t, "CancelBadgedSends, fewer rights", seL4_CNode_CancelBadgedSends(kRoot, weak, kDepth),
               seL4_IllegalOperation);
  expect_error(t, "CancelBadgedSends on a TCB",
               seL4_CNode_CancelBadgedSends(kRoot, seL4_CapInitThreadTCB, kDepth), seL4_IllegalOperation);
  // The root task was not called by anyone: there is no reply cap to save.
  expect_error(t, "SaveCaller", seL4_CNode_SaveCaller(kRoot, saved, kDepth), seL4_NoError);
  t.expect(seL4_DebugCapIdentify(saved) == 0, "SaveCaller made a cap from nothing");
  expect_error(t, "SaveCaller, occupied", seL4_CNode_SaveCaller(kRoot, ep, kDepth), seL4_DeleteFirst);
  release(t, sc);
}

const TestCase kCases[] = {
    {"CSPC0001 revoke of a large derivation tree", cspc0001_revoke_large_tree},
    {"CSPC0002 retype until the untyped is exhausted", cspc0002_retype_until_exhausted},
    {"CSPC0003 delete a CNode that holds caps", cspc0003_delete_cnode_holding_caps},
    {"CSPC0004 lookup failure words", cspc0004_lookup_failures},
    {"CSPC0005 CancelBadgedSends and SaveCaller", cspc0005_cancel_badged_sends_and_save_caller},
};

}  // namespace

Suite cspace_suite() { return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])}; }

}  // namespace systest
