// Capabilities as plain values: a type and named fields, no bits (reference §9.3 for the tags).
//
// Fields that a type does not use stay at their defaults, so two caps compare with `==`
// exactly when they are the same capability. Constructors below are the only way the spec
// builds caps, which keeps that rule.
#pragma once

#include <optional>
#include <string>

#include "types.h"

namespace keel::spec {

enum class CapType {
  Null,
  Untyped,
  Endpoint,
  Notification,
  Reply,
  CNode,
  Thread,
  IrqControl,
  IrqHandler,
  Zombie,
  Domain,
  Frame,
  PageTable,
  VSpace,
  AsidControl,
  AsidPool,
  Smc,
  SgiSignal,
};
const char* to_string(CapType t);
// The kernel's cap-type tag, as DebugCapIdentify returns it (§9.3).
constexpr word_t cap_type_tag(CapType t) {
  switch (t) {
    case CapType::Null: return 0;
    case CapType::Frame: return 1;
    case CapType::Untyped: return 2;
    case CapType::PageTable: return 3;
    case CapType::Endpoint: return 4;
    case CapType::Notification: return 6;
    case CapType::Reply: return 8;
    case CapType::VSpace: return 9;
    case CapType::CNode: return 10;
    case CapType::AsidControl: return 11;
    case CapType::Thread: return 12;
    case CapType::AsidPool: return 13;
    case CapType::IrqControl: return 14;
    case CapType::IrqHandler: return 16;
    case CapType::Zombie: return 18;
    case CapType::Domain: return 20;
    case CapType::Smc: return 25;
    case CapType::SgiSignal: return 27;
  }
  return 0;
}

// seL4_CapRights_t: write, read, grant, grant-reply.
struct CapRights {
  bool write = false, read = false, grant = false, grant_reply = false;
  static constexpr CapRights from_word(word_t w) {
    return {(w & 1) != 0, (w & 2) != 0, (w & 4) != 0, (w & 8) != 0};
  }
  static CapRights all() { return {true, true, true, true}; }
  friend bool operator==(const CapRights&, const CapRights&) = default;
};

enum class VmRights { KernelOnly, ReadOnly, ReadWrite };

// Where a frame, page table or VSpace is mapped (a VSpace: the ASID it is assigned; vaddr 0).
struct Mapping {
  word_t asid = 0;
  word_t vaddr = 0;
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

struct Cap {
  CapType type = CapType::Null;
  paddr_t ptr = 0;                            // the object; Reply: the TCB it replies to
  unsigned size_bits = 0;                     // Untyped: block size; Frame: 12, 21 or 30
  bool is_device = false;                     // Untyped, Frame
  word_t free_index = 0;                      // Untyped: bytes already used, from the base
  word_t badge = 0;                           // Endpoint, Notification, Smc
  CapRights rights;                           // Endpoint; Notification (write, read); Reply (grant)
  unsigned radix = 0;                         // CNode; Zombie of a CNode
  unsigned guard_size = 0;                    // CNode
  word_t guard = 0;                           // CNode
  bool reply_master = false;                  // Reply
  word_t irq = 0;                             // IrqHandler; SgiSignal: the SGI id (0..15)
  word_t target = 0;                          // SgiSignal: the target CPU interface (0..7)
  bool zombie_is_tcb = false;                 // Zombie
  VmRights vm_rights = VmRights::KernelOnly;  // Frame
  std::optional<Mapping> mapped;              // Frame, PageTable, VSpace
  word_t asid_base = 0;                       // AsidPool
  friend bool operator==(const Cap&, const Cap&) = default;

  bool is_null() const { return type == CapType::Null; }

  static Cap null() { return {}; }
  static Cap untyped(paddr_t p, unsigned size_bits, bool dev, word_t free_index);
  static Cap endpoint(paddr_t p, word_t badge, CapRights r);
  static Cap notification(paddr_t p, word_t badge, bool can_send, bool can_receive);
  static Cap reply(paddr_t tcb, bool master, bool can_grant);
  static Cap cnode(paddr_t p, unsigned radix, unsigned guard_size, word_t guard);
  static Cap thread(paddr_t p);
  static Cap irq_control();
  static Cap irq_handler(word_t irq);
  static Cap zombie(paddr_t p, bool is_tcb, unsigned radix);
  static Cap domain();
  static Cap frame(paddr_t p, unsigned size_bits, VmRights r, bool dev, std::optional<Mapping> m = {});
  static Cap page_table(paddr_t p, std::optional<Mapping> m = {});
  static Cap vspace(paddr_t p, std::optional<Mapping> m = {});
  static Cap asid_control();
  static Cap asid_pool(paddr_t p, word_t asid_base);
  static Cap smc(word_t badge);
  static Cap sgi_signal(word_t id, word_t target);
};
std::string to_string(const Cap& c);

}  // namespace keel::spec
