// Kernel objects as Untyped_Retype makes them (seL4 createObject).
//
// Objects live in memory retyped from Untyped; a new object's memory is zero (device frames
// excepted) and its fields hold the seL4 defaults. What deleting the last cap to an object does
// lives with the object (endpoint.h, notification.h, tcb.h, irq.h).
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

}  // namespace keel
