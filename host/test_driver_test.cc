// The host test driver issues syscalls from any thread the kernel is running, and refuses one
// that is not current (a test would otherwise drive a thread the kernel never scheduled).
#include "host/test_driver.h"

#include <gtest/gtest.h>

#include "kernel/api/labels.h"
#include "kernel/api/syscall_numbers.h"

namespace keel::host {
namespace {

constexpr sword_t kDebugPutChar = static_cast<sword_t>(Syscall::DebugPutChar);

TEST(HostDriver, SyscallsComeFromTheNamedCurrentThread) {
  HostKernel k;
  k.syscall(k.root(), kDebugPutChar, {'a'});
  k.syscall(kDebugPutChar, {'b'});
  EXPECT_NE(k.machine().console.find("ab"), std::string::npos);
}

TEST(HostDriver, RefusesAThreadThatIsNotRunning) {
  HostKernel k;
  // A TCB retyped from a RAM untyped into the first empty slot: it exists but never ran.
  const BootInfo* bi = k.bootinfo();
  word_t ut = bi->untyped.start;
  while (bi->untyped_list[ut - bi->untyped.start].is_device) ++ut;
  const word_t slot = bi->empty.start;
  const SyscallResult r = k.call(ut, word_t(Label::UntypedRetype),
                                 {word_t(ObjectType::TCB), 0, 0, 0, slot, 1}, {kCapInitThreadCNode});
  ASSERT_EQ(r.label(), 0u);
  const Cte* cnode = ptr_from_paddr<Cte>(CNodeCap{k.root()->slot(kTcbCTable)->cap}.ptr());
  Tcb* other = tcb_from_object(ThreadCap{cnode[slot].cap}.ptr());
  const size_t printed = k.machine().console.size();
  EXPECT_THROW(k.syscall(other, kDebugPutChar, {'x'}), std::logic_error);
  EXPECT_EQ(k.machine().console.size(), printed);
}

}  // namespace
}  // namespace keel::host
