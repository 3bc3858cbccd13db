// Global kernel state: the current and idle threads, the ready queues with their bitmap, the
// scheduler action, the domain schedule and the IRQ table (seL4 statedata.c).
//
// Invariants (checked by the host invariants): a thread is in a ready queue exactly when its
// `queued` flag is set, and then it is runnable and in the queue of its (domain, priority); the
// bitmap has a bit set exactly for the non-empty queues; the current thread is not queued unless
// the scheduler action says it will be chosen anew.
#pragma once

#include "kernel/config/config.h"
#include "kernel/object/irq.h"
#include "kernel/object/tcb.h"

namespace keel {

// An intrusive doubly-linked list of threads through Tcb::sched_next/sched_prev.
struct ThreadQueue {
  Tcb* head = nullptr;
  Tcb* tail = nullptr;
};

// What schedule() does at the end of a kernel entry (seL4 ksSchedulerAction): keep the current
// thread, choose anew from the ready queues, or switch to one thread another thread woke.
enum class SchedulerAction : word_t { ResumeCurrentThread, ChooseNewThread, SwitchToThread };

inline constexpr unsigned kL2Words = config::kNumPriorities / 64;

// A domain-schedule entry's duration is 56 bits wide (the domain takes the top 8 in seL4).
inline constexpr word_t kMaxDomainDuration = (word_t{1} << 56) - 1;

// One entry of the domain schedule: run `domain` for `length` ticks (0 ends the schedule).
struct DomainScheduleEntry {
  word_t domain;
  word_t length;
};

struct KernelState {
  Tcb* cur_thread = nullptr;
  Tcb* idle_thread = nullptr;
  bool halted = false;       // a fatal condition stopped the kernel (host model observes it)
  Tcb* fpu_owner = nullptr;  // whose FP/SIMD state is in the hardware (seL4 ksCurFPUOwner)

  SchedulerAction action = SchedulerAction::ResumeCurrentThread;
  Tcb* switch_candidate = nullptr;  // the thread of SwitchToThread

  ThreadQueue ready_queues[config::kNumDomains][config::kNumPriorities];
  // Two-level bitmap of non-empty queues: bit i of l1 says l2[i] is non-zero; bit j of l2[i]
  // says priority 64 * i + j has a queued thread.
  word_t ready_l1[config::kNumDomains] = {};
  word_t ready_l2[config::kNumDomains][kL2Words] = {};

  word_t cur_domain = 0;
  word_t domain_time = 0;  // ticks left in the current domain
  word_t domain_schedule_index = 0;
  word_t domain_schedule_start = 0;
  DomainScheduleEntry domain_schedule[config::kNumDomainSchedules] = {};

  // Interrupts (seL4 intStateIRQTable, intStateIRQNode): each IRQ's state, and the node whose
  // slot i holds IRQ i's notification cap (kernel memory taken at boot).
  IrqState irq_state[kNumIrqs] = {};
  Cte* irq_node = nullptr;
};

extern KernelState ks;

}  // namespace keel
