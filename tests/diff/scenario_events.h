// The words the scripted scenarios are made of: the root task's boot slots, PSCI function IDs,
// and the CNode, Untyped, SMC and IPC-buffer invocations they repeat (shared by scenarios.cc and
// ipc_scenarios.cc).
#pragma once

#include <vector>

#include "constants.h"
#include "scenarios.h"

namespace keel::diff::script {

using spec::Label;
using spec::ObjectType;
using spec::Syscall;

constexpr word_t kPsciVersion = 0x84000000, kPsciFeatures = 0x8400000a;
constexpr cptr_t kTcb = 1, kRoot = 2, kVSpace = 3, kIrqControl = 4, kAsidControl = 5, kAsidPool = 6,
                 kBootInfo = 9, kIpcBuffer = 10, kSmc = 15;

inline word_t lbl(Label l) { return static_cast<word_t>(l); }
inline word_t ty(ObjectType t) { return static_cast<word_t>(t); }

inline Event copy(word_t dest, word_t src, word_t rights = 0xf) {
  return call_event(kRoot, lbl(Label::CNodeCopy), {dest, 64, src, 64, rights}, {kRoot});
}
inline Event mint(word_t dest, word_t src, word_t data, word_t rights = 0xf) {
  return call_event(kRoot, lbl(Label::CNodeMint), {dest, 64, src, 64, rights, data}, {kRoot});
}
inline Event move(word_t dest, word_t src) {
  return call_event(kRoot, lbl(Label::CNodeMove), {dest, 64, src, 64}, {kRoot});
}
inline Event mutate(word_t dest, word_t src, word_t data) {
  return call_event(kRoot, lbl(Label::CNodeMutate), {dest, 64, src, 64, data}, {kRoot});
}
inline Event del(word_t slot) { return call_event(kRoot, lbl(Label::CNodeDelete), {slot, 64}); }
inline Event revoke(word_t slot) { return call_event(kRoot, lbl(Label::CNodeRevoke), {slot, 64}); }
inline Event retype(word_t ut, ObjectType t, word_t size, word_t offset, word_t count, word_t node = 0,
                    word_t depth = 0) {
  return call_event(ut, lbl(Label::UntypedRetype), {ty(t), size, node, depth, offset, count}, {kRoot});
}
inline Event smc_call(word_t slot, word_t fid, word_t len = 8, Syscall sys = Syscall::Call) {
  std::vector<word_t> mrs{fid, 1, 2, 3, 4, 5, 6, 7};
  mrs.resize(len);
  return call_event(slot, lbl(Label::ARMSMCCall), mrs, {}, sys);
}

inline Event set_ipc_buffer(cptr_t tcb, word_t vaddr, const std::vector<cptr_t>& frame,
                            Syscall sys = Syscall::Call) {
  return call_event(tcb, lbl(Label::TCBSetIPCBuffer), {vaddr}, frame, sys);
}
inline Event get_address(cptr_t frame, Syscall sys = Syscall::Call) {
  return call_event(frame, lbl(Label::ARMPageGetAddress), {}, {}, sys);
}

// The IPC, fault, IRQ and SGI stories (ipc_scenarios.cc). Each starts with ipc_setup: an
// endpoint at first_free, a second thread at +1 (priority 100, runnable, its IPC buffer at +5),
// a notification at +2, and badged copies of both at +3 (0x42) and +4 (0x10).
std::vector<Event> ipc_setup(const BootLayout& b);
std::vector<Event> ipc_story(const BootLayout& b);
std::vector<Event> reply_story(const BootLayout& b);
std::vector<Event> reply_cancel_story(const BootLayout& b);
std::vector<Event> cap_transfer_story(const BootLayout& b);
std::vector<Event> fault_story(const BootLayout& b);
std::vector<Event> cancel_story(const BootLayout& b);
std::vector<Event> irq_wakes_driver(const BootLayout& b);
std::vector<Event> sgi_story(const BootLayout& b);
std::vector<Event> irq_story(const BootLayout& b);

// The fastpath story: ipc_setup, a third thread, then these steps, each marked with whether
// the fastpath takes it.
struct FastpathStep {
  Event event;
  bool fast = false;
};
std::vector<FastpathStep> fastpath_steps(const BootLayout& b);
std::vector<Event> fastpath_story(const BootLayout& b);

}  // namespace keel::diff::script
