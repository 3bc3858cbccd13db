// The host test driver: synthetic memory map, boot, and syscalls through the real entry path.
#include "host/test_driver.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string>

#include "arch/aarch64/object/asid.h"
#include "kernel/api/labels.h"
#include "kernel/cap/invariants.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/entry.h"
#include "kernel/core/fastpath.h"
#include "kernel/core/kernel_state.h"
#include "kernel/core/scheduler.h"
#include "kernel/lib/preemption.h"

namespace keel::host {

namespace {

constexpr word_t kPage = 4096;
constexpr word_t kKernelImageSize = 2u << 20;
constexpr unsigned kMaxRestarts = 100000;

// An `svc #0` followed by a branch to itself, so a synthetic image has real instructions.
void write_image(uint8_t* image, size_t size) {
  std::memset(image, 0, size);
  const uint32_t code[] = {0xd4000001u, 0x14000000u};
  std::memcpy(image, code, sizeof code);
}

}  // namespace

HostKernel::HostKernel(const HostConfig& cfg)
    : machine_(std::make_unique<HostMachine>(cfg.ram_base, cfg.ram_size)) {
  ks = KernelState{};
  g_fastpath_enabled = cfg.fastpath;
  const paddr_t kernel_end = cfg.ram_base + kKernelImageSize;
  params_.ram[params_.num_ram++] = MemRegion{cfg.ram_base, cfg.ram_base + cfg.ram_size};
  params_.reserved[params_.num_reserved++] = MemRegion{cfg.ram_base, kernel_end};
  params_.kernel_devices[params_.num_kernel_devices++] = MemRegion{0x09000000, 0x09001000};
  paddr_t next = kernel_end;
  if (cfg.dtb_size != 0) {
    uint8_t* dtb = machine_->arena() + (next - cfg.ram_base);
    std::memset(dtb, 0, cfg.dtb_size);
    const uint8_t magic[] = {0xd0, 0x0d, 0xfe, 0xed};
    std::memcpy(dtb, magic, sizeof magic);
    params_.dtb_paddr = next;
    params_.dtb_size = cfg.dtb_size;
    params_.reserved[params_.num_reserved++] = MemRegion{next, next + cfg.dtb_size};
    next += (cfg.dtb_size + kPage - 1) & ~(kPage - 1);
  }
  params_.ui_p_start = next;
  params_.ui_p_end = next + cfg.image_pages * kPage;
  params_.pv_offset = sword_t(next - cfg.image_vbase);
  params_.ui_v_entry = cfg.image_vbase;
  write_image(machine_->arena() + (next - cfg.ram_base), cfg.image_pages * kPage);
  booted_ = init_kernel(params_);
  root_ = ks.cur_thread;
  if (root_ != nullptr) {
    bootinfo_vaddr_ = root_->context.regs[X0];
    root_cnode_ = CNodeCap{root_->slot(kTcbCTable)->cap}.ptr();
  }
}

HostKernel::~HostKernel() { ks = KernelState{}; }

// The kernel's globals are plain values (pointers in them are into the arena, which stays where
// it is), so copying them back with the RAM restores the kernel exactly.
struct HostKernel::Snapshot {
  std::unique_ptr<HostMachine::Snapshot> machine;
  KernelState kernel;
  PreemptionState preemption;
  std::array<paddr_t, std::size(arch::g_asid_table)> asid_table;
  word_t next_slot;
};

std::shared_ptr<const HostKernel::Snapshot> HostKernel::snapshot() const {
  auto s = std::make_shared<Snapshot>();
  // The kernel image's reserved RAM below kernel_end is never written on the host.
  s->machine = machine_->snapshot(kKernelImageSize);
  s->kernel = ks;
  s->preemption = g_preemption;
  std::copy(std::begin(arch::g_asid_table), std::end(arch::g_asid_table), s->asid_table.begin());
  s->next_slot = next_slot_;
  return s;
}

void HostKernel::restore(const Snapshot& s) {
  machine_->restore(*s.machine);
  ks = s.kernel;
  g_preemption = s.preemption;
  std::copy(s.asid_table.begin(), s.asid_table.end(), std::begin(arch::g_asid_table));
  next_slot_ = s.next_slot;
}

uint8_t* HostKernel::user_page(vaddr_t v) {
  const paddr_t frame = arch::lookup_frame(VSpaceCap{root_->slot(kTcbVTable)->cap}.ptr(), v);
  return frame == 0 ? nullptr : machine_->arena() + (frame - machine_->ram_base()) + (v & (kPage - 1));
}

BootInfo* HostKernel::bootinfo() { return reinterpret_cast<BootInfo*>(user_page(bootinfo_vaddr_)); }

word_t* HostKernel::ipc_buffer() { return arch::lookup_ipc_buffer(root_, false); }

bool HostKernel::halted() const { return ks.halted || machine_->powered_off; }

SyscallResult HostKernel::syscall(Tcb* thread, sword_t number, std::array<word_t, 6> x) {
  if (ks.cur_thread != thread || halted()) throw std::logic_error("that thread is not running");
  word_t* regs = thread->context.regs;
  for (unsigned i = 0; i < 6; ++i) regs[X0 + i] = x[i];
  regs[X7] = word_t(number);
  last_restarts = 0;
  for (;;) {
    // What the AArch64 entry code does for an svc: FaultIP = the svc, NextIP = after it.
    regs[FaultIP] = regs[NextIP];
    regs[NextIP] += 4;
    const word_t preemptions = g_preemption.preemptions;
    handle_syscall(number);
    // Only a preempted operation is re-executed at once, as the hardware would by returning to
    // the svc. A thread restarted at its svc for another reason (CopyRegisters onto itself,
    // Resume) re-executes it as a new kernel entry, which is the caller's next event.
    if (halted() || ks.cur_thread != thread || g_preemption.preemptions == preemptions ||
        regs[NextIP] != regs[FaultIP]) {
      break;
    }
    if (++last_restarts > kMaxRestarts) throw std::logic_error("syscall restarts forever");
  }
  if (check_invariants) verify_invariants();
  SyscallResult r{};
  for (unsigned i = 0; i < 6; ++i) r.x[i] = regs[X0 + i];
  return r;
}

SyscallResult HostKernel::call(Tcb* thread, cptr_t cptr, word_t label, std::initializer_list<word_t> mrs,
                               std::initializer_list<cptr_t> extra_caps) {
  std::array<word_t, 6> x{};
  x[0] = cptr;
  x[1] = MessageInfo{label, 0, extra_caps.size(), mrs.size()}.to_word();
  word_t* buf = arch::lookup_ipc_buffer(thread, false);
  unsigned i = 0;
  for (word_t w : mrs) {
    if (i < kNumMsgRegisters)
      x[2 + i] = w;
    else if (buf)
      buf[ipc_buffer::kMsg + i] = w;
    ++i;
  }
  unsigned c = 0;
  for (cptr_t cp : extra_caps) {
    if (buf) buf[ipc_buffer::kCapsOrBadges + c] = cp;
    ++c;
  }
  return syscall(thread, -1, x);
}

word_t HostKernel::retype(ObjectType type, word_t size_bits, word_t n) {
  const BootInfo* bi = bootinfo();
  if (next_slot_ == 0) next_slot_ = bi->empty.start;
  word_t untyped = 0, best = 0;
  for (word_t s = bi->untyped.start; s < bi->untyped.end; ++s) {
    const UntypedDesc& d = bi->untyped_list[s - bi->untyped.start];
    if (!d.is_device && d.size_bits > best) untyped = s, best = d.size_bits;
  }
  const word_t first = next_slot_;
  const SyscallResult r = call(untyped, word_t(Label::UntypedRetype),
                               {word_t(type), size_bits, 0, 0, first, n}, {kCapInitThreadCNode});
  if (r.label() != 0) throw std::logic_error("retype failed with error " + std::to_string(r.label()));
  next_slot_ += n;
  return first;
}

namespace {
void expect_success(const SyscallResult& r, const char* what) {
  if (r.label() != 0)
    throw std::logic_error(std::string(what) + " failed with error " + std::to_string(r.label()));
}
}  // namespace

word_t HostKernel::new_thread(word_t priority) {
  const word_t t = retype(ObjectType::TCB);
  expect_success(call(t, word_t(Label::TCBConfigure), {0, 0, 0, 0},
                      {kCapInitThreadCNode, kCapInitThreadVSpace, kCapInitThreadIPCBuffer}),
                 "TCB_Configure");
  expect_success(call(t, word_t(Label::TCBSetPriority), {priority}, {kCapInitThreadTCB}), "TCB_SetPriority");
  return t;
}

void HostKernel::start_thread(word_t slot, vaddr_t pc) {
  expect_success(call(slot, word_t(Label::TCBWriteRegisters), {1, 1, pc}), "TCB_WriteRegisters");
}

void HostKernel::interrupt(word_t irq) {
  machine_->pending_irqs.push_back(irq);
  handle_interrupt();
  if (check_invariants) verify_invariants();
}

void HostKernel::take_pending_interrupts() {
  while (!machine_->pending_irqs.empty() && !halted()) {
    handle_interrupt();
    if (check_invariants) verify_invariants();
  }
}

void HostKernel::exception(bool vm_fault, word_t esr, word_t far, bool instruction) {
  word_t* regs = ks.cur_thread->context.regs;
  regs[FaultIP] = regs[NextIP];  // the instruction that faulted; ELR still points at it
  if (vm_fault) {
    handle_vm_fault(esr, far, instruction);
  } else {
    handle_user_exception(esr, far);
  }
  if (check_invariants) verify_invariants();
}

Tcb* HostKernel::thread_at(word_t index) { return tcb_from_object(ThreadCap{root_cap(index)}.ptr()); }

const Cap& HostKernel::root_cap(word_t index) { return ptr_from_paddr<Cte>(root_cnode_)[index].cap; }

void HostKernel::verify_invariants() {
  // The root CNode and TCB are found from what boot made, not through caps the user may have
  // deleted; the checker follows caps from there to every reachable CNode and TCB.
  // The IRQ node's slots are in the derivation tree too.
  const SlotSpan spans[] = {{ptr_from_paddr<Cte>(root_cnode_), word_t{1} << config::kRootCNodeSizeBits},
                            {root_->slot(kTcbCTable), kTcbNumSlots},
                            {ks.irq_node, word_t{1} << kIrqNodeSlotBits}};
  char why[256];
  if (!keel::check_invariants(InvariantScope{spans, 3}, why, sizeof why)) throw InvariantViolation(why);
  if (!check_scheduler_invariants(why, sizeof why)) throw InvariantViolation(why);
}

word_t HostKernel::mr(unsigned i, const SyscallResult& r) {
  if (i < kNumMsgRegisters) return r.x[2 + i];
  word_t* buf = ipc_buffer();
  return buf ? buf[ipc_buffer::kMsg + i] : 0;
}

}  // namespace keel::host
