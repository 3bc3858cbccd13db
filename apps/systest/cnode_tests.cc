// CNODE00xx: CNode and Untyped invocations on the root CNode: results, error words, clean-up.
#include "framework.h"

#include <keel/sel4.hpp>

namespace systest {
namespace {

constexpr seL4_Uint8 kDepth = seL4_WordBits;  // the root CNode resolves a whole word in one level
constexpr keel::CNode kRoot{seL4_CapInitThreadCNode};

// Free slots for a test: the first few of bi->empty. Every test empties them again.
seL4_CPtr free_slot(const Test& t, unsigned i) { return t.bi()->empty.start + i; }

void clear_slots(const Test& t, unsigned n) {
  for (unsigned i = 0; i < n; ++i) {
    (void)seL4_CNode_Delete(seL4_CapInitThreadCNode, free_slot(t, i), kDepth);
  }
}

bool expect_error(Test& t, const char* what, seL4_Error got, seL4_Error want) {
  return t.expect(got == want, "%s returned %d, expected %d", what, static_cast<int>(got),
                  static_cast<int>(want));
}

bool expect_tag(Test& t, seL4_CPtr slot, seL4_Uint32 want) {
  const seL4_Uint32 got = seL4_DebugCapIdentify(slot);
  return t.expect(got == want, "slot %lu identifies as %u, expected %u", slot, got, want);
}

void cnode0001_copy_delete(Test& t) {
  const seL4_CPtr e0 = free_slot(t, 0);
  expect_error(t, "Copy TCB", kRoot.copy(e0, kRoot, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Thread);
  expect_tag(t, seL4_CapInitThreadTCB, seL4_CapTag_Thread);
  expect_error(t, "Delete copy", kRoot.remove(e0), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Null);
  // seL4: deleting an empty slot is not an error.
  expect_error(t, "Delete empty slot", kRoot.remove(e0), seL4_NoError);
  clear_slots(t, 1);
}

void cnode0002_copy_errors(Test& t) {
  const seL4_CPtr e0 = free_slot(t, 0), e1 = free_slot(t, 1);
  // seL4: CNode Copy, destination occupied -> DeleteFirst.
  expect_error(t, "Copy onto the TCB slot",
               kRoot.copy(seL4_CapInitThreadTCB, kRoot, seL4_CapInitThreadCNode, seL4_AllRights),
               seL4_DeleteFirst);
  // seL4: source empty -> FailedLookup(source = 1, MissingCapability, bitsLeft = src depth).
  if (expect_error(t, "Copy from an empty slot", kRoot.copy(e0, kRoot, e1, seL4_AllRights),
                   seL4_FailedLookup)) {
    t.expect_eq("FailedLookup MR0 (source)", seL4_GetMR(0), 1);
    t.expect_eq("FailedLookup MR1 (type)", seL4_GetMR(1), seL4_MissingCapability);
    t.expect_eq("FailedLookup MR2 (bitsLeft)", seL4_GetMR(2), kDepth);
  }
  // seL4: depth outside [1, 64] -> RangeError(1, 64).
  if (expect_error(t, "Delete with depth 0", seL4_CNode_Delete(seL4_CapInitThreadCNode, e0, 0),
                   seL4_RangeError)) {
    t.expect_eq("RangeError MR0 (min)", seL4_GetMR(0), 1);
    t.expect_eq("RangeError MR1 (max)", seL4_GetMR(1), 64);
  }
  expect_tag(t, e0, seL4_CapTag_Null);
  clear_slots(t, 2);
}

void cnode0003_move_mutate_rotate(Test& t) {
  const seL4_CPtr e0 = free_slot(t, 0), e1 = free_slot(t, 1), e2 = free_slot(t, 2);
  expect_error(t, "Copy TCB", kRoot.copy(e0, kRoot, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
  expect_error(t, "Move", kRoot.move(e1, kRoot, e0), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Null);
  expect_tag(t, e1, seL4_CapTag_Thread);
  // Mutate ignores the data word for caps that carry no badge or guard.
  expect_error(t, "Mutate", kRoot.mutate(e0, kRoot, e1, 0), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Thread);
  expect_tag(t, e1, seL4_CapTag_Null);
  // Rotate with dest == src swaps two caps: e0 (TCB) -> e1 is the pivot step's source.
  expect_error(t, "Copy CNode", kRoot.copy(e1, kRoot, seL4_CapInitThreadCNode, seL4_AllRights), seL4_NoError);
  expect_error(t, "Rotate", kRoot.rotate(e2, 0, e1, 0, e0), seL4_NoError);
  expect_tag(t, e2, seL4_CapTag_CNode);
  expect_tag(t, e1, seL4_CapTag_Thread);
  expect_tag(t, e0, seL4_CapTag_Null);
  clear_slots(t, 3);
}

void cnode0004_revoke(Test& t) {
  const seL4_CPtr e0 = free_slot(t, 0), e1 = free_slot(t, 1);
  expect_error(t, "Copy TCB", kRoot.copy(e0, kRoot, seL4_CapInitThreadTCB, seL4_AllRights), seL4_NoError);
  expect_error(t, "Copy the copy", kRoot.copy(e1, kRoot, e0, seL4_AllRights), seL4_NoError);
  // Both copies are descendants of the original: revoking it deletes them, keeps it.
  expect_error(t, "Revoke TCB", kRoot.revoke(seL4_CapInitThreadTCB), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Null);
  expect_tag(t, e1, seL4_CapTag_Null);
  expect_tag(t, seL4_CapInitThreadTCB, seL4_CapTag_Thread);
  clear_slots(t, 2);
}

void cnode0005_bad_length(Test& t) {
  // seL4: CNode methods need at least (index, depth) -> TruncatedMessage.
  seL4_Word mr[4] = {free_slot(t, 0), kDepth, 0, 0};
  expect_error(t, "Revoke with 1 word", keel_invoke(seL4_CapInitThreadCNode, CNodeRevoke, 0, 1, mr),
               seL4_TruncatedMessage);
  // Copy without its source-root extra cap.
  seL4_Word mr2[4] = {free_slot(t, 0), kDepth, seL4_CapInitThreadTCB, kDepth};
  seL4_SetMR(4, seL4_AllRights.words[0]);
  expect_error(t, "Copy without cap0", keel_invoke(seL4_CapInitThreadCNode, CNodeCopy, 0, 5, mr2),
               seL4_TruncatedMessage);
  clear_slots(t, 1);
}

// The smallest RAM untyped that can hold a few small objects; untyped list index or -1.
int find_ram_untyped(const seL4_BootInfo* bi, unsigned min_bits) {
  int best = -1;
  const seL4_Word n = bi->untyped.end - bi->untyped.start;
  for (unsigned i = 0; i < n && i < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS; ++i) {
    const seL4_UntypedDesc& u = bi->untypedList[i];
    if (u.isDevice == 0 && u.sizeBits >= min_bits &&
        (best < 0 || u.sizeBits < bi->untypedList[best].sizeBits)) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

void cnode0006_retype(Test& t) {
  const int index = find_ram_untyped(t.bi(), seL4_PageBits);
  if (!t.expect(index >= 0, "no RAM untyped of at least 4 KiB")) return;
  const keel::Untyped ut{t.bi()->untyped.start + static_cast<seL4_Word>(index)};
  const seL4_CPtr e0 = free_slot(t, 0);
  expect_error(t, "Retype endpoint", ut.retype_into_root(seL4_EndpointObject, 0, kRoot, e0), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Endpoint);
  expect_error(t, "Retype 2 notifications", ut.retype_into_root(seL4_NotificationObject, 0, kRoot, e0 + 1, 2),
               seL4_NoError);
  expect_tag(t, e0 + 1, seL4_CapTag_Notification);
  expect_tag(t, e0 + 2, seL4_CapTag_Notification);
  // seL4: Retype into an occupied slot -> DeleteFirst.
  expect_error(t, "Retype onto endpoint", ut.retype_into_root(seL4_EndpointObject, 0, kRoot, e0),
               seL4_DeleteFirst);
  // seL4: type >= ObjectTypeCount -> InvalidArgument(0).
  if (expect_error(t, "Retype bad type", ut.retype_into_root(seL4_ObjectTypeCount, 0, kRoot, e0 + 3),
                   seL4_InvalidArgument)) {
    t.expect_eq("InvalidArgument MR0", seL4_GetMR(0), 0);
  }
  // seL4: num_objects outside [1, 256] -> RangeError(1, 256).
  if (expect_error(t, "Retype 0 objects", ut.retype_into_root(seL4_EndpointObject, 0, kRoot, e0 + 3, 0),
                   seL4_RangeError)) {
    t.expect(seL4_GetMR(0) == 1 && seL4_GetMR(1) == 256, "RangeError words %lu, %lu", seL4_GetMR(0),
             seL4_GetMR(1));
  }
  // Revoking the untyped deletes every object made from it.
  expect_error(t, "Revoke untyped", kRoot.revoke(ut.cptr()), seL4_NoError);
  for (unsigned i = 0; i < 3; ++i) expect_tag(t, e0 + i, seL4_CapTag_Null);
  clear_slots(t, 4);
}

// A child CNode made by Retype is addressed by (index, depth) inside it, as sel4test's CSpaces are.
void cnode0007_child_cnode(Test& t) {
  const int index = find_ram_untyped(t.bi(), seL4_PageBits);
  if (!t.expect(index >= 0, "no RAM untyped of at least 4 KiB")) return;
  const keel::Untyped ut{t.bi()->untyped.start + static_cast<seL4_Word>(index)};
  const seL4_CPtr e0 = free_slot(t, 0), e1 = free_slot(t, 1);
  const keel::CNode child{e0, 4};
  expect_error(t, "Retype 16-slot CNode", ut.retype_into_root(seL4_CapTableObject, 4, kRoot, e0),
               seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_CNode);
  expect_error(t, "Copy TCB into the child", child.copy(3, kRoot, seL4_CapInitThreadTCB, seL4_AllRights),
               seL4_NoError);
  expect_error(t, "Copy it back to the root", kRoot.copy(e1, child, 3, seL4_AllRights), seL4_NoError);
  expect_tag(t, e1, seL4_CapTag_Thread);
  // seL4: a CNode-operation lookup that leaves bits unresolved fails (FailedLookup).
  expect_error(
      t, "Copy with depth 3 into a radix-4 CNode",
      seL4_CNode_Copy(e0, 3, 3, seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, kDepth, seL4_AllRights),
      seL4_FailedLookup);
  // Deleting the only cap to the child CNode deletes what it held.
  expect_error(t, "Revoke untyped", kRoot.revoke(ut.cptr()), seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Null);
  expect_tag(t, e1, seL4_CapTag_Thread);
  expect_tag(t, seL4_CapInitThreadTCB, seL4_CapTag_Thread);
  clear_slots(t, 2);
}

void retype_error_words(Test& t, const char* what, seL4_Error got, seL4_Error want, seL4_Word mr0) {
  if (expect_error(t, what, got, want)) {
    t.expect(seL4_GetMR(0) == mr0, "%s: MR0 = %lu, expected %lu", what, seL4_GetMR(0), mr0);
  }
}

// seL4 Untyped_Retype error replies (reference section 6.3), each with its first error word.
void cnode0008_retype_errors(Test& t) {
  const int small = find_ram_untyped(t.bi(), seL4_MinUntypedBits);
  if (!t.expect(small >= 0, "no RAM untyped")) return;
  const seL4_UntypedDesc& desc = t.bi()->untypedList[small];
  const keel::Untyped ut{t.bi()->untyped.start + static_cast<seL4_Word>(small)};
  const seL4_CPtr e0 = free_slot(t, 0);
  retype_error_words(t, "Untyped of 2^3 bytes", ut.retype_into_root(seL4_UntypedObject, 3, kRoot, e0),
                     seL4_InvalidArgument, 1);
  retype_error_words(t, "CapTable of 0 bits", ut.retype_into_root(seL4_CapTableObject, 0, kRoot, e0),
                     seL4_InvalidArgument, 1);
  retype_error_words(t, "offset past the CNode",
                     ut.retype_into_root(seL4_EndpointObject, 0, kRoot, 1ul << 12), seL4_RangeError, 0);
  retype_error_words(t, "bigger than the untyped",
                     ut.retype_into_root(seL4_UntypedObject, desc.sizeBits + 1u, kRoot, e0),
                     seL4_NotEnoughMemory, seL4_Word{1} << desc.sizeBits);
  // Device memory holds only frames and untypeds.
  const seL4_Word n = t.bi()->untyped.end - t.bi()->untyped.start;
  for (unsigned i = 0; i < n && i < CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS; ++i) {
    if (t.bi()->untypedList[i].isDevice != 0) {
      const keel::Untyped dev{t.bi()->untyped.start + i};
      retype_error_words(t, "endpoint from device untyped",
                         dev.retype_into_root(seL4_EndpointObject, 0, kRoot, e0), seL4_InvalidArgument, 1);
      break;
    }
  }
  expect_tag(t, e0, seL4_CapTag_Null);
  clear_slots(t, 1);
}

// Splitting an untyped: children use it up, grandchildren go with a revoke, then it is reusable.
void cnode0009_untyped_split(Test& t) {
  const int index = find_ram_untyped(t.bi(), 13);
  if (!t.expect(index >= 0, "no RAM untyped of at least 8 KiB")) return;
  const unsigned bits = t.bi()->untypedList[index].sizeBits;
  const keel::Untyped ut{t.bi()->untyped.start + static_cast<seL4_Word>(index)};
  const seL4_CPtr e0 = free_slot(t, 0);
  expect_error(t, "Retype two halves", ut.retype_into_root(seL4_UntypedObject, bits - 1, kRoot, e0, 2),
               seL4_NoError);
  expect_tag(t, e0, seL4_CapTag_Untyped);
  expect_tag(t, e0 + 1, seL4_CapTag_Untyped);
  expect_error(t, "Endpoint from a half",
               keel::Untyped{e0}.retype_into_root(seL4_EndpointObject, 0, kRoot, e0 + 2), seL4_NoError);
  expect_tag(t, e0 + 2, seL4_CapTag_Endpoint);
  retype_error_words(t, "Retype from the used-up parent",
                     ut.retype_into_root(seL4_EndpointObject, 0, kRoot, e0 + 3), seL4_NotEnoughMemory, 0);
  expect_error(t, "Revoke parent", kRoot.revoke(ut.cptr()), seL4_NoError);
  for (unsigned i = 0; i < 3; ++i) expect_tag(t, e0 + i, seL4_CapTag_Null);
  expect_error(t, "Retype after revoke", ut.retype_into_root(seL4_EndpointObject, 0, kRoot, e0 + 3),
               seL4_NoError);
  expect_error(t, "Revoke parent again", kRoot.revoke(ut.cptr()), seL4_NoError);
  clear_slots(t, 4);
}

constexpr TestCase kCases[] = {
    {"CNODE0001 copy and delete", cnode0001_copy_delete},
    {"CNODE0002 copy error replies", cnode0002_copy_errors},
    {"CNODE0003 move, mutate, rotate", cnode0003_move_mutate_rotate},
    {"CNODE0004 revoke deletes copies", cnode0004_revoke},
    {"CNODE0005 truncated CNode messages", cnode0005_bad_length},
    {"CNODE0006 untyped retype and revoke", cnode0006_retype},
    {"CNODE0007 child CNode addressing", cnode0007_child_cnode},
    {"CNODE0008 retype error replies", cnode0008_retype_errors},
    {"CNODE0009 untyped split and reuse", cnode0009_untyped_split},
};

}  // namespace

Suite cnode_suite() {
  if constexpr (SYSTEST_CNODE_TESTS) {
    return Suite{kCases, sizeof(kCases) / sizeof(kCases[0])};
  } else {
    return Suite{nullptr, 0};
  }
}

}  // namespace systest
