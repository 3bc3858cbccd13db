// Fuzz harness: the kernel core on the host machine, booted fresh for each input, running a
// bounded sequence of syscalls decoded from the input and biased towards meaningful cap
// pointers, labels and arguments. Every kernel entry is followed by the capability invariant
// check (HostKernel), the SMC frame condition, and the SMC reply rules.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <vector>

#include "host/test_driver.h"
#include "kernel/api/labels.h"
#include "kernel/api/object_type.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cap_algebra.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/kernel_window.h"
#include "kernel/lib/mutation.h"
#include "kernel/lib/preemption.h"
#include "tests/fuzz/harness.h"

namespace keel::fuzz {
namespace {

// Small RAM keeps boot and the per-SMC hash of all RAM cheap; now and then 8 MiB, so that
// large-page-sized untypeds exist too.
constexpr size_t kSmallRam = size_t{4} << 20, kLargeRam = size_t{8} << 20;
constexpr unsigned kMaxSyscalls = 48;
constexpr word_t kPsciVersion = 0x84000000, kPsciFeatures = 0x8400000a, kPsciMigrateInfo = 0x84000006,
                 kPsciSystemOff = 0x84000008, kPsciCpuOn = 0xc4000003;

word_t label_word(Label l) { return static_cast<word_t>(l); }

// KEEL_FUZZ_TRACE=1 prints each decoded syscall and its result: how a finding is read.
unsigned g_planted_mutant = 0;

bool tracing() {
  static const bool on = std::getenv("KEEL_FUZZ_TRACE") != nullptr;
  return on;
}

// One decoded syscall: number, invoked cap, message, extra caps.
struct Op {
  sword_t number = static_cast<sword_t>(Syscall::Call);
  cptr_t cptr = 0;
  word_t label = 0;
  std::vector<word_t> mrs;
  std::vector<cptr_t> caps;
  int length_override = -1;     // a message length that disagrees with mrs.size()
  std::array<word_t, 6> raw{};  // for raw syscalls: x0..x5 as given
  bool is_raw = false;
};

// What the harness knows of the root task's CSpace, from bootinfo.
struct Layout {
  SlotRegion empty{}, untyped{}, frames{}, paging{};
  std::vector<cptr_t> ram_untypeds;  // the non-device ones
};

// What Session decodes cap pointers against, for reading a trace.
void trace_boot(const BootInfo& bi) {
  std::fprintf(stderr, "boot: empty slots [%lu, %lu), untypeds from slot %lu:",
               static_cast<unsigned long>(bi.empty.start), static_cast<unsigned long>(bi.empty.end),
               static_cast<unsigned long>(bi.untyped.start));
  for (word_t i = 0; i < bi.untyped.end - bi.untyped.start; ++i)
    std::fprintf(stderr, " %u%s", bi.untyped_list[i].size_bits, bi.untyped_list[i].is_device ? "d" : "");
  std::fputc('\n', stderr);
}

class Session {
 public:
  Session(Input& in, host::HostKernel& k) : in_(in), k_(k) {
    const BootInfo* bi = k.bootinfo();
    if (bi == nullptr) finding("syscall: no bootinfo after boot");
    layout_ = Layout{bi->empty, bi->untyped, bi->user_image_frames, bi->user_image_paging, {}};
    for (word_t i = 0; i < bi->untyped.end - bi->untyped.start; ++i)
      if (!bi->untyped_list[i].is_device) layout_.ram_untypeds.push_back(bi->untyped.start + i);
    if (tracing()) trace_boot(*bi);
  }
  void run();

 private:
  bool running() const {
    return !k_.halted() && !ks.halted && ks.cur_thread == k_.root() && is_runnable(ks.cur_thread);
  }
  cptr_t slot();
  word_t depth();
  word_t arg();
  word_t badge();
  Op cnode_op();
  Op retype();
  Op smc();
  Op debug();
  Op invocation();
  Op raw();
  cptr_t untyped();
  void issue(const Op& op);
  std::optional<Cap> root_cap_at(cptr_t cptr);
  void check_smc(const Op& op, std::optional<Cap> cap, const host::SyscallResult& r, size_t smcs_before);
  void check_smc_reply(const host::SyscallResult& r);
  void check_cnode_result(const Op& op, std::optional<Cap> cap, const host::SyscallResult& r);

  Input& in_;
  host::HostKernel& k_;
  Layout layout_;
  machine::SmcRegs last_monitor_out_{};
};

word_t in_region(Input& in, SlotRegion r, unsigned span) {
  const word_t n = r.end > r.start ? std::min<word_t>(r.end - r.start, span) : 1;
  return r.start + in.below(n);
}

// Mostly slots that hold something or will: initial caps, untypeds, the first empty slots.
cptr_t Session::slot() {
  const uint8_t b = in_.byte();
  if (b < 60) return b % kNumInitialCaps;
  if (b < 130) return in_region(in_, layout_.empty, 24);
  if (b < 180) return in_region(in_, layout_.untyped, 64);
  if (b < 200) return in_region(in_, b & 1 ? layout_.frames : layout_.paging, 8);
  if (b < 245) return in_.below(word_t{1} << config::kRootCNodeSizeBits);
  return in_.word();
}

cptr_t Session::untyped() {
  const auto& ram = layout_.ram_untypeds;
  if (!ram.empty() && in_.chance(190)) return ram[in_.below(ram.size())];
  return in_region(in_, layout_.untyped, 64);
}

word_t Session::depth() {
  static const word_t kDepths[] = {0, 1, 12, 52, 63, 65, 128};
  return in_.chance(220) ? 64 : in_.choose(kDepths);
}

word_t Session::badge() {
  static const word_t kBadges[] = {0,          1,         5, kPsciVersion, kPsciFeatures, kPsciSystemOff,
                                   kPsciCpuOn, 0x82000000};
  return in_.chance(200) ? in_.choose(kBadges) : in_.word();
}

// A message word: small numbers, sizes, user addresses, cap pointers or anything.
word_t Session::arg() {
  static const word_t kWords[] = {
      0,  1,  2,  3,   4,      5,        7,          8,        9,          12,       21,
      30, 47, 64, 0xf, 0x1000, 0x200000, 0x10000000, 0x400000, 0x40000000, kUserTop, ~word_t{0}};
  const uint8_t b = in_.byte();
  if (b < 150) return kWords[b % std::size(kWords)];
  if (b < 220) return slot();
  return in_.word();
}

Op Session::cnode_op() {
  static const Label kLabels[] = {Label::CNodeRevoke, Label::CNodeDelete, Label::CNodeCancelBadgedSends,
                                  Label::CNodeCopy,   Label::CNodeMint,   Label::CNodeMove,
                                  Label::CNodeMutate, Label::CNodeRotate, Label::CNodeSaveCaller};
  Op op;
  op.cptr = in_.chance(200) ? word_t{kCapInitThreadCNode} : slot();
  const Label l = in_.choose(kLabels);
  op.label = label_word(l);
  const word_t dest = slot(), dest_depth = depth();
  auto root = [&] { return in_.chance(220) ? cptr_t{kCapInitThreadCNode} : slot(); };
  // Labels are an open set of numbers (l is one of kLabels), so this is a chain, not a switch.
  if (l == Label::CNodeCopy) {
    op.mrs = {dest, dest_depth, slot(), depth(), arg() & 0xf};
    op.caps = {root()};
  } else if (l == Label::CNodeMint) {
    op.mrs = {dest, dest_depth, slot(), depth(), in_.chance(200) ? 0xf : arg(), badge()};
    op.caps = {root()};
  } else if (l == Label::CNodeMove) {
    op.mrs = {dest, dest_depth, slot(), depth()};
    op.caps = {root()};
  } else if (l == Label::CNodeMutate) {
    op.mrs = {dest, dest_depth, slot(), depth(), badge()};
    op.caps = {root()};
  } else if (l == Label::CNodeRotate) {
    op.mrs = {dest, dest_depth, badge(), slot(), depth(), badge(), slot(), depth()};
    op.caps = {root(), root()};
  } else {  // Revoke, Delete, CancelBadgedSends, SaveCaller: the destination slot only
    op.mrs = {dest, dest_depth};
  }
  return op;
}

Op Session::retype() {
  Op op;
  op.cptr = in_.chance(230) ? untyped() : slot();
  op.label = label_word(Label::UntypedRetype);
  const word_t type = in_.chance(240) ? in_.below(kObjectTypeCount) : arg();
  word_t size = 0;
  if (type == static_cast<word_t>(ObjectType::Untyped)) size = 4 + in_.below(20);
  if (type == static_cast<word_t>(ObjectType::CapTable)) size = in_.below(10);
  if (in_.chance(20)) size = arg();
  const bool other_node = in_.chance(40);
  const word_t node_index = other_node ? slot() : 0, node_depth = other_node ? depth() : 0;
  const word_t offset = in_.chance(220) ? in_region(in_, layout_.empty, 24) : arg();
  const word_t count = in_.chance(200) ? 1 + in_.below(4) : arg();
  op.mrs = {type, size, node_index, node_depth, offset, count};
  op.caps = {in_.chance(240) ? cptr_t{kCapInitThreadCNode} : slot()};
  return op;
}

Op Session::smc() {
  static const word_t kFids[] = {kPsciVersion, kPsciFeatures, kPsciMigrateInfo, kPsciCpuOn,
                                 0x82000000,   0xc2000001,    0x80000000,       0};
  Op op;
  op.cptr = in_.chance(180) ? word_t{kCapSMC} : slot();
  op.label = in_.chance(240) ? label_word(Label::ARMSMCCall) : arg();
  // SYSTEM_OFF ends the session: rare.
  const word_t fid = in_.chance(2) ? kPsciSystemOff : in_.chance(200) ? in_.choose(kFids) : in_.word();
  op.mrs = {fid};
  for (unsigned i = 1; i < 8; ++i) op.mrs.push_back(in_.chance(128) ? 0 : i == 1 ? kPsciVersion : arg());
  if (in_.chance(20)) op.mrs.resize(in_.below(9));
  return op;
}

// DebugHalt and DebugNameThread on a non-TCB stop the machine, so they are rare.
Op Session::debug() {
  Op op;
  op.is_raw = true;
  const uint8_t b = in_.byte();
  if (b < 80) {
    op.number = static_cast<sword_t>(Syscall::DebugPutChar);
    op.raw[0] = in_.byte();
  } else if (b < 170) {
    op.number = static_cast<sword_t>(Syscall::DebugCapIdentify);
    op.raw[0] = slot();
  } else if (b < 230) {
    op.number = static_cast<sword_t>(Syscall::DebugNameThread);
    op.raw[0] = in_.chance(240) ? word_t{kCapInitThreadTCB} : slot();
    // The name: a few letters then a NUL, written into the IPC buffer by issue().
    const word_t len = in_.below(12);
    for (word_t i = 0; i < len; i += 8) op.mrs.push_back(0x6d616e6b636f6c61ull);  // "alockman"
    op.mrs.push_back(0);
  } else if (b < 250) {
    op.number = static_cast<sword_t>(b & 1 ? Syscall::DebugDumpScheduler : Syscall::DebugSnapshot);
  } else {
    op.number = static_cast<sword_t>(Syscall::DebugHalt);
  }
  return op;
}

// Any label on any cap: mostly IllegalOperation, the odd page or TCB operation.
Op Session::invocation() {
  Op op;
  op.cptr = slot();
  op.label = in_.chance(240) ? in_.below(51) : arg();
  const word_t n = in_.below(10);
  for (word_t i = 0; i < n; ++i) op.mrs.push_back(arg());
  const word_t c = in_.below(4);
  for (word_t i = 0; i < c; ++i) op.caps.push_back(slot());
  static const Syscall kSys[] = {Syscall::Call, Syscall::Call, Syscall::Call, Syscall::Send, Syscall::NBSend};
  op.number = static_cast<sword_t>(in_.choose(kSys));
  return op;
}

// Any syscall number with any registers (Recv, Reply, Yield, unknown numbers, ...).
Op Session::raw() {
  Op op;
  op.is_raw = true;
  op.number = in_.chance(200) ? -sword_t(in_.below(16)) : sword_t(in_.word());
  for (word_t& x : op.raw) x = arg();
  return op;
}

void trace(const Op& op, const std::array<word_t, 6>& x) {
  std::fprintf(stderr, "syscall %ld x0..x5", long(op.number));
  for (word_t v : x) std::fprintf(stderr, " 0x%lx", static_cast<unsigned long>(v));
  if (!op.is_raw)
    std::fprintf(stderr, " (cap 0x%lx label %lu)", static_cast<unsigned long>(op.cptr),
                 static_cast<unsigned long>(op.label));
  std::fprintf(stderr, " mrs");
  for (word_t v : op.mrs) std::fprintf(stderr, " 0x%lx", static_cast<unsigned long>(v));
  std::fprintf(stderr, " caps");
  for (cptr_t c : op.caps) std::fprintf(stderr, " 0x%lx", static_cast<unsigned long>(c));
  std::fputc('\n', stderr);
}

void Session::issue(const Op& op) {
  word_t* buf = k_.ipc_buffer();
  std::array<word_t, 6> x = op.raw;
  if (!op.is_raw) {
    const word_t length = op.length_override >= 0 ? word_t(op.length_override) : op.mrs.size();
    x[0] = op.cptr;
    x[1] = MessageInfo{op.label, 0, op.caps.size(), length}.to_word();
    for (size_t i = 0; i < op.mrs.size(); ++i) {
      if (i < kNumMsgRegisters)
        x[2 + i] = op.mrs[i];
      else if (buf != nullptr && i < kMsgMaxLength)
        buf[ipc_buffer::kMsg + i] = op.mrs[i];
    }
    for (size_t i = 0; i < op.caps.size() && buf != nullptr; ++i)
      buf[ipc_buffer::kCapsOrBadges + i] = op.caps[i];
  } else if (buf != nullptr) {
    for (size_t i = 0; i < op.mrs.size(); ++i) buf[ipc_buffer::kMsg + i] = op.mrs[i];
  }
  const size_t smcs_before = k_.machine().smc_calls.size();
  const std::optional<Cap> cap = op.is_raw ? std::nullopt : root_cap_at(op.cptr);
  if (tracing()) trace(op, x);
  host::SyscallResult r{};
  try {
    r = k_.syscall(op.number, x);  // then HostKernel checks the capability invariants
  } catch (const host::InvariantViolation& e) {
    finding("syscall: invariant violated after syscall %ld on cap 0x%lx label %lu: %s", long(op.number),
            static_cast<unsigned long>(op.cptr), static_cast<unsigned long>(op.label), e.what());
  } catch (const std::exception& e) {
    finding("syscall: host driver failed on syscall %ld: %s", long(op.number), e.what());
  }
  if (tracing())
    std::fprintf(stderr, "   -> x0 0x%lx tag label %lu length %lu\n", static_cast<unsigned long>(r.x[0]),
                 static_cast<unsigned long>(r.info().label), static_cast<unsigned long>(r.info().length));
  if (!k_.machine().frame_violations.empty())
    finding("syscall: SMC frame condition violated: %s", k_.machine().frame_violations.front().what.c_str());
  check_smc(op, cap, r, smcs_before);
  check_cnode_result(op, cap, r);
}

// The slot (index, depth) names below a CNode cap when one level resolves it.
Cte* slot_below(Cap cnode_cap, word_t index, word_t depth) {
  if (cnode_cap.type() != CapType::CNode || depth != kWordBits) return nullptr;
  const CNodeCap cnode{cnode_cap};
  if (cnode.radix() == 0 || cnode.radix() + cnode.guard_size() != kWordBits) return nullptr;
  if ((index >> cnode.radix()) != cnode.guard()) return nullptr;
  return ptr_from_paddr<Cte>(cnode.ptr()) + (index & mask_bits(cnode.radix()));
}

// The cap a cptr names when the root task's CNode resolves all 64 bits in one level (as boot
// sets it up); nothing when the lookup would fail or go on to a second level.
std::optional<Cap> Session::root_cap_at(cptr_t cptr) {
  const Cte* slot = slot_below(k_.root()->slot(kTcbCTable)->cap, cptr, kWordBits);
  return slot != nullptr ? std::optional<Cap>(slot->cap) : std::nullopt;
}

// seL4's postconditions of successful CNode invocations: Delete empties the slot, Revoke
// leaves no descendants, Copy and Mint mark the new cap revocable exactly as isCapRevocable says.
void Session::check_cnode_result(const Op& op, std::optional<Cap> cap, const host::SyscallResult& r) {
  if (!cap || op.mrs.size() < 2 || op.length_override >= 0 ||
      op.number != static_cast<sword_t>(Syscall::Call) || !running() || r.info().label != 0)
    return;
  const Cte* slot = slot_below(*cap, op.mrs[0], op.mrs[1]);
  if (slot == nullptr) return;
  const Label l = static_cast<Label>(op.label);
  if (l == Label::CNodeDelete && slot->cap.type() != CapType::Null)
    finding("syscall: CNode_Delete left a cap in slot 0x%lx", static_cast<unsigned long>(op.mrs[0]));
  const paddr_t next = slot->mdb.next();
  if (l == Label::CNodeRevoke && slot->cap.type() != CapType::Null && next != 0 &&
      is_mdb_parent_of(slot, ptr_from_paddr<Cte>(next)))
    finding("syscall: CNode_Revoke left a descendant of slot 0x%lx", static_cast<unsigned long>(op.mrs[0]));
  if ((l == Label::CNodeCopy || l == Label::CNodeMint) && op.mrs.size() >= 4 && !op.caps.empty()) {
    const std::optional<Cap> src_root = root_cap_at(op.caps[0]);
    const Cte* src = src_root ? slot_below(*src_root, op.mrs[2], op.mrs[3]) : nullptr;
    if (src != nullptr && slot->mdb.revocable() != is_cap_revocable(slot->cap, src->cap))
      finding("syscall: CNode copy into slot 0x%lx is %srevocable", static_cast<unsigned long>(op.mrs[0]),
              slot->mdb.revocable() ? "" : "not ");
  }
}

// Only an ARMSMCCall invocation of an SMC cap whose badge allows the function ID may reach the
// monitor, at most once, with MR0..MR7 in x0..x7 and zeros above; a Call then gets the
// monitor's x0..x7 back with label 0.
void Session::check_smc(const Op& op, std::optional<Cap> cap, const host::SyscallResult& r,
                        size_t smcs_before) {
  const size_t smcs = k_.machine().smc_calls.size() - smcs_before;
  if (smcs == 0) return;
  if (smcs > 1) finding("syscall: one syscall made %zu SMCs", smcs);
  if (op.is_raw || op.label != label_word(Label::ARMSMCCall))
    finding("syscall: an SMC from syscall %ld label %lu", long(op.number),
            static_cast<unsigned long>(op.label));
  const machine::SmcRegs& in = k_.machine().smc_calls.back();
  if (cap && cap->type() != CapType::Smc)
    finding("syscall: an SMC through a cap of type %lu", static_cast<unsigned long>(cap->type()));
  if (cap && SmcCap{*cap}.badge() != 0 && SmcCap{*cap}.badge() != in.x[0])
    finding("syscall: SMC function 0x%lx through a cap badged 0x%lx", static_cast<unsigned long>(in.x[0]),
            static_cast<unsigned long>(SmcCap{*cap}.badge()));
  for (unsigned i = 0; i < 18; ++i) {
    const word_t want = i < machine::kSmcArgsSeL4 && i < op.mrs.size() ? op.mrs[i] : 0;
    if ((i < op.mrs.size() || i >= machine::kSmcArgsSeL4) && in.x[i] != want)
      finding("syscall: SMC x%u = 0x%lx, expected 0x%lx", i, static_cast<unsigned long>(in.x[i]),
              static_cast<unsigned long>(want));
  }
  if (op.number == static_cast<sword_t>(Syscall::Call) && running()) check_smc_reply(r);
}

void Session::check_smc_reply(const host::SyscallResult& r) {
  const MessageInfo info = r.info();
  const word_t want_len = k_.ipc_buffer() != nullptr ? 8 : kNumMsgRegisters;
  if (info.label != 0 || info.length != want_len || info.extra_caps != 0)
    finding("syscall: SMC reply tag label %lu length %lu", static_cast<unsigned long>(info.label),
            static_cast<unsigned long>(info.length));
  for (unsigned i = 0; i < want_len; ++i)
    if (k_.mr(i, r) != last_monitor_out_.x[i])
      finding("syscall: SMC reply MR%u 0x%lx, monitor said 0x%lx", i, static_cast<unsigned long>(k_.mr(i, r)),
              static_cast<unsigned long>(last_monitor_out_.x[i]));
}

void Session::run() {
  // A well-behaved monitor: PSCI as QEMU answers it, or scripted results from the input.
  // Neither touches kernel-visible state.
  const bool scripted = in_.chance(64);
  std::array<word_t, 4> script{in_.word(), in_.word(), in_.word(), in_.word()};
  k_.machine().monitor = [this, scripted, script](const machine::SmcRegs& a, host::HostMachine& m) {
    machine::SmcRegs out = scripted ? a : host::psci_monitor(a, m);
    if (scripted)
      for (unsigned i = 0; i < 8; ++i) out.x[i] = script[i % 4] ^ (a.x[i] * (i + 1));
    last_monitor_out_ = out;
    return out;
  };
  for (unsigned n = 0; n < kMaxSyscalls && !in_.empty() && running(); ++n) {
    const uint8_t kind = in_.byte();
    Op op = kind < 60    ? cnode_op()
            : kind < 110 ? retype()
            : kind < 150 ? smc()
            : kind < 180 ? debug()
            : kind < 230 ? invocation()
            : kind < 245 ? raw()
                         : Op{};
    if (kind >= 245) {  // an interrupt arrives; the next preemption point takes it
      k_.machine().pending_irqs.push_back(in_.below(1024));
      continue;
    }
    if (!op.is_raw && in_.chance(12)) op.length_override = int(in_.below(130));
    issue(op);
  }
}

}  // namespace

void set_planted_mutant(unsigned m) { g_planted_mutant = m; }

void run_syscall_input(const uint8_t* data, size_t size) {
  Input in(data, size);
  g_preemption = PreemptionState{};
  g_active_mutant = Mutant::None;
  host::HostConfig cfg;
  cfg.ram_size = in.chance(32) ? kLargeRam : kSmallRam;
  host::HostKernel k(cfg);
  if (!k.booted() || k.root() == nullptr) finding("syscall: the host kernel did not boot");
  g_active_mutant = static_cast<Mutant>(g_planted_mutant);
  Session(in, k).run();
}

}  // namespace keel::fuzz

#ifdef KEEL_LIBFUZZER_ENTRY
// KEEL_FUZZ_MUTANT=<n> switches on planted kernel bug n (kernel/lib/mutation.h) after each boot.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* m = std::getenv("KEEL_FUZZ_MUTANT")) keel::fuzz::set_planted_mutant(unsigned(std::atoi(m)));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  keel::fuzz::run_syscall_input(data, size);
  return 0;
}
#endif
