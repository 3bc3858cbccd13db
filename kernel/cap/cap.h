// The capability value (two words) and its typed views. The only file that touches raw cap bits.
//
// Word 0 bits 63:59 hold the type tag at seL4's position and with seL4's numbers, so
// DebugCapIdentify returns seL4's tags. Odd tags are arch caps. Objects are named by physical
// address, so a cap encodes identically on the host build and on AArch64.
#pragma once

#include "kernel/lib/types.h"

namespace keel {

enum class CapType : word_t {
  Null = 0,
  Frame = 1,
  Untyped = 2,
  PageTable = 3,
  Endpoint = 4,
  Notification = 6,
  Reply = 8,
  VSpace = 9,
  CNode = 10,
  AsidControl = 11,
  Thread = 12,
  AsidPool = 13,
  IrqControl = 14,
  IrqHandler = 16,
  Zombie = 18,
  Domain = 20,
  Smc = 25,
  SgiSignal = 27,
};

constexpr bool is_arch_cap_type(CapType t) { return (static_cast<word_t>(t) & 1) != 0; }

namespace capbits {
constexpr word_t get(word_t w, unsigned lo, unsigned width) { return (w >> lo) & mask_bits(width); }
constexpr word_t put(word_t w, unsigned lo, unsigned width, word_t v) {
  return (w & ~(mask_bits(width) << lo)) | ((v & mask_bits(width)) << lo);
}
inline constexpr unsigned kTagLo = 59, kTagWidth = 5;
inline constexpr unsigned kPtrWidth = 48;  // physical addresses are at most 48 bits
}  // namespace capbits

struct Cap {
  word_t w0 = 0;
  word_t w1 = 0;

  constexpr CapType type() const {
    return static_cast<CapType>(capbits::get(w0, capbits::kTagLo, capbits::kTagWidth));
  }
  constexpr bool is_null() const { return type() == CapType::Null; }
  static constexpr Cap null() { return Cap{}; }
  static constexpr Cap with_type(CapType t) {
    return Cap{capbits::put(0, capbits::kTagLo, capbits::kTagWidth, static_cast<word_t>(t)), 0};
  }
  friend constexpr bool operator==(const Cap&, const Cap&) = default;
};
static_assert(sizeof(Cap) == 16);

// seL4_CapRights_t: bit 0 write, 1 read, 2 grant, 3 grant-reply.
struct CapRights {
  bool write = false, read = false, grant = false, grant_reply = false;

  static constexpr CapRights from_word(word_t w) {
    return {(w & 1) != 0, (w & 2) != 0, (w & 4) != 0, (w & 8) != 0};
  }
  static constexpr CapRights all() { return {true, true, true, true}; }
  constexpr word_t to_word() const {
    return word_t{write} | word_t{read} << 1 | word_t{grant} << 2 | word_t{grant_reply} << 3;
  }
  constexpr CapRights operator&(CapRights o) const {
    return {write && o.write, read && o.read, grant && o.grant, grant_reply && o.grant_reply};
  }
  friend constexpr bool operator==(const CapRights&, const CapRights&) = default;
};

// seL4's VM rights for frames: kernel-only, read-only, read-write.
enum class VmRights : word_t { KernelOnly = 1, ReadOnly = 2, ReadWrite = 3 };

// Frame sizes a frame cap can have (4 KiB, 2 MiB, 1 GiB).
enum class FrameSize : word_t { Small = 0, Large = 1, Huge = 2 };
constexpr unsigned frame_size_bits(FrameSize s) {
  return s == FrameSize::Small ? 12 : s == FrameSize::Large ? 21 : 30;
}

// --- typed views: each wraps a Cap of one type; setters return new values ---------------------

// Word 0: ptr 47:0 for every cap that names an object (except CNode, see below).
namespace capbits {
constexpr paddr_t ptr(const Cap& c) { return get(c.w0, 0, kPtrWidth); }
constexpr Cap with_ptr(Cap c, paddr_t p) { return Cap{put(c.w0, 0, kPtrWidth, p), c.w1}; }
}  // namespace capbits

struct UntypedCap {  // w0: ptr, size_bits 53:48, is_device 54; w1: free index in bytes
  Cap cap;
  static constexpr Cap make(paddr_t p, unsigned size_bits, bool is_device, word_t free_index) {
    Cap c = capbits::with_ptr(Cap::with_type(CapType::Untyped), p);
    c.w0 = capbits::put(c.w0, 48, 6, size_bits);
    c.w0 = capbits::put(c.w0, 54, 1, is_device);
    c.w1 = free_index;
    return c;
  }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
  constexpr unsigned size_bits() const { return unsigned(capbits::get(cap.w0, 48, 6)); }
  constexpr bool is_device() const { return capbits::get(cap.w0, 54, 1) != 0; }
  constexpr word_t free_index() const { return cap.w1; }
  constexpr Cap with_free_index(word_t f) const { return Cap{cap.w0, f}; }
};

// Endpoints and notifications share one shape. w0: ptr, rights 51:48; w1: badge.
// (For notifications write = signal, read = wait.)
template <CapType kType>
struct BadgedObjectCap {
  Cap cap;
  static constexpr Cap make(paddr_t p, word_t badge, CapRights r) {
    Cap c = capbits::with_ptr(Cap::with_type(kType), p);
    c.w0 = capbits::put(c.w0, 48, 4, r.to_word());
    c.w1 = badge;
    return c;
  }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
  constexpr word_t badge() const { return cap.w1; }
  constexpr CapRights rights() const { return CapRights::from_word(capbits::get(cap.w0, 48, 4)); }
  constexpr Cap with_badge(word_t b) const { return Cap{cap.w0, b}; }
  constexpr Cap with_rights(CapRights r) const {
    return Cap{capbits::put(cap.w0, 48, 4, r.to_word()), cap.w1};
  }
};
using EndpointCap = BadgedObjectCap<CapType::Endpoint>;
using NotificationCap = BadgedObjectCap<CapType::Notification>;

struct ReplyCap {  // w0: tcb ptr, master 48, can_grant 49
  Cap cap;
  static constexpr Cap make(paddr_t tcb, bool master, bool can_grant) {
    Cap c = capbits::with_ptr(Cap::with_type(CapType::Reply), tcb);
    c.w0 = capbits::put(c.w0, 48, 1, master);
    c.w0 = capbits::put(c.w0, 49, 1, can_grant);
    return c;
  }
  constexpr paddr_t tcb() const { return capbits::ptr(cap); }
  constexpr bool is_master() const { return capbits::get(cap.w0, 48, 1) != 0; }
  constexpr bool can_grant() const { return capbits::get(cap.w0, 49, 1) != 0; }
};

// CNodes are at least 64-byte aligned, so the pointer is kept shifted to leave room for the
// radix and a 7-bit guard size (0..64). w0: ptr>>5 42:0, radix 48:43, guard_size 55:49; w1: guard.
struct CNodeCap {
  Cap cap;
  static constexpr Cap make(paddr_t p, unsigned radix, unsigned guard_size, word_t guard) {
    Cap c = Cap::with_type(CapType::CNode);
    c.w0 = capbits::put(c.w0, 0, 43, p >> 5);
    c.w0 = capbits::put(c.w0, 43, 6, radix);
    c.w0 = capbits::put(c.w0, 49, 7, guard_size);
    c.w1 = guard;
    return c;
  }
  constexpr paddr_t ptr() const { return capbits::get(cap.w0, 0, 43) << 5; }
  constexpr unsigned radix() const { return unsigned(capbits::get(cap.w0, 43, 6)); }
  constexpr unsigned guard_size() const { return unsigned(capbits::get(cap.w0, 49, 7)); }
  constexpr word_t guard() const { return cap.w1; }
  constexpr Cap with_guard(word_t guard, unsigned guard_size) const {
    return make(ptr(), radix(), guard_size, guard);
  }
};

struct ThreadCap {  // w0: ptr of the TCB object (its first byte, where its slots are)
  Cap cap;
  static constexpr Cap make(paddr_t p) { return capbits::with_ptr(Cap::with_type(CapType::Thread), p); }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
};

struct IrqHandlerCap {  // w1: irq number
  Cap cap;
  static constexpr Cap make(word_t irq) { return Cap{Cap::with_type(CapType::IrqHandler).w0, irq}; }
  constexpr word_t irq() const { return cap.w1; }
};

// A CNode or TCB being deleted. w0: ptr, is_tcb 48, radix 54:49; w1: slots still to clear.
struct ZombieCap {
  Cap cap;
  static constexpr Cap make(paddr_t p, bool is_tcb, unsigned radix, word_t remaining) {
    Cap c = capbits::with_ptr(Cap::with_type(CapType::Zombie), p);
    c.w0 = capbits::put(c.w0, 48, 1, is_tcb);
    c.w0 = capbits::put(c.w0, 49, 6, radix);
    c.w1 = remaining;
    return c;
  }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
  constexpr bool is_tcb() const { return capbits::get(cap.w0, 48, 1) != 0; }
  constexpr unsigned radix() const { return unsigned(capbits::get(cap.w0, 49, 6)); }
  constexpr word_t remaining() const { return cap.w1; }
  constexpr Cap with_remaining(word_t n) const { return Cap{cap.w0, n}; }
};

// --- arch caps ---------------------------------------------------------------------------------

// w0: ptr, size 49:48, vm rights 51:50, is_device 52, mapped 53; w1: asid 63:48, vaddr 47:0.
struct FrameCap {
  Cap cap;
  static constexpr Cap make(paddr_t p, FrameSize s, VmRights r, bool is_device) {
    Cap c = capbits::with_ptr(Cap::with_type(CapType::Frame), p);
    c.w0 = capbits::put(c.w0, 48, 2, static_cast<word_t>(s));
    c.w0 = capbits::put(c.w0, 50, 2, static_cast<word_t>(r));
    c.w0 = capbits::put(c.w0, 52, 1, is_device);
    return c;
  }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
  constexpr FrameSize size() const { return static_cast<FrameSize>(capbits::get(cap.w0, 48, 2)); }
  constexpr VmRights rights() const { return static_cast<VmRights>(capbits::get(cap.w0, 50, 2)); }
  constexpr bool is_device() const { return capbits::get(cap.w0, 52, 1) != 0; }
  constexpr bool is_mapped() const { return capbits::get(cap.w0, 53, 1) != 0; }
  constexpr word_t mapped_asid() const { return capbits::get(cap.w1, 48, 16); }
  constexpr vaddr_t mapped_vaddr() const { return capbits::get(cap.w1, 0, 48); }
  constexpr Cap with_rights(VmRights r) const {
    return Cap{capbits::put(cap.w0, 50, 2, static_cast<word_t>(r)), cap.w1};
  }
  constexpr Cap with_mapping(word_t asid, vaddr_t va) const {
    return Cap{capbits::put(cap.w0, 53, 1, 1), capbits::put(capbits::put(0, 48, 16, asid), 0, 48, va)};
  }
  constexpr Cap unmapped() const { return Cap{capbits::put(cap.w0, 53, 1, 0), 0}; }
};

// Page tables and VSpace roots share one shape. w0: ptr, mapped 48; w1: asid 63:48, vaddr 47:0.
template <CapType kType>
struct TableCap {
  Cap cap;
  static constexpr Cap make(paddr_t p) { return capbits::with_ptr(Cap::with_type(kType), p); }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
  constexpr bool is_mapped() const { return capbits::get(cap.w0, 48, 1) != 0; }
  constexpr word_t mapped_asid() const { return capbits::get(cap.w1, 48, 16); }
  constexpr vaddr_t mapped_vaddr() const { return capbits::get(cap.w1, 0, 48); }
  constexpr Cap with_mapping(word_t asid, vaddr_t va) const {
    return Cap{capbits::put(cap.w0, 48, 1, 1), capbits::put(capbits::put(0, 48, 16, asid), 0, 48, va)};
  }
  constexpr Cap unmapped() const { return Cap{capbits::put(cap.w0, 48, 1, 0), 0}; }
};
using PageTableCap = TableCap<CapType::PageTable>;
using VSpaceCap = TableCap<CapType::VSpace>;  // "mapped" = assigned an ASID; vaddr unused

struct AsidPoolCap {  // w0: ptr; w1: asid base
  Cap cap;
  static constexpr Cap make(paddr_t p, word_t asid_base) {
    return Cap{capbits::with_ptr(Cap::with_type(CapType::AsidPool), p).w0, asid_base};
  }
  constexpr paddr_t ptr() const { return capbits::ptr(cap); }
  constexpr word_t asid_base() const { return cap.w1; }
};

// The SMC cap names no object; its second word is the badge, the only function ID it allows
// (0 = any), as in seL4.
struct SmcCap {
  Cap cap;
  static constexpr Cap make(word_t badge) { return Cap{Cap::with_type(CapType::Smc).w0, badge}; }
  constexpr word_t badge() const { return cap.w1; }
  constexpr Cap with_badge(word_t b) const { return Cap{cap.w0, b}; }
};

// An SGI-signal cap (seL4 sgi_signal_cap, one core only) names no object: the SGI id (0..15)
// it raises and the target (a GICv2 CPU interface number, 0..7). Where seL4 keeps them: w0: SGI
// id 58:55, just below the tag; w1: target 31:0.
struct SgiSignalCap {
  Cap cap;
  static constexpr unsigned kIdLo = 55, kIdWidth = 4, kTargetWidth = 32;
  static constexpr Cap make(word_t id, word_t target) {
    Cap c = Cap::with_type(CapType::SgiSignal);
    c.w0 = capbits::put(c.w0, kIdLo, kIdWidth, id);
    c.w1 = capbits::put(0, 0, kTargetWidth, target);
    return c;
  }
  constexpr word_t id() const { return capbits::get(cap.w0, kIdLo, kIdWidth); }
  constexpr word_t target() const { return capbits::get(cap.w1, 0, kTargetWidth); }
};

}  // namespace keel
