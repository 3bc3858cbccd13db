// Object creation for Untyped_Retype (seL4 createObject); arch objects go to arch::create_object.
#include "kernel/object/create.h"

#include "kernel/config/config.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/kernel_state.h"
#include "kernel/machine/machine.h"
#include "kernel/object/tcb.h"

namespace keel {

word_t object_size_bits(ObjectType type, word_t user_size) {
  switch (type) {
    case ObjectType::Untyped: return user_size;
    case ObjectType::TCB: return kTcbBits;
    case ObjectType::Endpoint: return kEndpointBits;
    case ObjectType::Notification: return kNotificationBits;
    case ObjectType::CapTable: return user_size + kSlotBits;
    case ObjectType::HugePage:
    case ObjectType::VSpace:
    case ObjectType::SmallPage:
    case ObjectType::LargePage:
    case ObjectType::PageTable: return arch::object_size_bits(type);
  }
  return 0;
}

bool is_frame_type(ObjectType type) {
  return type == ObjectType::SmallPage || type == ObjectType::LargePage || type == ObjectType::HugePage;
}

void zero_memory(paddr_t base, word_t size) {
  // Word stores: object memory is at least 16-byte aligned and sized.
  word_t* p = ptr_from_paddr<word_t>(base);
  for (word_t i = 0; i < size / sizeof(word_t); ++i) p[i] = 0;
}

namespace {

// seL4 "New TCBs": all registers 0, SPSR = PSTATE_USER, priority/MCP 0, current domain,
// inactive, time slice full, no name. Memory is already zero.
Cap create_tcb(paddr_t base) {
  Tcb* t = tcb_from_object(base);
  init_user_context(t->context);
  t->state = ThreadState::Inactive;
  t->time_slice = config::kTimeSliceTicks;
  t->domain = ks.cur_domain;
  return ThreadCap::make(base);
}

}  // namespace

Cap create_object(ObjectType type, paddr_t base, word_t user_size, bool is_device) {
  // Device frames keep whatever the device shows; a child untyped needs no zeroing (memory
  // above a watermark is zero, and a reset zeroes the rest); every other object starts zeroed.
  if (!is_device && type != ObjectType::Untyped) {
    const word_t size = word_t{1} << object_size_bits(type, user_size);
    machine::mark_memory_live(base, size);
    zero_memory(base, size);
  }
  switch (type) {
    case ObjectType::Untyped: return UntypedCap::make(base, unsigned(user_size), is_device, 0);
    case ObjectType::TCB: return create_tcb(base);
    case ObjectType::Endpoint: return EndpointCap::make(base, 0, CapRights::all());
    case ObjectType::Notification: return NotificationCap::make(base, 0, CapRights{true, true, false, false});
    case ObjectType::CapTable: return CNodeCap::make(base, unsigned(user_size), 0, 0);
    case ObjectType::HugePage:
    case ObjectType::LargePage:
    case ObjectType::SmallPage:
    case ObjectType::VSpace:
    case ObjectType::PageTable: return arch::create_object(type, base, is_device);
  }
  return Cap::null();
}

}  // namespace keel
