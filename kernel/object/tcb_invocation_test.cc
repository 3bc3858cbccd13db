// Host tests of TCB_SetIPCBuffer and Page_GetAddress through the syscall path.
#include <gtest/gtest.h>

#include "host/test_driver.h"
#include "kernel/api/errors.h"
#include "kernel/api/labels.h"

namespace keel {
namespace {

using host::HostKernel;

constexpr word_t kSetIpcBuffer = word_t(Label::TCBSetIPCBuffer);
constexpr word_t e(Error x) { return word_t(x); }

TEST(TcbSetIpcBuffer, RemovingTheBufferClampsMessagesToFourWords) {
  HostKernel k;
  const vaddr_t buffer = k.root()->ipc_buffer;
  ASSERT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {0}, {kCapNull}).label(), 0u);
  EXPECT_EQ(k.root()->ipc_buffer, 0u);
  EXPECT_TRUE(k.root()->slot(kTcbBuffer)->cap.is_null());
  const auto r = k.call(kCapSMC, word_t(Label::ARMSMCCall), {0x84000000, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(r.label(), e(Error::TruncatedMessage));
  // With no buffer the extra cap cannot be named: the thread cannot restore it itself.
  EXPECT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {buffer}, {kCapInitThreadIPCBuffer}).label(),
            e(Error::TruncatedMessage));
}

TEST(TcbSetIpcBuffer, InstallsADerivedCopyOfTheFrame) {
  HostKernel k;
  const vaddr_t buffer = k.root()->ipc_buffer;
  ASSERT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {buffer}, {kCapInitThreadIPCBuffer}).label(), 0u);
  const Cap cap = k.root()->slot(kTcbBuffer)->cap;
  ASSERT_EQ(cap.type(), CapType::Frame);
  EXPECT_FALSE(FrameCap{cap}.is_mapped());  // derived copies lose the mapping
  EXPECT_EQ(k.call(kCapSMC, word_t(Label::ARMSMCCall), {0x84000000, 0, 0, 0, 0, 0, 0, 0}).info().length, 8u);
}

TEST(TcbSetIpcBuffer, ErrorsFollowSeL4) {
  HostKernel k;
  const vaddr_t buffer = k.root()->ipc_buffer;
  EXPECT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {}, {kCapInitThreadIPCBuffer}).label(),
            e(Error::TruncatedMessage));
  EXPECT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {buffer}).label(), e(Error::TruncatedMessage));
  EXPECT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {buffer + 8}, {kCapInitThreadIPCBuffer}).label(),
            e(Error::AlignmentError));
  EXPECT_EQ(k.call(kCapInitThreadTCB, kSetIpcBuffer, {buffer}, {kCapInitThreadCNode}).label(),
            e(Error::IllegalOperation));
  EXPECT_EQ(k.call(kCapInitThreadTCB, word_t(Label::TCBSuspend) + 100, {}).label(),
            e(Error::IllegalOperation));
  EXPECT_EQ(k.root()->ipc_buffer, buffer);
}

TEST(PageGetAddress, ReturnsTheFramesPhysicalAddress) {
  HostKernel k;
  const auto r = k.call(kCapInitThreadIPCBuffer, word_t(Label::ARMPageGetAddress), {});
  EXPECT_EQ(r.label(), 0u);
  EXPECT_EQ(r.info().length, 1u);
  EXPECT_EQ(r.x[2], paddr_of(k.ipc_buffer()));
  EXPECT_EQ(k.call(kCapInitThreadIPCBuffer, word_t(Label::ARMPageMap) + 1000, {}).label(),
            e(Error::IllegalOperation));
}

}  // namespace
}  // namespace keel
