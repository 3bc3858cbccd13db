// Replays the committed fuzz corpora (tests/fuzz/corpus/{fdt,syscall}) through the same
// harnesses the fuzzers run, so every ordinary host test run re-checks them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kernel/lib/mutation.h"
#include "tests/fuzz/harness.h"

namespace keel::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus(const char* name) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(KEEL_FUZZ_CORPUS_DIR) / name))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<uint8_t> read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

void replay(const char* name, void (*run)(const uint8_t*, size_t)) {
  const auto files = corpus(name);
  ASSERT_FALSE(files.empty()) << "no corpus in " << KEEL_FUZZ_CORPUS_DIR << "/" << name;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    const std::vector<uint8_t> data = read(p);
    run(data.data(), data.size());  // a finding traps, naming itself on stderr
  }
}

// Replays without gtest assertions, for use inside a death test: named seeds (scenario-*,
// mutant-*) first, as they are what catches most planted bugs.
void replay_all(const char* name, void (*run)(const uint8_t*, size_t)) {
  std::vector<fs::path> files = corpus(name);
  std::stable_partition(files.begin(), files.end(), [](const fs::path& p) {
    return p.filename().string().find('-') != std::string::npos;
  });
  for (const fs::path& p : files) {
    const std::vector<uint8_t> data = read(p);
    run(data.data(), data.size());
  }
}

TEST(FuzzCorpus, Fdt) { replay("fdt", run_fdt_input); }
TEST(FuzzCorpus, Syscall) { replay("syscall", run_syscall_input); }
TEST(FuzzCorpus, EmptyInputs) {
  run_fdt_input(nullptr, 0);
  run_syscall_input(nullptr, 0);
}

int failures_so_far() {
  return ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
}

// Checks that bite: with any one planted kernel bug (kernel/lib/mutation.h) switched on,
// replaying the syscall corpus must end in a finding of the lockstep check. tools/fuzz.sh
// --hunt adds an input for a bug the corpus misses. Prints (and leaves in the build directory,
// for `./keel test` to show) how many the corpus catches.
TEST(FuzzCorpusDeathTest, CatchesEveryPlantedMutant) {
  if (!KEEL_MUTATION_TESTING) GTEST_SKIP() << "built without planted mutants";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  unsigned caught = 0, planted = 0;
  for (unsigned m = 1; m < static_cast<unsigned>(Mutant::Count); ++m, ++planted) {
    const int failures_before = failures_so_far();
    EXPECT_DEATH(
        {
          set_planted_mutant(m);
          replay_all("syscall", run_syscall_input);
        },
        "keel fuzz finding|AddressSanitizer")  // a stray write into free RAM: ASan stops it first
        << "planted mutant " << m << " went unnoticed by the syscall corpus (tools/fuzz.sh --hunt)";
    if (failures_so_far() == failures_before) ++caught;
  }
  const std::string line =
      "fuzzer corpus: " + std::to_string(caught) + "/" + std::to_string(planted) + " planted bugs caught";
  std::printf("%s\n", line.c_str());
  std::ofstream(KEEL_FUZZ_SCORE_FILE) << line << "\n";
}

}  // namespace
}  // namespace keel::fuzz
