// Boots the kernel core on the host machine model and drives the root task by writing its
// registers and calling the kernel's entry points, as the AArch64 entry code would.
#pragma once

#include <array>
#include <memory>
#include <stdexcept>

#include "host/host_machine.h"
#include "kernel/api/bootinfo.h"
#include "kernel/api/message_info.h"
#include "kernel/api/object_type.h"
#include "kernel/core/boot.h"
#include "kernel/object/tcb.h"

namespace keel::host {

struct InvariantViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct HostConfig {
  paddr_t ram_base = 0x40000000;
  size_t ram_size = 64u << 20;
  vaddr_t image_vbase = 0x400000;  // where the synthetic root task image is linked
  unsigned image_pages = 4;
  size_t dtb_size = 0x200;  // a synthetic DTB blob (0 = none)
  bool fastpath = true;     // Call and ReplyRecv take the IPC fastpath when they can (seL4's default)
};

// What a syscall leaves in the caller's registers.
struct SyscallResult {
  word_t x[6];  // x0..x5
  MessageInfo info() const { return MessageInfo::from_word(x[1]); }
  word_t label() const { return info().label; }
};

class HostKernel {
 public:
  explicit HostKernel(const HostConfig& cfg = {});
  ~HostKernel();

  bool booted() const { return booted_; }
  HostMachine& machine() { return *machine_; }
  const BootParams& params() const { return params_; }
  Tcb* root() { return root_; }
  BootInfo* bootinfo();
  // The kernel view of the root task's page at user address v (0 if unmapped).
  uint8_t* user_page(vaddr_t v);
  word_t* ipc_buffer();  // kernel view of the root task's IPC buffer

  // Issues one syscall from `thread`, which must be the current thread: x0..x5 and x7 =
  // number, as libsel4 would. A syscall left in Restart (preempted) is re-executed, as the
  // hardware would by returning to the svc. Without a thread: the root task's.
  SyscallResult syscall(Tcb* thread, sword_t number, std::array<word_t, 6> x);
  SyscallResult syscall(sword_t number, std::array<word_t, 6> x) { return syscall(root_, number, x); }
  // seL4_Call on cptr with label, MRs (MR0..3 in registers, the rest in the thread's IPC
  // buffer) and extra caps.
  SyscallResult call(Tcb* thread, cptr_t cptr, word_t label, std::initializer_list<word_t> mrs,
                     std::initializer_list<cptr_t> extra_caps = {});
  SyscallResult call(cptr_t cptr, word_t label, std::initializer_list<word_t> mrs,
                     std::initializer_list<cptr_t> extra_caps = {}) {
    return call(root_, cptr, label, mrs, extra_caps);
  }
  word_t mr(unsigned i, const SyscallResult& r);  // MR i of a reply

  // Retypes `n` objects from the root task's largest RAM untyped into fresh slots of its CNode
  // (from bootinfo's first empty slot on); returns the first slot. Throws if the retype fails.
  word_t retype(ObjectType type, word_t size_bits = 0, word_t n = 1);
  // A new thread in the root task's CSpace and VSpace, without an IPC buffer, at `priority`
  // (the root TCB as authority), not started; returns its slot. Throws if a step fails.
  word_t new_thread(word_t priority);
  // Starts the thread in `slot` at `pc` (WriteRegisters with resume, pc only).
  void start_thread(word_t slot, vaddr_t pc);
  // The cap in slot `index` of the root CNode, and the thread a thread cap there names.
  const Cap& root_cap(word_t index);
  Tcb* thread_at(word_t index);
  // An interrupt arrives (the kernel tick is HostMachine::kTimerIrq) and the kernel takes it.
  void interrupt(word_t irq);
  void tick() { interrupt(HostMachine::kTimerIrq); }
  // The kernel takes every interrupt left pending (an SGI a thread raised at its own core), one
  // interrupt entry each, as the hardware does once the thread runs again.
  void take_pending_interrupts();
  // The current thread takes a synchronous exception at its next instruction, as the AArch64
  // entry code reports one: a VM fault (data or instruction abort) or another user exception.
  void exception(bool vm_fault, word_t esr, word_t far, bool instruction);
  bool halted() const;

  // The booted kernel as it is now (its RAM, the kernel's globals, the machine), and back to it
  // without booting again: what the fuzzer starts every input from. Restoring switches the
  // kernel's globals (one kernel runs at a time) to this kernel.
  struct Snapshot;
  std::shared_ptr<const Snapshot> snapshot() const;
  void restore(const Snapshot& s);

  // Number of times the last syscall was restarted after preemption.
  unsigned last_restarts = 0;
  // Checks the capability invariants after every kernel entry (on by default); a violation
  // throws InvariantViolation naming the broken rule.
  bool check_invariants = true;
  // Runs the invariant check over the root CNode and TCB now.
  void verify_invariants();

 private:
  std::unique_ptr<HostMachine> machine_;
  BootParams params_{};
  Tcb* root_ = nullptr;
  vaddr_t bootinfo_vaddr_ = 0;
  paddr_t root_cnode_ = 0;  // kept: the user may delete every cap to it
  word_t next_slot_ = 0;    // retype(): next free slot, 0 until first used
  bool booted_ = false;
};

}  // namespace keel::host
