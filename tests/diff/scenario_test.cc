// Scripted scenarios checked in lockstep: every step of each must refine the spec.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "event_codec.h"
#include "scenarios.h"

namespace keel::diff {
namespace {

class LockstepScenario : public ::testing::TestWithParam<Scenario> {};

// Which thread issued each event and how it ended, for a scenario that stops early.
std::string trace(const std::vector<Event>& events) {
  Lockstep ls;
  std::string out;
  for (size_t i = 0; i < events.size() && ls.accepts(events[i]); ++i) {
    const paddr_t by = ls.state().cur_thread.value_or(0);
    const StepReport r = ls.step(events[i]);
    char line[64];
    std::snprintf(line, sizeof line, "  [%zu] by 0x%llx: ", i, static_cast<unsigned long long>(by));
    out += line + describe(events[i]) + " -> " + spec::to_string(r.outcome) + "\n";
  }
  return out;
}

TEST_P(LockstepScenario, RefinesSpec) {
  const Scenario& s = GetParam();
  if (std::getenv("KEEL_TRACE") != nullptr) std::printf("%s\n%s", s.name.c_str(), trace(s.events).c_str());
  SequenceResult r = run_sequence(s.events);
  ASSERT_FALSE(r.failed()) << failure_report(minimise(s.events), run_sequence(minimise(s.events)));
  // Every event ran: a scenario ends the root thread only with its last event.
  EXPECT_EQ(r.steps, s.events.size()) << s.name << "\n" << trace(s.events);
  EXPECT_LE(r.not_specified, 1u) << s.name;
}

INSTANTIATE_TEST_SUITE_P(Scripted, LockstepScenario, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& i) { return i.param.name; });

// Found by the long fuzzing run: a fault taken with DebugPutChar's number in x7 had its
// diagnostic line compared as that syscall's output.
TEST(Lockstep, AnExceptionIsNoSyscallWhateverX7Holds) {
  Lockstep ls;
  Event fault = exception_event(true, 0x690000, 0);  // a data abort at address 0
  fault.regs[7] = static_cast<word_t>(static_cast<std::int64_t>(spec::Syscall::DebugPutChar));
  const StepReport r = ls.step(fault);
  EXPECT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.outcome, spec::Outcome::Faulted);
}

// Issue 5's story, step by step as the root task sees it (the lockstep run above shows that the
// spec agrees; this pins down what both say).
TEST(Lockstep, RemovedIpcBufferCannotBeRestoredByTheThreadItself) {
  std::vector<Scenario> all = scenarios();
  const auto it = std::find_if(all.begin(), all.end(), [](const Scenario& s) {
    return s.name == "IpcBufferRemovedCannotBeRestoredByTheThread";
  });
  ASSERT_NE(it, all.end());
  Lockstep ls;
  ASSERT_TRUE(ls.booted());
  const word_t frame = ls.state().cap_at({ls.root_cnode(), 10}).ptr;
  std::vector<std::array<word_t, 8>> regs;
  for (const Event& e : it->events) {
    ASSERT_TRUE(ls.step(e).ok());
    regs.emplace_back();
    for (unsigned i = 0; i < 8; ++i) regs.back()[i] = ls.kernel().root()->context.regs[i];
  }
  auto label = [](const std::array<word_t, 8>& r) { return spec::MessageInfo::from_word(r[1]).label; };
  constexpr word_t kTruncated = static_cast<word_t>(spec::Error::TruncatedMessage);
  EXPECT_EQ(regs[0][1], 0u);              // removed: an empty reply
  EXPECT_EQ(label(regs[1]), kTruncated);  // the SMC call is clamped to 4 words
  EXPECT_EQ(label(regs[2]), kTruncated);  // no extra caps without a buffer: no way back
  EXPECT_EQ(label(regs[3]), kTruncated);
  EXPECT_EQ(label(regs[4]), kTruncated);
  EXPECT_EQ(regs[5][1], (spec::MessageInfo{0, 0, 0, 1}.to_word()));  // GetAddress still answers
  EXPECT_EQ(regs[5][2], frame);
  const spec::Thread* t = ls.state().thread(ls.root_tcb());
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->ipc_buffer_vaddr, 0u);
  EXPECT_EQ(ls.state().slot_at({ls.root_tcb(), spec::kTcbBuffer}), nullptr);
}

// The IRQ story's replies and IRQ 40's mask, as kernel and spec both give them.
TEST(Lockstep, IrqHandlerLifecycleRepliesAndMasks) {
  std::vector<Scenario> all = scenarios();
  const auto it =
      std::find_if(all.begin(), all.end(), [](const Scenario& s) { return s.name == "IrqHandlerLifecycle"; });
  ASSERT_NE(it, all.end());
  Lockstep ls;
  ASSERT_TRUE(ls.booted());
  std::vector<word_t> labels;
  std::vector<bool> masked40;
  for (const Event& e : it->events) {
    ASSERT_TRUE(ls.step(e).ok()) << describe(e);
    labels.push_back(e.is_interrupt()
                         ? ~word_t{0}
                         : spec::MessageInfo::from_word(ls.kernel().root()->context.regs[1]).label);
    masked40.push_back(ls.state().irq_unmasked.count(40) == 0);
  }
  constexpr word_t I = ~word_t{0};  // an interrupt: no reply
  EXPECT_EQ(labels, (std::vector<word_t>{7, 7, 4, 9, 6, 8, 0, 9, I, 0, 0, 7, 2, 0, I, I, 0,
                                         0, 0, I, 0, 0, 0, I, I, 3, 0, 0, 0, 0, I, 0, 0, 0}));
  EXPECT_FALSE(masked40[6]);   // issued: unmasked
  EXPECT_TRUE(masked40[8]);    // delivered: masked
  EXPECT_FALSE(masked40[9]);   // acknowledged
  EXPECT_TRUE(masked40[26]);   // the last handler cap deleted
  EXPECT_FALSE(masked40[27]);  // issued again, edge-triggered
  EXPECT_TRUE(ls.state().irq_edge_triggered.count(40));
  EXPECT_TRUE(masked40[31]);                    // IRQControl revoked
  EXPECT_EQ(ls.state().irq_states.size(), 2u);  // the timer and 41
}

// The SGI story's replies, and the badge the SGIs delivered through IRQ 5's handler.
TEST(Lockstep, SgiSignalRepliesAndDelivery) {
  std::vector<Scenario> all = scenarios();
  const auto it = std::find_if(all.begin(), all.end(),
                               [](const Scenario& s) { return s.name == "SgiSignalIssueDeliverRevoke"; });
  ASSERT_NE(it, all.end());
  Lockstep ls;
  ASSERT_TRUE(ls.booted());
  std::vector<word_t> labels, x0;
  for (const Event& e : it->events) {
    const StepReport rep = ls.step(e);
    ASSERT_TRUE(rep.ok()) << describe(e) << ": " << rep.detail;
    EXPECT_FALSE(rep.not_specified) << describe(e);
    labels.push_back(spec::MessageInfo::from_word(ls.kernel().root()->context.regs[1]).label);
    x0.push_back(ls.kernel().root()->context.regs[0]);
  }
  // Send and NBSend get no reply (their label stays); DebugCapIdentify answers in x0 alone.
  EXPECT_EQ(labels, (std::vector<word_t>{7, 7,          4, 4, 1, 6, 4, 8, 0, labels[9], 0, 0, 0, 0, 0, 1000,
                                         0, labels[17], 0, 0, 0, 0, 0, 0, 0, 0,         0, 0, 2, 0, 2, 0}));
  EXPECT_EQ(x0[9], 27u);     // DebugCapIdentify: seL4's SGISignal tag
  EXPECT_EQ(x0[16], 0x55u);  // NBRecv after the first SGI: the handler's badge
  EXPECT_EQ(x0[19], 0x55u);  // and after the second, sent while IRQ 5 was masked
  EXPECT_EQ(x0[31], 0x55u);  // from the copy's SGIs, before the handler went
}

TEST(Lockstep, BootStateIsWellFormed) {
  Lockstep ls;
  ASSERT_TRUE(ls.booted());
  EXPECT_TRUE(spec::check_invariants(ls.state()).empty());
  EXPECT_EQ(ls.kernel_invariants(), "");
  // The root task's initial caps are where the boot protocol puts them.
  EXPECT_EQ(ls.state().cap_at({ls.root_cnode(), 2}).type, spec::CapType::CNode);
  EXPECT_EQ(ls.state().cap_at({ls.root_cnode(), 15}), spec::Cap::smc(0));
  EXPECT_EQ(ls.state().cur_thread, ls.root_tcb());
  // Every IRQ inactive and masked but the kernel tick's (seL4 init_irqs).
  EXPECT_EQ(ls.state().irq_states, (std::map<word_t, spec::IrqState>{{27, spec::IrqState::Timer}}));
  EXPECT_EQ(ls.state().irq_unmasked, (std::set<word_t>{27}));
  EXPECT_NE(ls.state().irq_node, 0u);
}

// Scenarios join the fuzzer's corpus as encoded events: they must come back unchanged, and a
// truncated input must still decode (to fewer or zeroed events), never read past its end.
TEST(EventCodec, ScenariosRoundTrip) {
  for (const Scenario& s : scenarios()) {
    SCOPED_TRACE(s.name);
    const std::vector<std::uint8_t> bytes = encode_events(s.events);
    ASSERT_EQ(bytes.front(), kEventsMagic);
    EXPECT_EQ(decode_events(bytes.data() + 1, bytes.size() - 1), s.events);
    const std::vector<Event> cut = decode_events(bytes.data() + 1, bytes.size() / 2);
    EXPECT_LE(cut.size(), s.events.size());
  }
  EXPECT_TRUE(decode_events(nullptr, 0).empty());
}

}  // namespace
}  // namespace keel::diff
