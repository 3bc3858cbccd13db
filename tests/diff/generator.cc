// Random and exhaustive event generation for the lockstep check (the thread, IPC, exception and
// interrupt generators are in generator_threads.cc).
#include "generator.h"

#include <functional>

#include "generator_words.h"

namespace keel::diff {

using namespace gen;  // the boot slots and label words shared with generator_threads.cc

word_t Entropy::bytes(unsigned n) {
  word_t w = 0;
  for (unsigned i = 0; i < n; ++i) w |= word_t{pos_ < size_ ? data_[pos_++] : std::uint8_t{0}} << (8 * i);
  return w;
}

// The PRNG path is exactly what the seeded runs always drew, so a seed reproduces old runs.
word_t Entropy::below(word_t n) {
  if (n == 0) return 0;
  if (!from_bytes_) return note(std::uniform_int_distribution<word_t>(0, n - 1)(prng_), width(n));
  return bytes(width(n)) % n;
}

// The n little-endian bytes that read back as v.
word_t Entropy::note(word_t v, unsigned n) {
  for (unsigned i = 0; transcript_ != nullptr && i < n; ++i)
    transcript_->push_back(std::uint8_t(v >> (8 * i)));
  return v;
}

word_t Entropy::word() { return from_bytes_ ? bytes(8) : note(prng_(), 8); }

std::vector<word_t> Generator::root_slots_with(const GenContext& c, CapType t) const {
  std::vector<word_t> out;
  for (auto it = c.state.slots.lower_bound({c.root_cnode, 0});
       it != c.state.slots.end() && it->first.object == c.root_cnode; ++it)
    if (it->second.cap.type == t) out.push_back(it->first.index);
  return out;
}

// The skip-th empty slot (from index 1) of a CNode.
word_t Generator::first_free(const GenContext& c, paddr_t cnode, unsigned radix, word_t skip) const {
  for (word_t i = 1; i < (word_t{1} << radix); ++i)
    if (!c.state.slot_at({cnode, i}) && skip-- == 0) return i;
  return 0;
}

word_t Generator::slot_in(const GenContext& c, paddr_t cnode, unsigned radix) {
  std::vector<word_t> used;
  for (auto it = c.state.slots.lower_bound({cnode, 0});
       it != c.state.slots.end() && it->first.object == cnode; ++it)
    used.push_back(it->first.index);
  const word_t r = pick(100);
  if (r < 45 && !used.empty()) return choose(used);
  if (r < 88) return first_free(c, cnode, radix, pick(3));
  if (r < 97) return pick(word_t{1} << radix);
  return 0;
}

// An (index, depth) pair naming a slot below `cnode`: one level, two levels through a CNode cap
// held in it, or deliberately bad.
Generator::Addr Generator::address(const GenContext& c, const spec::Cap& cnode) {
  if (cnode.type != CapType::CNode) return Addr{pick(64), 64};
  const word_t d1 = cnode.guard_size + cnode.radix;
  const word_t top = (cnode.guard << cnode.radix);
  const word_t r = pick(100);
  if (r < 10) {  // two levels
    for (auto it = c.state.slots.lower_bound({cnode.ptr, 0});
         it != c.state.slots.end() && it->first.object == cnode.ptr; ++it) {
      const spec::Cap& d = it->second.cap;
      if (d.type != CapType::CNode || d1 + d.guard_size + d.radix > 64 || !chance(50)) continue;
      const word_t lvl2 = d.guard_size + d.radix;
      const word_t index =
          ((top | it->first.index) << lvl2) | (d.guard << d.radix) | slot_in(c, d.ptr, d.radix);
      return Addr{index, d1 + lvl2};
    }
  }
  if (r < 92) {
    // Now and then the guard off by one (mod its size), as a lookup that skips the compare
    // would still find the slot.
    word_t g = cnode.guard;
    if (cnode.guard_size > 0 && chance(10))
      g = (g + (chance(50) ? 1 : ~word_t{0})) & spec::mask_bits(cnode.guard_size);
    return Addr{(g << cnode.radix) | slot_in(c, cnode.ptr, cnode.radix), d1};
  }
  static const word_t bad_depths[] = {0, 1, 63, 65, 300};
  word_t depth = chance(50) ? bad_depths[pick(5)] : (chance(50) ? d1 - 1 : d1 + 1);
  return Addr{chance(50) ? any_word() : top | pick(word_t{1} << cnode.radix), depth};
}

// v with one bit flipped: mostly the bits a sloppy compare or mask would miss (bit 16 is
// SMCCC's SVE hint, bit 31 the fast-call bit, bits 32 and up are past a 32-bit compare).
word_t Generator::flip_bit(word_t v) {
  static const unsigned bits[] = {0, 1, 15, 16, 17, 30, 31, 32, 33, 47, 48, 62, 63};
  return v ^ (word_t{1} << (chance(80) ? bits[pick(std::size(bits))] : pick(64)));
}

word_t Generator::badge() {
  static const word_t badges[] = {0, 1, 5, kPsciVersion, kPsciFeatures, 0x84000008, 0xc4000003, 0x82000000};
  return chance(85) ? badges[pick(8)] : any_word();
}

Event Generator::with_syscall(Event e) {
  const word_t r = pick(100);
  const auto sys = r < 86 ? spec::Syscall::Call : r < 96 ? spec::Syscall::Send : spec::Syscall::NBSend;
  e.regs[7] = static_cast<word_t>(static_cast<std::int64_t>(sys));
  return e;
}

void Generator::truncate(Event& e) {
  spec::MessageInfo info = spec::MessageInfo::from_word(e.regs[1]);
  if (chance(7)) info.length = pick(info.length + 1);
  if (chance(4)) info.extra_caps = pick(info.extra_caps + 1);
  if (chance(2)) info.length = 120 + pick(8);  // clamped by the kernel
  e.regs[1] = info.to_word();
}

// Copy or Mint of a cap that carries rights (an endpoint, a notification, a frame) into a free
// slot, with a rights mask of any value, 0 included: the new cap must have only the rights of both.
Event Generator::copy_with_rights(const GenContext& c) {
  std::vector<word_t> src = root_slots_with(c, CapType::Endpoint);
  for (CapType t : {CapType::Notification, CapType::Frame})
    for (word_t i : root_slots_with(c, t)) src.push_back(i);
  if (src.empty()) return retype(c);
  const word_t dest = first_free(c, c.root_cnode, c.root_radix, pick(2)), from = choose(src), mask = pick(16);
  Event e = chance(50) ? call_event(kRootCNodeSlot, lbl(Label::CNodeCopy), {dest, 64, from, 64, mask},
                                    {kRootCNodeSlot})
                       : call_event(kRootCNodeSlot, lbl(Label::CNodeMint),
                                    {dest, 64, from, 64, mask, badge()}, {kRootCNodeSlot});
  return with_syscall(e);
}

Event Generator::cnode_op(const GenContext& c) {
  if (chance(12)) return copy_with_rights(c);
  std::vector<word_t> cnodes = root_slots_with(c, CapType::CNode);
  if (cnodes.empty()) cnodes.push_back(kRootCNodeSlot);
  auto root_choice = [&] {
    const bool has_root = c.state.cap_at({c.root_cnode, kRootCNodeSlot}).type == CapType::CNode;
    return has_root && chance(65) ? kRootCNodeSlot : choose(cnodes);
  };
  const cptr_t inv = root_choice(), src_root = root_choice(), pivot_root = root_choice();
  const spec::Cap& inv_cap = c.state.cap_at({c.root_cnode, inv});
  const Addr d = address(c, inv_cap);
  const Addr s = address(c, c.state.cap_at({c.root_cnode, src_root}));
  static const Label labels[] = {Label::CNodeCopy,       Label::CNodeCopy,
                                 Label::CNodeMint,       Label::CNodeMint,
                                 Label::CNodeMint,       Label::CNodeMove,
                                 Label::CNodeMutate,     Label::CNodeRotate,
                                 Label::CNodeDelete,     Label::CNodeDelete,
                                 Label::CNodeRevoke,     Label::CNodeRevoke,
                                 Label::CNodeSaveCaller, Label::CNodeCancelBadgedSends};
  const word_t r = pick(100);
  if (r < 3) return with_syscall(call_event(inv, chance(50) ? 26 : pick(40), {d.index, d.depth}));
  const Label l = labels[pick(std::size(labels))];
  // A CNode's cap data is a guard: (guard << 6) | guard size.
  const word_t data =
      chance(60)
          ? badge()
          : (choose(std::vector<word_t>{0, 1, 2, 5}) << 6 | choose(std::vector<word_t>{0, 1, 4, 51, 52, 60}));
  Event e;
  // Labels are an open set of numbers (l is one of a few), so this is a chain, not a switch.
  if (l == Label::CNodeCopy) {
    e = call_event(inv, lbl(l), {d.index, d.depth, s.index, s.depth, rights()}, {src_root});
  } else if (l == Label::CNodeMint) {
    e = call_event(inv, lbl(l), {d.index, d.depth, s.index, s.depth, rights(), data}, {src_root});
  } else if (l == Label::CNodeMove) {
    e = call_event(inv, lbl(l), {d.index, d.depth, s.index, s.depth}, {src_root});
  } else if (l == Label::CNodeMutate) {
    e = call_event(inv, lbl(l), {d.index, d.depth, s.index, s.depth, data}, {src_root});
  } else if (l == Label::CNodeRotate) {
    const Addr p = address(c, c.state.cap_at({c.root_cnode, pivot_root}));
    const Addr dst = chance(30) ? s : d;  // dest == src swaps
    e = call_event(inv, lbl(l), {dst.index, dst.depth, badge(), p.index, p.depth, badge(), s.index, s.depth},
                   {pivot_root, src_root});
  } else {  // Revoke, Delete, SaveCaller, CancelBadgedSends: the destination slot only
    // Deleting the root TCB cap ends the boot: keep it rare.
    if (l == Label::CNodeDelete && inv == kRootCNodeSlot && d.index == kTcbSlot && d.depth == 64 &&
        chance(90))
      return cnode_op(c);
    e = call_event(inv, lbl(l), {d.index, d.depth});
  }
  truncate(e);
  return with_syscall(e);
}

Event Generator::retype(const GenContext& c) {
  std::vector<word_t> uts = root_slots_with(c, CapType::Untyped), ram;
  for (word_t i : uts)
    if (!c.state.cap_at({c.root_cnode, i}).is_device) ram.push_back(i);
  if (uts.empty()) return other(c);
  const cptr_t ut = !ram.empty() && chance(80) ? choose(ram) : choose(uts);
  const spec::Cap& u = c.state.cap_at({c.root_cnode, ut});
  struct Choice {
    ObjectType t;
    word_t size;
  };
  const word_t small_ut = 4 + pick(u.size_bits > 12 ? 9 : (u.size_bits > 4 ? u.size_bits - 3 : 1));
  const Choice choices[] = {{ObjectType::Untyped, small_ut},
                            {ObjectType::Untyped, u.size_bits - pick(2)},
                            {ObjectType::TCB, 0},
                            {ObjectType::Endpoint, 0},
                            {ObjectType::Endpoint, 0},
                            {ObjectType::Notification, 0},
                            {ObjectType::CapTable, 1 + pick(4)},
                            {ObjectType::CapTable, 0},
                            {ObjectType::SmallPage, 0},
                            {ObjectType::PageTable, 0},
                            {ObjectType::VSpace, 0},
                            {ObjectType::LargePage, 0},
                            {ObjectType::HugePage, 0}};
  Choice ch = choices[pick(std::size(choices))];
  // An untyped part-used by small objects: next an object that needs a larger alignment.
  if (u.free_index % 4096 != 0 && chance(30))
    ch = choose(
        std::vector<Choice>{{ObjectType::TCB, 0}, {ObjectType::SmallPage, 0}, {ObjectType::CapTable, 4}});
  word_t type = ty(ch.t), size = ch.size;
  if (chance(3)) type = 10 + pick(60);
  if (chance(3)) size = choose(std::vector<word_t>{2, 47, 48, 64, 200});
  if (chance(6)) size = size_edge(ch.t);
  // Destination CNode: the root itself (depth 0), a CNode held in the root, or a bad one.
  word_t node_index = 0, node_depth = 0;
  paddr_t dest = c.root_cnode;
  unsigned dest_radix = c.root_radix;
  std::vector<word_t> cnodes = root_slots_with(c, CapType::CNode);
  const word_t r = pick(100);
  if (r < 20 && !cnodes.empty()) {
    node_index = choose(cnodes), node_depth = 64;
    const spec::Cap& n = c.state.cap_at({c.root_cnode, node_index});
    dest = n.ptr, dest_radix = n.radix;
  } else if (r < 26) {
    node_index = pick(64), node_depth = chance(50) ? 64 : choose(std::vector<word_t>{0, 1, 63, 65, pick(70)});
  }
  const word_t count = chance(60)   ? 1
                       : chance(80) ? 2 + pick(3)
                                    : choose(std::vector<word_t>{0, 1, 256, 257, word_t{1} << dest_radix});
  const word_t slots = word_t{1} << dest_radix;
  word_t offset = chance(85) ? first_free(c, dest, dest_radix, pick(2)) : pick(slots + 2);
  // The end of the CNode: the last objects fit exactly, or spill one slot past it.
  if (chance(8))
    offset = choose(std::vector<word_t>{slots - count, slots - count + 1, slots - 1, slots, slots + 1});
  Event e = call_event(ut, lbl(Label::UntypedRetype), {type, size, node_index, node_depth, offset, count},
                       {chance(95) ? kRootCNodeSlot : pick(20)});
  truncate(e);
  return with_syscall(e);
}

// Retype size_bits at the limits of each type: one below the least, the least, the most, one more.
word_t Generator::size_edge(ObjectType t) {
  if (t == ObjectType::Untyped)
    return choose(std::vector<word_t>{spec::kMinUntypedBits - 1, spec::kMinUntypedBits, spec::kMaxUntypedBits,
                                      spec::kMaxUntypedBits + 1});
  if (t == ObjectType::CapTable)  // a CNode of 2^n slots of 2^5 bytes
    return choose(std::vector<word_t>{0, 1, spec::kMaxUntypedBits - 5, spec::kMaxUntypedBits - 4});
  return choose(std::vector<word_t>{0, 1, 63, 64});
}

// SMC calls, mostly through a badged cap (minted here when the root has none), with x0 its
// function ID, that ID with one bit flipped, or another ID.
Event Generator::smc(const GenContext& c) {
  const std::vector<word_t> smcs = root_slots_with(c, CapType::Smc);
  std::vector<word_t> badged;
  for (word_t i : smcs)
    if (c.state.cap_at({c.root_cnode, i}).badge != 0) badged.push_back(i);
  if (badged.empty() && !smcs.empty() && chance(40)) {
    const word_t b = chance(70) ? choose(std::vector<word_t>{kPsciVersion, kPsciFeatures, 0xc4000003})
                                : flip_bit(chance(50) ? kPsciVersion : any_word());
    return with_syscall(call_event(
        kRootCNodeSlot, lbl(Label::CNodeMint),
        {first_free(c, c.root_cnode, c.root_radix, 0), 64, choose(smcs), 64, 0xf, b}, {kRootCNodeSlot}));
  }
  const cptr_t slot = !badged.empty() && chance(70) ? choose(badged) : smcs.empty() ? kSmcSlot : choose(smcs);
  const word_t b = c.state.cap_at({c.root_cnode, slot}).badge, r = pick(100);
  const word_t fid = b != 0 && r < 45 ? b : b != 0 && r < 85 ? flip_bit(b) : badge();
  std::vector<word_t> mrs{fid};
  for (unsigned i = 1; i < 8; ++i)
    mrs.push_back(chance(50) ? 0 : (i == 1 && chance(50) ? kPsciVersion : any_word()));
  if (chance(12)) mrs.resize(pick(8));
  Event e = call_event(slot, chance(92) ? lbl(Label::ARMSMCCall) : pick(40), mrs);
  return with_syscall(e);
}

// SGIs: IRQControl IssueSGISignal (ids and targets mostly valid, some out of range; an empty
// slot or an occupied one), an IRQ handler for an SGI's IRQ bound to a notification, and
// invocations of the SGI-signal caps the root holds (any label, any sending syscall).
Event Generator::sgi_op(const GenContext& c) {
  const std::vector<word_t> sgis = root_slots_with(c, CapType::SgiSignal);
  const word_t r = pick(100);
  if (r < 45 && !sgis.empty()) {
    const word_t label = chance(70) ? 0 : choose(std::vector<word_t>{1, 26, 50, 1000, any_word()});
    std::vector<word_t> mrs(pick(3), 7);
    return with_syscall(call_event(choose(sgis), label, mrs));
  }
  if (r < 60) {  // a handler for one of the SGIs' IRQs, or its notification
    const std::vector<word_t> handlers = root_slots_with(c, CapType::IrqHandler);
    const std::vector<word_t> ntfns = root_slots_with(c, CapType::Notification);
    if (!handlers.empty() && !ntfns.empty() && chance(60))
      return with_syscall(call_event(choose(handlers), lbl(Label::IRQSetIRQHandler), {}, {choose(ntfns)}));
    if (!handlers.empty() && chance(50))
      return with_syscall(call_event(choose(handlers), lbl(Label::IRQAckIRQ), {}));
    return with_syscall(call_event(
        kIrqControlSlot, lbl(Label::IRQIssueIRQHandler),
        {pick(spec::kNumSgis), first_free(c, c.root_cnode, c.root_radix, pick(2)), 64}, {kRootCNodeSlot}));
  }
  const word_t id = chance(90) ? pick(spec::kNumSgis) : choose(std::vector<word_t>{16, 17, any_word()});
  const word_t target = chance(60) ? 0 : chance(85) ? pick(spec::kSgiNumTargets) : 8 + pick(4);
  const word_t dest = chance(85) ? first_free(c, c.root_cnode, c.root_radix, pick(2))
                                 : slot_in(c, c.root_cnode, c.root_radix);
  Event e =
      call_event(kIrqControlSlot, lbl(Label::ARMIRQIssueSGISignal),
                 {id, target, dest, chance(95) ? 64 : pick(70)}, {chance(95) ? kRootCNodeSlot : pick(20)});
  truncate(e);
  return with_syscall(e);
}

// Frame invocations: GetAddress on the root task's frames (IPC buffer, boot info, image frames,
// retyped and copied frames); sometimes a page label keel does not implement, or any label.
Event Generator::frame_op(const GenContext& c) {
  const std::vector<word_t> frames = root_slots_with(c, CapType::Frame);
  if (frames.empty()) return other(c);
  const bool home = c.state.cap_at({c.root_cnode, kIpcBufferSlot}).type == CapType::Frame;
  const bool boot_info = c.state.cap_at({c.root_cnode, kBootInfoSlot}).type == CapType::Frame;
  const word_t r = pick(100);
  const cptr_t f = r < 25 && home ? kIpcBufferSlot : r < 35 && boot_info ? kBootInfoSlot : choose(frames);
  const word_t label = chance(85)
                           ? lbl(Label::ARMPageGetAddress)
                           : choose(std::vector<word_t>{0, 1, 9, 37, 40, 41, 42, 43, 44, 45, 47, 1000});
  std::vector<word_t> mrs;
  for (word_t i = pick(4); i > 0; --i) mrs.push_back(chance(50) ? pick(0x2000) : any_word());
  return with_syscall(call_event(f, label, mrs));
}

// VSpace invocations biased to succeed: a few fixed addresses so tables, pages and remaps meet;
// VSpaces from the root task's pool or a new one; sometimes the root task's own VSpace.
Event Generator::vspace_op(const GenContext& c) {
  const std::vector<word_t> vspaces = root_slots_with(c, CapType::VSpace),
                            tables = root_slots_with(c, CapType::PageTable),
                            frames = root_slots_with(c, CapType::Frame),
                            pools = root_slots_with(c, CapType::AsidPool);
  if (vspaces.empty()) return retype(c);
  const cptr_t vs = choose(vspaces);
  const word_t va = choose(std::vector<word_t>{0x10000000, 0x10001000, 0x10200000, 0x40000000, 0x8000000000,
                                               0x7ffffffff000, 0x800000000000});
  const word_t r = pick(100);
  Event e;
  if (r < 15 && !pools.empty()) {
    e = call_event(choose(pools), lbl(Label::ARMASIDPoolAssign), {}, {vs});
  } else if (r < 35 && !tables.empty()) {
    e = call_event(choose(tables), lbl(chance(85) ? Label::ARMPageTableMap : Label::ARMPageTableUnmap),
                   {va, 3}, {vs});
  } else if (r < 75 && !frames.empty()) {
    const word_t rights = chance(70) ? 3 : pick(16), attributes = chance(70) ? 3 : pick(8);
    e = call_event(choose(frames), lbl(chance(80) ? Label::ARMPageMap : Label::ARMPageUnmap),
                   {va, rights, attributes}, {vs});
  } else if (r < 85 && !frames.empty()) {
    e = call_event(choose(frames), lbl(Label::ARMPageClean_Data) + pick(4), {pick(0x1000), pick(0x1001) + 1});
  } else if (r < 92) {
    e = call_event(vs, lbl(Label::ARMVSpaceClean_Data) + pick(4),
                   {va + pick(0x800), va + 0x800 + pick(0x1000)});
  } else {
    const std::vector<word_t> uts = root_slots_with(c, CapType::Untyped);
    const word_t dest = first_free(c, c.root_cnode, c.root_radix, 0);
    e = call_event(5, lbl(Label::ARMASIDControlMakePool), {dest, 64},
                   {uts.empty() ? 0 : choose(uts), kRootCNodeSlot});
  }
  truncate(e);
  return with_syscall(e);
}

Event Generator::other(const GenContext& c) {
  const word_t r = pick(100);
  if (r < 28) return debug_event(spec::Syscall::DebugPutChar, 0x20 + pick(95));
  if (r < 48)
    return debug_event(spec::Syscall::DebugCapIdentify,
                       chance(85) ? slot_in(c, c.root_cnode, c.root_radix) : any_word());
  if (r < 53) {
    Event e = debug_event(spec::Syscall::DebugNameThread,
                          chance(95) ? kTcbSlot : slot_in(c, c.root_cnode, c.root_radix));
    const word_t len = pick(12);
    for (word_t i = 0; i < len; ++i) e.ipc[1 + i / 8] |= word_t('a' + pick(26)) << (8 * (i % 8));
    return e;
  }
  if (r < 54) return debug_event(chance(20) ? spec::Syscall::DebugHalt : spec::Syscall::Yield);
  if (r < 80) {  // some label on some cap: mostly IllegalOperation from caps the spec knows
    std::vector<word_t> plain;
    for (auto it = c.state.slots.lower_bound({c.root_cnode, 0});
         it != c.state.slots.end() && it->first.object == c.root_cnode; ++it) {
      const CapType t = it->second.cap.type;
      if (t != CapType::Endpoint && t != CapType::Notification && t != CapType::Reply &&
          t != CapType::PageTable && t != CapType::VSpace && t != CapType::AsidPool &&
          t != CapType::AsidControl && t != CapType::IrqControl && t != CapType::Domain)
        plain.push_back(it->first.index);
    }
    const cptr_t cp =
        plain.empty() || chance(20) ? first_free(c, c.root_cnode, c.root_radix, 0) : choose(plain);
    return with_syscall(
        call_event(cp, choose(std::vector<word_t>{0, 1, 17, 20, 24, 26, 37, 50, 51, 1000}), {1, 64, 3, 64}));
  }
  if (r < 97) {  // a CPtr that does not resolve: NBSend drops it, Call faults
    const cptr_t bad = chance(50) ? any_word() : (word_t{1} << (52 + pick(12)));
    Event e = call_event(bad, lbl(Label::CNodeDelete), {1, 64});
    e.regs[7] = static_cast<word_t>(
        static_cast<std::int64_t>(chance(80) ? spec::Syscall::NBSend : spec::Syscall::Call));
    return e;
  }
  return raw_syscall_event(chance(50) ? 0 : word_t(-15 - std::int64_t(pick(5))), 0);
}

Event Generator::next(const GenContext& c) {
  if (mix_ == GenMix::Conversations && chance(50)) {
    if (std::optional<Event> e = conversation(c)) return *e;
  }
  const word_t r = pick(100);
  if (r < 32) return cnode_op(c);
  if (r < 52) return retype(c);
  if (r < 58) return smc(c);
  if (r < 61) return sgi_op(c);
  if (r < 67) return thread_op(c);
  if (r < 71) return frame_op(c);
  if (r < 78) return vspace_op(c);
  if (r < 91) return ipc_op(c);
  if (r < 93) return exception(c);
  if (r < 95) {  // Yield must leave every register as it was: give them values to keep
    Event e = debug_event(spec::Syscall::Yield, any_word());
    for (unsigned i = 1; i < 7; ++i) e.regs[i] = chance(50) ? any_word() : pick(16);
    return e;
  }
  if (r < 97) return interrupt(c);
  return other(c);
}

std::uint64_t state_hash(const spec::State& s) {
  std::string text;
  for (const auto& [p, o] : s.objects) text += std::to_string(p) + spec::to_string(o) + ";";
  for (const auto& [r, sl] : s.slots) text += spec::to_string(r) + spec::to_string(sl) + ";";
  text += spec::to_string(s.ready_queues);
  text += s.cur_thread ? std::to_string(*s.cur_thread) : "-";
  text += s.halted ? "H" : "";
  return std::hash<std::string>{}(text);
}

RandomRunResult random_run(std::uint64_t seed, size_t steps, size_t max_per_boot, const LockstepConfig& cfg,
                           std::unordered_set<std::uint64_t>* distinct, GenMix mix) {
  RandomRunResult out;
  Generator gen(seed, mix);
  if (mix == GenMix::Broad) gen.transcribe(&out.fuzz_input);
  while (out.steps < steps) {
    out.fuzz_input.clear();  // a fuzz input starts at a boot
    Lockstep ls(cfg);
    ++out.boots;
    std::vector<Event> events;
    if (!ls.booted()) {
      out.failed = true;
      out.failure.report = StepReport{Check::Exception, "boot failed", {}, false};
      return out;
    }
    auto failed = [&](const StepReport& rep) {
      out.failed = true;
      out.failing = events;
      out.failure.failed_at = int(events.size() - 1);
      out.failure.report = rep;
      out.not_specified += ls.not_specified;
      return out;
    };
    size_t idle_events = 0;  // interrupts tried while every thread waits, to wake one
    for (size_t k = 0; k < max_per_boot && out.steps < steps; ++k) {
      const bool idle = !ls.running();
      if (idle && (!ls.idling() || ++idle_events > 3)) break;
      const GenContext ctx{ls.state(), ls.root_cnode(), 12, ls.root_tcb()};
      events.push_back(idle ? gen.interrupt(ctx) : gen.next(ctx));
      StepReport rep = ls.step(events.back());
      ++out.steps;
      ++out.outcomes.at(static_cast<size_t>(rep.outcome));
      if (distinct) distinct->insert(state_hash(ls.state()));
      if (!rep.ok()) return failed(rep);
    }
    if (StepReport rep = ls.checkpoint(); !rep.ok()) return failed(rep);
    out.not_specified += ls.not_specified;
  }
  return out;
}

std::vector<Event> exhaustive_alphabet(const LockstepConfig& cfg) {
  Lockstep ls(cfg);
  const spec::State& s = ls.state();
  const paddr_t root = ls.root_cnode();
  word_t ut = 0, ut_bits = 64, f = 0;
  for (const auto& [r, sl] : s.slots) {
    if (r.object != root) continue;
    const spec::Cap& c = sl.cap;
    if (c.type == CapType::Untyped && !c.is_device && c.size_bits >= 12 && c.size_bits < ut_bits)
      ut = r.index, ut_bits = c.size_bits;
  }
  for (word_t i = 16; f == 0; ++i)
    if (!s.slot_at({root, i})) f = i;
  const word_t g = f + 1;
  const spec::Thread* t = s.thread(ls.root_tcb());
  const word_t home = t != nullptr ? t->ipc_buffer_vaddr : 0;
  const word_t retype = lbl(Label::UntypedRetype), copy = lbl(Label::CNodeCopy), mint = lbl(Label::CNodeMint);
  const word_t smc_args[] = {kPsciVersion, 0, 0, 0, 0, 0, 0, 0};
  return {
      call_event(ut, retype, {ty(ObjectType::Endpoint), 0, 0, 0, f, 1}, {kRootCNodeSlot}),
      call_event(ut, retype, {ty(ObjectType::CapTable), 2, 0, 0, g, 1}, {kRootCNodeSlot}),
      call_event(kRootCNodeSlot, mint, {f, 64, kSmcSlot, 64, 0xf, kPsciVersion}, {kRootCNodeSlot}),
      // Copy masks f's rights to read and grant (an endpoint or a frame loses write).
      call_event(kRootCNodeSlot, copy, {g, 64, f, 64, 0x6}, {kRootCNodeSlot}),
      call_event(kRootCNodeSlot, mint, {g, 64, f, 64, 0xf, 7}, {kRootCNodeSlot}),
      call_event(kRootCNodeSlot, lbl(Label::CNodeMove), {g, 64, f, 64}, {kRootCNodeSlot}),
      call_event(kRootCNodeSlot, lbl(Label::CNodeMutate), {f, 64, g, 64, 0}, {kRootCNodeSlot}),
      call_event(kRootCNodeSlot, lbl(Label::CNodeDelete), {f, 64}),
      call_event(kRootCNodeSlot, lbl(Label::CNodeRevoke), {kSmcSlot, 64}),
      call_event(kRootCNodeSlot, lbl(Label::CNodeRevoke), {ut, 64}),
      // Signals: a notification in g, a signal through it, a poll of it.
      call_event(ut, retype, {ty(ObjectType::Notification), 0, 0, 0, g, 1}, {kRootCNodeSlot}),
      call_event(g, 0, {}, {}, spec::Syscall::Send),
      call_event(g, 0, {}, {}, spec::Syscall::NBRecv),
      call_event(f, lbl(Label::ARMSMCCall), std::vector<word_t>(std::begin(smc_args), std::end(smc_args))),
      // x0 one bit past the low 32 of f's badge: IllegalOperation, no SMC made.
      call_event(f, lbl(Label::ARMSMCCall), {kPsciVersion ^ (word_t{1} << 32), 0, 0, 0, 0, 0, 0, 0}),
      call_event(kRootCNodeSlot, copy, {g, 64, kSmcSlot, 64, 0xf}, {kRootCNodeSlot}),
      // The IPC buffer: a frame copy in g, then the thread's buffer cap derived from g (a frame,
      // or IllegalOperation when g holds something else or nothing).
      call_event(kRootCNodeSlot, copy, {g, 64, kIpcBufferSlot, 64, 0xf}, {kRootCNodeSlot}),
      call_event(kTcbSlot, lbl(Label::TCBSetIPCBuffer), {home}, {g}),
      // VSpace: a frame in f, mapped read-write over the page after the IPC buffer (its tables
      // exist; seL4 maps over an existing page without complaint), then unmapped. Deleting f
      // (above) unmaps it too.
      call_event(ut, retype, {ty(ObjectType::SmallPage), 0, 0, 0, f, 1}, {kRootCNodeSlot}),
      call_event(f, lbl(Label::ARMPageMap), {home + 0x1000, 3, 0}, {kVSpaceSlot}),
      call_event(f, lbl(Label::ARMPageUnmap), {}),
      // SGIs: a cap for SGI 3 at this core in f, raised (IRQ 3 is nobody's).
      call_event(kIrqControlSlot, lbl(Label::ARMIRQIssueSGISignal), {3, 0, f, 64}, {kRootCNodeSlot}),
      call_event(f, 0, {}),
  };
}

ExhaustiveResult exhaustive_run(const std::vector<Event>& alphabet, unsigned depth, const LockstepConfig& cfg,
                                Shard shard) {
  ExhaustiveResult out;
  const size_t n = alphabet.size();
  for (unsigned len = 1; len <= depth; ++len) {
    std::vector<size_t> idx(len, 0);
    for (;;) {
      if (idx[0] % shard.count != shard.index) {
        idx[0]++;  // skip the whole subtree under a first event of another shard
        if (idx[0] >= n) break;
        continue;
      }
      std::vector<Event> seq;
      for (size_t i : idx) seq.push_back(alphabet[i]);
      SequenceResult r = run_sequence(seq, cfg);
      ++out.sequences;
      out.steps += r.steps;
      out.not_specified += r.not_specified;
      if (r.failed()) {
        out.failed = true;
        out.failing.assign(seq.begin(), seq.begin() + r.failed_at + 1);
        out.failure = r;
        return out;
      }
      size_t k = len;  // odometer
      while (k > 0 && ++idx[k - 1] == n) idx[--k] = 0;
      if (k == 0) break;
    }
  }
  return out;
}

}  // namespace keel::diff
