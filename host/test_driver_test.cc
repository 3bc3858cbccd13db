// The host test driver issues syscalls from any thread the kernel is running, and refuses one
// that is not current (a test would otherwise drive a thread the kernel never scheduled).
#include "host/test_driver.h"

#include <gtest/gtest.h>

#include "host/sanitizer.h"
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

// What the fuzzer relies on: after a restore the kernel is exactly as it was when the snapshot
// was taken (RAM, globals, the machine's logs, and under ASan which RAM is free), so the same
// syscalls give the same results again.
TEST(HostDriver, RestoresASnapshot) {
  HostKernel k;
  const auto at_boot = k.snapshot();
  const size_t events = k.machine().events.size();
  const word_t slot = k.retype(ObjectType::Endpoint);
  const Cap made = k.root_cap(slot);
  ASSERT_EQ(made.type(), CapType::Endpoint);
  const uint8_t* object = ptr_from_paddr<uint8_t>(capbits::ptr(made));
  EXPECT_FALSE(is_poisoned(object));
  k.syscall(kDebugPutChar, {'z'});
  k.restore(*at_boot);
  EXPECT_EQ(k.root_cap(slot).type(), CapType::Null);
  EXPECT_EQ(k.machine().events.size(), events);
  EXPECT_EQ(k.machine().console.find('z'), std::string::npos);
  EXPECT_EQ(is_poisoned(object), kAsan);  // free again
  EXPECT_EQ(k.retype(ObjectType::Endpoint), slot);
  EXPECT_EQ(k.root_cap(slot), made);
}

}  // namespace
}  // namespace keel::host
