/* Invocation stubs for Untyped and CNode objects (reference sections 6.3, 6.4). */
#pragma once

#include <sel4/arch_types.h>
#include <sel4/invocation.h>
#include <sel4/invoke.h>

LIBSEL4_INLINE_FUNC seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type, seL4_Word size_bits,
                                                   seL4_CNode root, seL4_Word node_index,
                                                   seL4_Word node_depth, seL4_Word node_offset,
                                                   seL4_Word num_objects) {
  seL4_Word mr[4] = {type, size_bits, node_index, node_depth};
  seL4_SetCap(0, root);
  seL4_SetMR(4, node_offset);
  seL4_SetMR(5, num_objects);
  return keel_invoke(_service, UntypedRetype, 1, 6, mr);
}

/* Revoke, Delete, CancelBadgedSends and SaveCaller share one shape: (index, depth). */
LIBSEL4_INLINE_FUNC seL4_Error keel_cnode_slot_op(seL4_CNode service, seL4_Word label, seL4_Word index,
                                                  seL4_Uint8 depth) {
  seL4_Word mr[4] = {index, KEEL_U8(depth), 0, 0};
  return keel_invoke(service, label, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth) {
  return keel_cnode_slot_op(_service, CNodeRevoke, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth) {
  return keel_cnode_slot_op(_service, CNodeDelete, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index,
                                                            seL4_Uint8 depth) {
  return keel_cnode_slot_op(_service, CNodeCancelBadgedSends, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_SaveCaller(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth) {
  return keel_cnode_slot_op(_service, CNodeSaveCaller, index, depth);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights) {
  seL4_Word mr[4] = {dest_index, KEEL_U8(dest_depth), src_index, KEEL_U8(src_depth)};
  seL4_SetCap(0, src_root);
  seL4_SetMR(4, rights.words[0]);
  return keel_invoke(_service, CNodeCopy, 1, 5, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights, seL4_Word badge) {
  seL4_Word mr[4] = {dest_index, KEEL_U8(dest_depth), src_index, KEEL_U8(src_depth)};
  seL4_SetCap(0, src_root);
  seL4_SetMR(4, rights.words[0]);
  seL4_SetMR(5, badge);
  return keel_invoke(_service, CNodeMint, 1, 6, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth) {
  seL4_Word mr[4] = {dest_index, KEEL_U8(dest_depth), src_index, KEEL_U8(src_depth)};
  seL4_SetCap(0, src_root);
  return keel_invoke(_service, CNodeMove, 1, 4, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index,
                                                 seL4_Uint8 dest_depth, seL4_CNode src_root,
                                                 seL4_Word src_index, seL4_Uint8 src_depth, seL4_Word badge) {
  seL4_Word mr[4] = {dest_index, KEEL_U8(dest_depth), src_index, KEEL_U8(src_depth)};
  seL4_SetCap(0, src_root);
  seL4_SetMR(4, badge);
  return keel_invoke(_service, CNodeMutate, 1, 5, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index,
                                                 seL4_Uint8 dest_depth, seL4_Word dest_badge,
                                                 seL4_CNode pivot_root, seL4_Word pivot_index,
                                                 seL4_Uint8 pivot_depth, seL4_Word pivot_badge,
                                                 seL4_CNode src_root, seL4_Word src_index,
                                                 seL4_Uint8 src_depth) {
  seL4_Word mr[4] = {dest_index, KEEL_U8(dest_depth), dest_badge, pivot_index};
  seL4_SetCap(0, pivot_root);
  seL4_SetCap(1, src_root);
  seL4_SetMR(4, KEEL_U8(pivot_depth));
  seL4_SetMR(5, pivot_badge);
  seL4_SetMR(6, src_index);
  seL4_SetMR(7, KEEL_U8(src_depth));
  return keel_invoke(_service, CNodeRotate, 2, 8, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_Set(seL4_DomainSet _service, seL4_Uint8 domain,
                                                  seL4_TCB thread) {
  seL4_Word mr[4] = {KEEL_U8(domain), 0, 0, 0};
  seL4_SetCap(0, thread);
  return keel_invoke(_service, DomainSetSet, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq, seL4_CNode root,
                                                   seL4_Word index, seL4_Uint8 depth) {
  seL4_Word mr[4] = {irq, index, KEEL_U8(depth), 0};
  seL4_SetCap(0, root);
  return keel_invoke(_service, IRQIssueIRQHandler, 1, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  return keel_invoke(_service, IRQAckIRQ, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service,
                                                               seL4_CPtr notification) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  seL4_SetCap(0, notification);
  return keel_invoke(_service, IRQSetIRQHandler, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service) {
  seL4_Word mr[4] = {0, 0, 0, 0};
  return keel_invoke(_service, IRQClearIRQHandler, 0, 0, mr);
}
