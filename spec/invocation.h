// One kernel-object invocation as the decoders see it, and what it can end as.
#pragma once

#include <array>
#include <functional>
#include <variant>
#include <vector>

#include "state.h"

namespace keel::spec {

using SmcArgs = std::array<word_t, 8>;
// What the secure monitor answers: an input of the spec, like l4v's underspecified doSMC_mop.
using SmcOracle = std::function<SmcArgs(const SmcArgs&)>;

struct SmcCall {
  SmcArgs args{};
  SmcArgs results{};
  friend bool operator==(const SmcCall&, const SmcCall&) = default;
};

struct Invocation {
  paddr_t thread = 0;  // the invoking TCB
  word_t label = 0;
  word_t length = 0;                // message length after the kernel's clamps
  std::vector<word_t> mrs;          // MR0..MR(length-1)
  std::vector<SlotRef> extra_caps;  // slots of the extra caps, looked up at depth 64
  cptr_t cptr = 0;
  SlotRef slot;  // the invoked cap's slot
  Cap cap;       // the invoked cap
  bool is_call = false;
  bool is_blocking = true;  // false for NBSend
  const SmcOracle* smc_oracle = nullptr;
};

// An SGI raised by invoking an SGI-signal cap: an observable, like the SMC made. Where it lands
// (on one core: SGI `id` pending when `target` is CPU interface 0) is the machine's business; the
// lockstep check takes it as the interrupt that follows (tests/diff/lockstep.h).
struct SgiSent {
  word_t target = 0, id = 0;
  friend bool operator==(const SgiSent&, const SgiSent&) = default;
};

// Completed: for a Call, the reply (label 0) carries `reply` (empty for most operations).
struct Done {
  std::vector<word_t> reply;
  std::optional<SmcCall> smc;
  std::optional<SgiSent> sgi;
};
// The spec does not (yet) say what this invocation does; a lockstep check skips or flags it.
struct NotSpecified {
  std::string what;
};
using InvocationResult = std::variant<Done, SyscallError, NotSpecified>;

// Each decodes (no state change on error) and then performs.
InvocationResult invoke_cnode(State& s, const Invocation& inv);
InvocationResult invoke_untyped(State& s, const Invocation& inv);
InvocationResult invoke_smc(State& s, const Invocation& inv);
InvocationResult invoke_tcb(State& s, const Invocation& inv);
InvocationResult invoke_frame(State& s, const Invocation& inv);
InvocationResult invoke_domain(State& s, const Invocation& inv);  // the domain cap (domain.cc)
InvocationResult invoke_irq_control(State& s, const Invocation& inv);
InvocationResult invoke_irq_handler(State& s, const Invocation& inv);
InvocationResult invoke_sgi_signal(State& s, const Invocation& inv);  // irq.cc

// The AArch64 VSpace (vspace.cc).
InvocationResult invoke_page(State& s, const Invocation& inv);  // a frame cap, labels 40..46
InvocationResult invoke_page_table(State& s, const Invocation& inv);
InvocationResult invoke_vspace(State& s, const Invocation& inv);
InvocationResult invoke_asid_control(State& s, const Invocation& inv);
InvocationResult invoke_asid_pool(State& s, const Invocation& inv);
// seL4 decodeARMMMUInvocation: one of the above by the invoked cap's type.
InvocationResult invoke_arch_mmu(State& s, const Invocation& inv);

}  // namespace keel::spec
