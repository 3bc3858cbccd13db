// Debug syscalls: console output, cap identification, thread names, halting.
#include "kernel/core/debug_syscall.h"

#include "kernel/api/message_info.h"
#include "kernel/api/syscall_numbers.h"
#include "kernel/cap/cspace.h"
#include "kernel/core/arch_hooks.h"
#include "kernel/core/kernel_state.h"
#include "kernel/lib/print.h"
#include "kernel/machine/machine.h"

namespace keel {

namespace {

// seL4 reads at most this many bytes of a name from the IPC buffer (msg[0] onwards).
constexpr word_t kNameMaxBytes = 960;

// Halting stops the kernel, not this function: the flag is read on the way out of the kernel
// (the arch exit path powers off, the host driver stops issuing syscalls).
void debug_halt(const char* why) {
  kprintf("keel: %s\n", why);
  ks.halted = true;
}

void debug_cap_identify(Tcb* thread) {
  const LookupResult r = lookup_cap_and_slot(thread, thread->context.regs[kCapRegister]);
  thread->context.regs[kCapRegister] = r.ok() ? static_cast<word_t>(r.cap.type()) : 0;
}

// seL4 halts the kernel when the cap is not a TCB or the name has no NUL in reach.
void debug_name_thread(Tcb* thread) {
  const LookupResult r = lookup_cap_and_slot(thread, thread->context.regs[kCapRegister]);
  if (!r.ok() || r.cap.type() != CapType::Thread)
    return debug_halt("DebugNameThread: cap is not a TCB, halting");
  const word_t* buffer = arch::lookup_ipc_buffer(thread, false);
  if (buffer == nullptr) return debug_halt("DebugNameThread: no IPC buffer, halting");
  const char* name = reinterpret_cast<const char*>(buffer + ipc_buffer::kMsg);
  word_t len = 0;
  while (len < kNameMaxBytes && name[len] != '\0') ++len;
  if (len == kNameMaxBytes) return debug_halt("DebugNameThread: name too long, halting");
  Tcb* target = tcb_from_object(ThreadCap{r.cap}.ptr());
  word_t i = 0;
  for (; i < len && i + 1 < kTcbNameLength; ++i) target->name[i] = name[i];
  target->name[i] = '\0';
}

void debug_dump_scheduler() {
  kprintf("Dumping all tcbs!\n");
  if (ks.cur_thread != nullptr) {
    kprintf("thread \"%s\" state %lu priority %lu\n", ks.cur_thread->name,
            static_cast<word_t>(ks.cur_thread->state), ks.cur_thread->priority);
  }
}

}  // namespace

bool handle_debug_syscall(sword_t number) {
  Tcb* thread = ks.cur_thread;
  switch (number) {
    case static_cast<sword_t>(Syscall::DebugPutChar):
      machine::debug_putchar(char(thread->context.regs[kCapRegister] & 0xff));
      return true;
    case static_cast<sword_t>(Syscall::DebugDumpScheduler): debug_dump_scheduler(); return true;
    case static_cast<sword_t>(Syscall::DebugHalt):
      debug_halt("debug halt syscall from user thread");
      return true;
    case static_cast<sword_t>(Syscall::DebugCapIdentify): debug_cap_identify(thread); return true;
    case static_cast<sword_t>(Syscall::DebugSnapshot):
      kprintf("keel: DebugSnapshot (capDL dump) is not supported; ignored\n");
      return true;
    case static_cast<sword_t>(Syscall::DebugNameThread): debug_name_thread(thread); return true;
    default: return false;
  }
}

}  // namespace keel
