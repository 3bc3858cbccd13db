// The IPC and frame-memory invariants catch forged states, and the IPC buffer lives in frame
// memory: written at entry, read back afterwards, shared between threads.
#include "test_support.h"

namespace keel::spec::test {
namespace {

constexpr cptr_t kEp = 30, kNtfn = 31, kA = 40, kB = 42;

bool reports(const State& s, const std::string& what) {
  for (const std::string& p : check_invariants(s))
    if (p.find(what) != std::string::npos) return true;
  return false;
}

struct Blocked : World {
  paddr_t ep = make(ObjectType::Endpoint, kEp);
  paddr_t n = make(ObjectType::Notification, kNtfn);
  paddr_t a = ipc_thread(kA, 100);
  paddr_t b = ipc_thread(kB, 100);
  Blocked() {
    syscall_as(a, Syscall::Recv, kEp);
    syscall_as(b, Syscall::Call, kNtfn + 1);  // an empty slot: an error reply, b runs on
    run_as(kRootTcb);
    EXPECT_TRUE(check_invariants(s).empty());
  }
};

TEST(IpcInvariants, QueuesAndThreadStatesMustAgree) {
  Blocked w;
  State s = w.s;
  s.objects.at(w.ep).queue.push_back(w.a);  // twice
  EXPECT_TRUE(reports(s, "is in 2 IPC queues"));
  s = w.s;
  s.objects.at(w.ep).queue.clear();  // blocked but in no queue; Recv with an empty queue
  EXPECT_TRUE(reports(s, "is in 0 IPC queues"));
  EXPECT_TRUE(reports(s, "disagrees with its queue"));
  s = w.s;
  s.objects.at(w.ep).ep_state = EndpointState::Send;  // queued the wrong way
  EXPECT_TRUE(reports(s, "not blocked on it that way"));
  s = w.s;
  s.thread(w.a)->blocked.badge = 3;  // a receiver keeps no badge
  EXPECT_TRUE(reports(s, "blocking fields its state does not use"));
  s = w.s;
  s.objects.at(w.n).ntfn_state = NotificationState::Active;
  s.objects.at(w.n).queue.push_back(w.a);  // an Active notification has no waiters
  EXPECT_TRUE(reports(s, "disagrees with its queue"));
  s = w.s;
  s.objects.at(w.n).ntfn_word = 5;  // a word while Idle
  EXPECT_TRUE(reports(s, "keeps a notification word"));
}

TEST(IpcInvariants, ReplyCapsNameABlockedCallerBelowItsMaster) {
  Blocked w;
  State s = w.s;
  s.slots[SlotRef{w.a, kTcbCaller}] =
      Slot{Cap::reply(w.b, false, true), false, false, SlotRef{w.b, kTcbReply}};
  EXPECT_TRUE(reports(s, "names a thread not BlockedOnReply"));
  s.thread(w.b)->state = ThreadState::BlockedOnReply;
  sched_dequeue(s, w.b);
  EXPECT_TRUE(check_invariants(s).empty()) << check_invariants(s).front();
  s.slots[root_slot(70)] = s.slots.at(SlotRef{w.a, kTcbCaller});
  EXPECT_TRUE(reports(s, "has two reply caps"));
  s.slots.erase(root_slot(70));
  s.slots.at(SlotRef{w.a, kTcbCaller}).parent.reset();
  EXPECT_TRUE(reports(s, "is not a child of its thread's master"));
}

TEST(FrameMemory, FramesHoldOnlyNonZeroWordsInsideThemselves) {
  World w;
  State s = w.s;
  s.objects.at(kIpcFrame).words[3] = 0;
  EXPECT_TRUE(reports(s, "keeps a zero word"));
  s = w.s;
  s.objects.at(kIpcFrame).words[512] = 1;  // a 4 KiB frame has words 0..511
  EXPECT_TRUE(reports(s, "beyond its end"));
  s = w.s;
  s.objects.at(kRootTcb).words[0] = 1;
  EXPECT_TRUE(reports(s, "no RAM frame"));
}

TEST(FrameMemory, EntryWritesTheEventsBufferIntoTheFrameAndTheResultReadsItBack) {
  World w;
  SyscallEvent e = w.event(Syscall::Yield, 0, 0, {});
  e.ipc_buffer[5] = 7, e.ipc_buffer[127] = 9;
  SyscallResult r = w.raw(e);
  EXPECT_EQ(w.object(kIpcFrame).words, (std::map<word_t, word_t>{{5, 7}, {127, 9}}));
  EXPECT_EQ(r.ipc_buffer[5], 7u);
  // A thread sharing the frame at the same address sees the same words; a zero erases one.
  const paddr_t t = w.configured_thread(kA, 100);
  EXPECT_EQ(w.buffer_of(t)[127], 0u);  // the Configure call's own event zeroed it
  e.ipc_buffer[5] = 0, e.ipc_buffer[127] = 4;
  w.raw(e);
  EXPECT_EQ(w.buffer_of(t)[127], 4u);
  EXPECT_EQ(w.object(kIpcFrame).words, (std::map<word_t, word_t>{{127, 4}}));
}

TEST(FrameMemory, ABufferAtAnOffsetUsesThatPartOfTheFrame) {
  World w;
  ASSERT_EQ(
      w.call(kCapInitThreadTCB, Label::TCBSetIPCBuffer, {kRootIpcBuffer + 0x400}, {kCapInitThreadIPCBuffer})
          .label,
      kOk);
  SyscallEvent e = w.event(Syscall::Yield, 0, 0, {});
  e.ipc_buffer[1] = 0x11;
  w.raw(e);
  EXPECT_EQ(w.object(kIpcFrame).words.at(0x400 / 8 + 1), 0x11u);
}

TEST(FrameMemory, TheResultIsTheEntryBufferEvenIfTheCallMovedIt) {
  World w;
  // The reply goes to the new buffer (offset 0x400); the result shows the old one (offset 0).
  SyscallEvent e = w.event(Syscall::Call, kCapInitThreadTCB, static_cast<word_t>(Label::TCBSetIPCBuffer),
                           {kRootIpcBuffer + 0x400}, {kCapInitThreadIPCBuffer});
  e.ipc_buffer[100] = 0x64;
  SyscallResult r = w.raw(e);
  EXPECT_EQ(r.outcome, Outcome::Returned);
  EXPECT_EQ(r.ipc_buffer[100], 0x64u);
  EXPECT_EQ(r.ipc_buffer[kIpcBufferCapsWord], word_t{kCapInitThreadIPCBuffer});
  // Without a buffer the result keeps the event's words and no frame is written.
  ASSERT_EQ(w.call(kCapInitThreadTCB, Label::TCBSetIPCBuffer, {0}, {kCapInitThreadIPCBuffer}).label, kOk);
  const auto before = w.object(kIpcFrame).words;
  e = w.event(Syscall::Yield, 0, 0, {});
  e.ipc_buffer[3] = 3;
  r = w.raw(e);
  EXPECT_EQ(r.ipc_buffer[3], 3u);
  EXPECT_EQ(w.object(kIpcFrame).words, before);
}

TEST(FrameMemory, ANewFrameIsZeroed) {
  World w;
  const paddr_t f = w.make(ObjectType::SmallPage, 50);
  EXPECT_TRUE(w.object(f).words.empty());
}

}  // namespace
}  // namespace keel::spec::test
