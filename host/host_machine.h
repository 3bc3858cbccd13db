// The deterministic host machine: simulated physical memory in an arena, a console buffer,
// a log of every TLB/ASID/SMC operation, and a scriptable secure monitor.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernel/machine/machine.h"

namespace keel::host {

struct MachineEvent {
  enum class Kind {
    SetVSpaceRoot,
    InvalidateTlb,
    InvalidateAsid,
    InvalidateVa,
    Cache,
    Barrier,
    Smc,
    ResetTimer,
    Sgi,  // a = target, b = SGI id
  } kind;
  word_t a = 0, b = 0;
};

// A change to kernel-visible state made by the monitor during an SMC (the frame condition
// says there must be none).
struct FrameViolation {
  word_t function_id;
  std::string what;
};

class HostMachine;
using Monitor = std::function<machine::SmcRegs(const machine::SmcRegs&, HostMachine&)>;

class HostMachine {
 public:
  HostMachine(paddr_t ram_base, size_t ram_size);
  ~HostMachine();
  HostMachine(const HostMachine&) = delete;
  HostMachine& operator=(const HostMachine&) = delete;

  paddr_t ram_base() const { return ram_base_; }
  size_t ram_size() const { return ram_size_; }
  uint8_t* arena() { return arena_; }

  std::string console;
  std::vector<MachineEvent> events;
  std::vector<machine::SmcRegs> smc_calls;
  std::vector<FrameViolation> frame_violations;
  Monitor monitor;                          // defaults to a PSCI 1.1 model like QEMU's
  uint32_t interrupt_controller_state = 0;  // stands in for GIC state the monitor must not touch
  std::vector<word_t> pending_irqs;         // scripted interrupts (and SGIs to self), taken in order
  // Every SGI raised, in order. The model is a one-core GICv2: an SGI whose target list holds
  // CPU interface 0 becomes pending; other targets name no CPU and nothing happens.
  struct Sgi {
    word_t target, id;
    friend bool operator==(const Sgi&, const Sgi&) = default;
  };
  std::vector<Sgi> sgis;
  std::vector<bool> irq_masked = std::vector<bool>(kNumIrqs, true);  // as the GIC starts
  std::vector<bool> irq_edge = std::vector<bool>(kNumIrqs, false);   // trigger mode: level at reset
  static constexpr word_t kNumIrqs = 160;
  static constexpr word_t kTimerIrq = 27;  // the kernel tick, as on QEMU virt
  FpuState fpu{};                          // the FP/SIMD register file
  bool fpu_enabled = false;                // for user code (CPACR_EL1.FPEN)
  unsigned fpu_loads = 0, fpu_saves = 0;
  bool powered_off = false;  // the monitor model took PSCI SYSTEM_OFF

  static HostMachine* current();

  // The machine as it is (RAM from offset `ram_from` on, and every field above but the
  // monitor), and back to it: the fuzzer restores one booted machine before each input instead
  // of booting again. Restoring also makes this the machine the kernel runs on.
  struct Snapshot;
  std::unique_ptr<Snapshot> snapshot(size_t ram_from) const;
  void restore(const Snapshot& s);

 private:
  paddr_t ram_base_;
  size_t ram_size_;
  uint8_t* arena_;
};

struct HostMachine::Snapshot {
  std::vector<uint8_t> ram;
  size_t ram_from = 0;
  std::vector<std::pair<size_t, size_t>> poisoned;  // (offset, bytes): free RAM under ASan
  std::string console;
  std::vector<MachineEvent> events;
  std::vector<machine::SmcRegs> smc_calls;
  std::vector<FrameViolation> frame_violations;
  uint32_t interrupt_controller_state = 0;
  std::vector<word_t> pending_irqs;
  std::vector<Sgi> sgis;
  std::vector<bool> irq_masked, irq_edge;
  FpuState fpu{};
  bool fpu_enabled = false;
  unsigned fpu_loads = 0, fpu_saves = 0;
  bool powered_off = false;
};

// The memory the kernel reaches through its window: what a decode must not write (made
// read-only around each decode). A HostMachine registers its arena; unit-test environments
// with an arena of their own register that. Returns the previous registration.
struct KernelMemory {
  uint8_t* base = nullptr;
  size_t size = 0;
};
KernelMemory set_kernel_memory(KernelMemory m);

// QEMU 7.2's PSCI answers (reference smc-peers.md §4): VERSION 0x10001, FEATURES, unknown → -1.
machine::SmcRegs psci_monitor(const machine::SmcRegs& in, HostMachine& m);

}  // namespace keel::host
