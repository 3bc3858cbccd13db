// Host implementation of the machine seam (kernel/machine/machine.h).
#include "host/host_machine.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "host/sanitizer.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/kernel_window.h"

namespace keel::host {

namespace {

HostMachine* g_current = nullptr;
KernelMemory g_kernel_memory;

// A word-wise FNV-1a (the size is a multiple of 8): fast enough to run around every SMC in tests.
uint64_t hash_bytes(const uint8_t* p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 1099511628211ull;
  }
  return h;
}

// A kernel bug may reach just past the end of RAM (a slot past a CNode at its top): a zeroed
// guard after the arena keeps that defined in the plain build; under ASan it is poisoned.
constexpr size_t kGuardBytes = 4096;

// aligned_alloc wants a size that is a multiple of the alignment.
size_t arena_alloc_size(size_t ram_size) {
  return (ram_size + kGuardBytes + (1u << 21) - 1) & ~size_t{(1u << 21) - 1};
}

}  // namespace

HostMachine::HostMachine(paddr_t ram_base, size_t ram_size)
    : monitor(psci_monitor), ram_base_(ram_base), ram_size_(ram_size) {
  arena_ = static_cast<uint8_t*>(std::aligned_alloc(1 << 21, arena_alloc_size(ram_size)));
  // Huge pages: making RAM read-only around every decode and SMC then changes a few page-table
  // entries instead of one per 4 KiB (a hint; without it only the cost differs).
  (void)madvise(arena_, arena_alloc_size(ram_size), MADV_HUGEPAGE);
  std::memset(arena_, 0xa5, ram_size);  // boot must not rely on zeroed RAM
  std::memset(arena_ + ram_size, 0, kGuardBytes);
  poison(arena_ + ram_size, kGuardBytes);
  g_kernel_window_offset = reinterpret_cast<word_t>(arena_) - ram_base;
  g_current = this;
  // The guard after RAM belongs to it: read-only phases then cover the whole allocation, and
  // mprotect changes its mapping in place instead of splitting it.
  g_kernel_memory = KernelMemory{arena_, arena_alloc_size(ram_size)};
}

HostMachine::~HostMachine() {
  unpoison(arena_, arena_alloc_size(ram_size_));  // the allocator owns it again
  std::free(arena_);
  if (g_current == this) g_current = nullptr;
  if (g_kernel_memory.base == arena_) g_kernel_memory = KernelMemory{};
}

KernelMemory set_kernel_memory(KernelMemory m) {
  const KernelMemory previous = g_kernel_memory;
  g_kernel_memory = m;
  return previous;
}

HostMachine* HostMachine::current() { return g_current; }

// Under ASan the snapshot keeps which parts of RAM were free (poisoned), as runs of 8-byte
// granules, and copies RAM with the poison lifted for the moment.
std::unique_ptr<HostMachine::Snapshot> HostMachine::snapshot(size_t ram_from) const {
  auto s = std::make_unique<Snapshot>();
  for (size_t at = ram_from; kAsan && at < ram_size_; at += 8) {
    if (!is_poisoned(arena_ + at)) continue;
    if (!s->poisoned.empty() && s->poisoned.back().first + s->poisoned.back().second == at)
      s->poisoned.back().second += 8;
    else
      s->poisoned.push_back({at, 8});
  }
  unpoison(arena_ + ram_from, ram_size_ - ram_from);
  s->ram.assign(arena_ + ram_from, arena_ + ram_size_);
  for (const auto& [at, n] : s->poisoned) poison(arena_ + at, n);
  s->ram_from = ram_from;
  s->console = console, s->events = events, s->smc_calls = smc_calls, s->frame_violations = frame_violations;
  s->interrupt_controller_state = interrupt_controller_state, s->pending_irqs = pending_irqs, s->sgis = sgis;
  s->irq_masked = irq_masked, s->irq_edge = irq_edge;
  s->fpu = fpu, s->fpu_enabled = fpu_enabled, s->fpu_loads = fpu_loads, s->fpu_saves = fpu_saves;
  s->powered_off = powered_off;
  return s;
}

void HostMachine::restore(const Snapshot& s) {
  unpoison(arena_ + s.ram_from, s.ram.size());
  std::memcpy(arena_ + s.ram_from, s.ram.data(), s.ram.size());
  for (const auto& [at, n] : s.poisoned) poison(arena_ + at, n);
  console = s.console, events = s.events, smc_calls = s.smc_calls, frame_violations = s.frame_violations;
  interrupt_controller_state = s.interrupt_controller_state, pending_irqs = s.pending_irqs, sgis = s.sgis;
  irq_masked = s.irq_masked, irq_edge = s.irq_edge;
  fpu = s.fpu, fpu_enabled = s.fpu_enabled, fpu_loads = s.fpu_loads, fpu_saves = s.fpu_saves;
  powered_off = s.powered_off;
  g_kernel_window_offset = reinterpret_cast<word_t>(arena_) - ram_base_;
  g_current = this;
  g_kernel_memory = KernelMemory{arena_, arena_alloc_size(ram_size_)};
}

machine::SmcRegs psci_monitor(const machine::SmcRegs& in, HostMachine& m) {
  machine::SmcRegs out = in;
  const word_t minus_one = ~word_t{0};
  switch (in.x[0]) {
    case 0x84000000: out.x[0] = 0x10001; break;  // PSCI_VERSION
    case 0x8400000a: {                           // PSCI_FEATURES
      const word_t f = in.x[1];
      const bool known =
          f == 0x84000000 || f == 0xc4000003 || f == 0x84000008 || f == 0x84000009 || f == 0x8400000a;
      out.x[0] = known ? 0 : minus_one;
      break;
    }
    case 0x84000006: out.x[0] = 2; break;  // MIGRATE_INFO_TYPE: no Trusted OS
    case 0x84000008:
      m.powered_off = true;
      out.x[0] = 0;
      break;  // SYSTEM_OFF
    default: out.x[0] = minus_one; break;
  }
  return out;
}

}  // namespace keel::host

namespace keel::machine {

using host::HostMachine;
using host::MachineEvent;

void debug_putchar(char c) { HostMachine::current()->console.push_back(c); }

namespace {

// A phase of a kernel entry during which simulated RAM (where every kernel object lives) is
// read-only: a decode, or a secure monitor call. A write to RAM faults, and the phase decides:
// a decode that writes stops the run; a monitor that writes is recorded as breaking the frame
// condition and then allowed to go on. A fault anywhere else goes to the previous handler.
struct ProtectedPhase {
  struct sigaction previous {};
  bool abort_on_write = false;
  bool written = false;
};
ProtectedPhase g_phase;

void protect_kernel_memory(int prot) {
  const host::KernelMemory m = host::g_kernel_memory;
  if (m.base == nullptr) return;
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  if (mprotect(m.base, (m.size + page - 1) & ~(page - 1), prot) != 0) std::abort();
}

bool in_kernel_memory(const void* p) {
  const host::KernelMemory m = host::g_kernel_memory;
  const auto* b = static_cast<const uint8_t*>(p);
  return m.base != nullptr && b >= m.base && b < m.base + m.size;
}

void on_protected_write(int, siginfo_t* info, void*) {
  if (!in_kernel_memory(info->si_addr)) {
    sigaction(SIGSEGV, &g_phase.previous, nullptr);  // the access faults again, there
    return;
  }
  if (g_phase.abort_on_write) {
    static const char kMsg[] =
        "host: a decode wrote kernel memory; decode must only read (kernel/core/invocation.h)\n";
    (void)!write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    std::abort();
  }
  g_phase.written = true;
  protect_kernel_memory(PROT_READ | PROT_WRITE);
}

void begin_protected_phase(bool abort_on_write) {
  g_phase.abort_on_write = abort_on_write;
  g_phase.written = false;
  struct sigaction sa {};
  sa.sa_sigaction = on_protected_write;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, &g_phase.previous);
  protect_kernel_memory(PROT_READ);
}

// Whether RAM was written during the phase.
bool end_protected_phase() {
  protect_kernel_memory(PROT_READ | PROT_WRITE);
  sigaction(SIGSEGV, &g_phase.previous, nullptr);
  return g_phase.written;
}

uint64_t g_ks_hash_at_decode;

}  // namespace

// RAM becomes read-only and the kernel's globals are hashed: a write to either during decode is
// reported, at no cost to the decode itself.
void begin_read_only() {
  g_ks_hash_at_decode = host::hash_bytes(reinterpret_cast<const uint8_t*>(&ks), sizeof ks);
  begin_protected_phase(true);
}

void end_read_only() {
  (void)end_protected_phase();
  if (host::hash_bytes(reinterpret_cast<const uint8_t*>(&ks), sizeof ks) != g_ks_hash_at_decode) {
    std::fputs("host: a decode changed the kernel's global state; decode must only read\n", stderr);
    std::abort();
  }
}

namespace {

// The host memory of the part of [base, base + size) in the current machine's RAM. Device
// memory lies outside it; unit tests with an arena of their own (no machine) are not tracked.
struct HostRange {
  uint8_t* p = nullptr;
  size_t n = 0;
};
HostRange ram_part(paddr_t base, word_t size) {
  HostMachine* m = HostMachine::current();
  if (m == nullptr) return {};
  const paddr_t lo = std::max<paddr_t>(base, m->ram_base());
  const paddr_t hi = std::min<paddr_t>(base + size, m->ram_base() + m->ram_size());
  if (lo >= hi) return {};
  return {m->arena() + (lo - m->ram_base()), hi - lo};
}

}  // namespace

// Free RAM is poisoned: ASan then reports any access to it, by the kernel or by a test, as
// use-after-poison. Objects are at least 16 bytes, aligned, so ASan's 8-byte granules fit.
void mark_memory_live(paddr_t base, word_t size) {
  const HostRange r = ram_part(base, size);
  host::unpoison(r.p, r.n);
}
void mark_memory_free(paddr_t base, word_t size) {
  const HostRange r = ram_part(base, size);
  host::poison(r.p, r.n);
}

// Only the arch exit path powers off; the host driver reads ks.halted instead.
void system_off() {
  std::fputs("host: system_off called; the core must halt by setting ks.halted\n", stderr);
  std::abort();
}

void set_vspace_root(paddr_t root, word_t asid) {
  HostMachine::current()->events.push_back({MachineEvent::Kind::SetVSpaceRoot, root, asid});
}
void invalidate_tlb() { HostMachine::current()->events.push_back({MachineEvent::Kind::InvalidateTlb}); }
void invalidate_tlb_by_asid(word_t asid) {
  HostMachine::current()->events.push_back({MachineEvent::Kind::InvalidateAsid, asid});
}
void invalidate_tlb_by_va(word_t asid, vaddr_t va) {
  HostMachine::current()->events.push_back({MachineEvent::Kind::InvalidateVa, asid, va});
}
void clean_invalidate_dcache_range(word_t kvaddr, word_t size) {
  HostMachine::current()->events.push_back({MachineEvent::Kind::Cache, kvaddr, size});
}
void sync_icache_range(word_t kvaddr, word_t size) {
  HostMachine::current()->events.push_back({MachineEvent::Kind::Cache, kvaddr, size});
}
void barrier() { HostMachine::current()->events.push_back({MachineEvent::Kind::Barrier}); }

// Runs the scripted monitor and checks the frame condition: the monitor may not write
// kernel-visible memory (RAM is read-only during the call, so a write is seen even when it puts
// back the value that was there) nor change the interrupt controller's state.
SmcRegs do_smc(const SmcRegs& in) {
  HostMachine* m = HostMachine::current();
  m->events.push_back({MachineEvent::Kind::Smc, in.x[0]});
  m->smc_calls.push_back(in);
  const uint32_t gic_before = m->interrupt_controller_state;
  begin_protected_phase(false);
  const SmcRegs out = m->monitor(in, *m);
  if (end_protected_phase()) m->frame_violations.push_back({in.x[0], "kernel-visible memory written"});
  if (m->interrupt_controller_state != gic_before) {
    m->frame_violations.push_back({in.x[0], "interrupt controller state changed"});
  }
  return out;
}

// Unit tests of the cap layer run without a machine: there is no FPU to switch.
void enable_fpu() {
  if (HostMachine* m = HostMachine::current()) m->fpu_enabled = true;
}
void disable_fpu() {
  if (HostMachine* m = HostMachine::current()) m->fpu_enabled = false;
}
void save_fpu(FpuState& state) {
  HostMachine* m = HostMachine::current();
  state = m->fpu;
  ++m->fpu_saves;
}
void load_fpu(const FpuState& state) {
  HostMachine* m = HostMachine::current();
  m->fpu = state;
  ++m->fpu_loads;
}

word_t read_time() { return 0; }
word_t kernel_timer_irq() { return host::HostMachine::kTimerIrq; }
void reset_timer() {
  HostMachine* m = HostMachine::current();
  if (m != nullptr) m->events.push_back({MachineEvent::Kind::ResetTimer});
}
void mask_interrupt(word_t irq, bool mask) {
  HostMachine* m = HostMachine::current();
  if (m != nullptr && irq < m->irq_masked.size()) m->irq_masked[irq] = mask;
}
void set_irq_trigger(word_t irq, bool edge) {
  HostMachine* m = HostMachine::current();
  if (m != nullptr && irq < m->irq_edge.size()) m->irq_edge[irq] = edge;
}
void ack_interrupt(word_t) {}
void send_sgi(word_t target, word_t id) {
  HostMachine* m = HostMachine::current();
  if (m == nullptr) return;
  m->events.push_back({host::MachineEvent::Kind::Sgi, target, id});
  m->sgis.push_back({target, id});
  if (target == 0) m->pending_irqs.push_back(id);  // only core 0 exists
}
// Unit tests of the cap layer run without a machine: then nothing is ever pending.
bool interrupt_pending() {
  const HostMachine* m = HostMachine::current();
  return m != nullptr && !m->pending_irqs.empty();
}
word_t get_active_irq() {
  auto& irqs = HostMachine::current()->pending_irqs;
  if (irqs.empty()) return kIrqNone;
  const word_t irq = irqs.front();
  irqs.erase(irqs.begin());
  return irq;
}

}  // namespace keel::machine
