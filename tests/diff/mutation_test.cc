// Checks that bite: each planted kernel bug (kernel/lib/mutation.h) must be caught by the
// refinement check or an invariant, on the scripted scenarios, a seeded random run or the
// exhaustive run (tried in that order, stopping at the first failure); the suite ends with the
// mutation score.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "generator.h"
#include "host/sanitizer.h"
#include "kernel/lib/mutation.h"
#include "scenarios.h"

namespace keel::diff {
namespace {

const char* mutant_name(Mutant m) {
  switch (m) {
    case Mutant::None: return "None";
    case Mutant::SkipSmcBadgeCheck: return "SkipSmcBadgeCheck";
    case Mutant::MintKeepsRevocable: return "MintKeepsRevocable";
    case Mutant::RevokeSkipsDescendant: return "RevokeSkipsDescendant";
    case Mutant::WatermarkOffByOne: return "WatermarkOffByOne";
    case Mutant::MapSkipsUserTopCheck: return "MapSkipsUserTopCheck";
    case Mutant::FrameDeleteKeepsMapping: return "FrameDeleteKeepsMapping";
    case Mutant::UnmapSkipsTlbFlush: return "UnmapSkipsTlbFlush";
    case Mutant::SkipMcpCheck: return "SkipMcpCheck";
    case Mutant::SuspendLeavesQueued: return "SuspendLeavesQueued";
    case Mutant::AckNeverUnmasks: return "AckNeverUnmasks";
    case Mutant::TransferIgnoresGrant: return "TransferIgnoresGrant";
    case Mutant::SignalOverwritesWord: return "SignalOverwritesWord";
    case Mutant::CancelLeavesSender: return "CancelLeavesSender";
    case Mutant::SgiTargetOffByOne: return "SgiTargetOffByOne";
    case Mutant::GuardNotCompared: return "GuardNotCompared";
    case Mutant::RetypeBaseUnaligned: return "RetypeBaseUnaligned";
    case Mutant::MintIgnoresRights: return "MintIgnoresRights";
    case Mutant::SmcBadgeLow32: return "SmcBadgeLow32";
    case Mutant::RetypeSlotPastCNode: return "RetypeSlotPastCNode";
    case Mutant::FastpathIgnoresQueues: return "FastpathIgnoresQueues";
    case Mutant::FastpathKeepsReplyCap: return "FastpathKeepsReplyCap";
    case Mutant::Count: break;
  }
  return "?";
}

// Switches a mutant on for one scope and always back off.
struct ActiveMutant {
  explicit ActiveMutant(Mutant m) { g_active_mutant = m; }
  ~ActiveMutant() { g_active_mutant = Mutant::None; }
  ActiveMutant(const ActiveMutant&) = delete;
  ActiveMutant& operator=(const ActiveMutant&) = delete;
};

struct Caught {
  bool caught = false;
  std::string driver;         // scenario, random or exhaustive
  Check check = Check::None;  // which check failed on the shortest failing sequence
  std::string how;            // which driver and which check, with the shortest failing sequence
};

Caught found(const std::string& driver, const std::string& what, const std::vector<Event>& shortest,
             const SequenceResult& r) {
  return {true, driver, r.report.failed, what + ": " + failure_report(shortest, r)};
}

Caught hunt(Mutant m) {
  const std::vector<Scenario> scripted = scenarios();
  const std::vector<Event> alphabet = exhaustive_alphabet();
  ActiveMutant on(m);
  for (const Scenario& s : scripted) {
    SequenceResult r = run_sequence(s.events);
    if (r.failed()) {
      const std::vector<Event> shortest = minimise(s.events);
      return found("scenario", "scenario " + s.name, shortest, run_sequence(shortest));
    }
  }
  RandomRunResult rr = random_run(1, 1500);
  if (rr.failed) {
    const std::vector<Event> shortest = minimise(rr.failing);
    return found("random", "random seed 1", shortest, run_sequence(shortest));
  }
  ExhaustiveResult er = exhaustive_run(alphabet, 3);
  if (er.failed) return found("exhaustive", "exhaustive", er.failing, er.failure);
  return {false, "", Check::None, "not caught"};
}

std::vector<Mutant> all_mutants() {
  std::vector<Mutant> out;
  for (unsigned i = 1; i < unsigned(Mutant::Count); ++i) out.push_back(static_cast<Mutant>(i));
  return out;
}

// The mutation score. ctest runs each mutant in a process of its own, so each records its result
// in a file of its own under the build directory and rewrites the score from all the files (under
// a lock): the last to finish writes the whole line, which `./keel test` prints.
namespace fs = std::filesystem;
const fs::path kScoreDir = fs::path(KEEL_BUILD_DIR) / "mutation";
const fs::path kScoreFile = fs::path(KEEL_BUILD_DIR) / "mutation-score.txt";
bool g_recorded = false;  // this process ran a mutant: print the score at the end

// The invariants (the kernel's and the spec's, and the abstraction's well-formedness checks)
// against the lockstep comparison proper (state, observable results, exceptions).
bool by_invariant(Check c) {
  return c == Check::KernelInvariant || c == Check::SpecInvariant || c == Check::Abstraction;
}

std::string score_line() {
  unsigned caught = 0, invariants = 0, not_run = 0;
  std::map<std::string, unsigned> drivers;
  std::string missed;
  for (Mutant m : all_mutants()) {
    std::ifstream in(kScoreDir / mutant_name(m));
    std::string driver, kind;
    if (!(in >> driver >> kind)) {
      ++not_run;
    } else if (driver == "missed") {
      missed += std::string(missed.empty() ? "" : ", ") + mutant_name(m);
    } else {
      ++caught, invariants += kind == "invariant" ? 1U : 0U, ++drivers[driver];
    }
  }
  std::string s = "mutation score: " + std::to_string(caught) + "/" + std::to_string(all_mutants().size()) +
                  " caught (lockstep " + std::to_string(caught - invariants) + ", invariants " +
                  std::to_string(invariants) + "; by scenario " + std::to_string(drivers["scenario"]) +
                  ", random " + std::to_string(drivers["random"]) + ", exhaustive " +
                  std::to_string(drivers["exhaustive"]) +
                  (drivers["asan"] != 0 ? ", ASan " + std::to_string(drivers["asan"]) : "") + ")";
  if (!missed.empty()) s += "; missed: " + missed;
  if (not_run != 0) s += "; " + std::to_string(not_run) + " not run";
  return s;
}

void record(Mutant m, const Caught& c) {
  fs::create_directories(kScoreDir);
  const int lock = open((kScoreDir / ".lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0) flock(lock, LOCK_EX);
  std::ofstream(kScoreDir / mutant_name(m)) << (c.caught ? c.driver : "missed") << " "
                                            << (by_invariant(c.check) ? "invariant" : "lockstep") << "\n";
  const fs::path tmp = kScoreFile.string() + ".tmp";
  std::ofstream(tmp) << score_line() << "\n";
  fs::rename(tmp, kScoreFile);
  if (lock >= 0) close(lock);  // releases the lock
  g_recorded = true;
}

class ScoreEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (g_recorded) std::printf("%s\n", score_line().c_str());
  }
};
[[maybe_unused]] ::testing::Environment* const kScoreEnvironment =
    ::testing::AddGlobalTestEnvironment(new ScoreEnvironment);

class MutationTest : public ::testing::TestWithParam<Mutant> {};

TEST_P(MutationTest, IsCaughtByRefinementOrInvariant) {
  const Mutant m = GetParam();
  // Under ASan the stray access into free memory stops the run before the lockstep compares.
  if (host::kAsan && m == Mutant::RetypeSlotPastCNode) {
    const int failures_before =
        ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
    EXPECT_DEATH((void)hunt(m), "use-after-poison");
    const bool died = ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count() ==
                      failures_before;
    record(m, Caught{died, "asan", Check::KernelInvariant, "ASan: use-after-poison"});
    return;
  }
  Caught c = hunt(m);
  ASSERT_EQ(g_active_mutant, Mutant::None);
  record(m, c);
  std::printf("mutant %s: %s\n", mutant_name(m), c.how.c_str());
  EXPECT_TRUE(c.caught) << "mutant " << mutant_name(m)
                        << " was not caught (is it planted? grep -rn 'Mutant::" << mutant_name(m)
                        << "' kernel arch)";
}

INSTANTIATE_TEST_SUITE_P(Planted, MutationTest, ::testing::ValuesIn(all_mutants()),
                         [](const ::testing::TestParamInfo<Mutant>& i) {
                           return std::string(mutant_name(i.param));
                         });

}  // namespace
}  // namespace keel::diff
