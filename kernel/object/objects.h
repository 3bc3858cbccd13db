// Kernel objects as Untyped_Retype makes them, and what deleting the last cap to one does.
//
// Objects live in memory retyped from Untyped; a new object's memory is zero (device frames
// excepted) and its fields hold the seL4 defaults. Finalisation undoes an object's links to
// the rest of the kernel (queues, bindings) before its memory can be reused.
#pragma once

#include "kernel/api/object_type.h"
#include "kernel/cap/cap.h"

namespace keel {

// log2 of the size of one object of `type` (user_size: untyped size bits, CNode slot bits).
word_t object_size_bits(ObjectType type, word_t user_size);
bool is_frame_type(ObjectType type);
// Builds the object at `base` (aligned to its size) and returns the cap that names it, with
// all rights, unbadged, unmapped. Untyped children start with free index 0.
Cap create_object(ObjectType type, paddr_t base, word_t user_size, bool is_device);
// Zeroes physical memory [base, base + size) through the kernel window.
void zero_memory(paddr_t base, word_t size);

// Called by finalise_cap for the final cap to an object.
void finalise_endpoint(paddr_t ep);
void finalise_notification(paddr_t ntfn);
void finalise_thread(paddr_t tcb_object);
void deleting_irq_handler(word_t irq);
// CNode_CancelBadgedSends: aborts every send queued on `ep` with this (non-zero) badge.
void cancel_badged_sends(paddr_t ep, word_t badge);
// Called once a slot is empty, with finalise_cap's clean-up cap (an IRQ handler, or null).
void post_cap_deletion(Cap cleanup_info);

}  // namespace keel
