// Tests of `tophash-fuzz minimize` (harness/cli/minimize_command.cc) and of
// saving regression files: bad inputs and outputs exit 2, an input that
// does not fail exits 1, a failing one is saved once under a stable name.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/codec/sched_text.h"
#include "harness/minimize/regression_file.h"

namespace thfuzz {
namespace {

namespace fs = std::filesystem;

class MinimizeCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("minimize_command_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  int Run(std::vector<std::string> args) {
    return cli::MinimizeMain(args);
  }
  size_t FilesIn(const fs::path& dir) {
    size_t count = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      count += entry.is_regular_file();
    }
    return count;
  }

  fs::path dir_;
};

// Fails (torn or phantom value) with publish_tophash_before_key in the
// controlled executor: a reader runs in the middle of the insert.
const char kGhostKey[] =
    "fault: publish_tophash_before_key\n"
    "executor: controlled\n"
    "keys: 1\n"
    "thread 0:\n  insert k0\n"
    "thread 1:\n  find k0\n"
    "decisions:\n  0 0 0 0 1 1 1 1 1 1 1 1 1 1 1 1\n";

TEST_F(MinimizeCommandTest, UnreadableFileIsExit2) {
  EXPECT_EQ(Run({(dir_ / "missing.sched").string()}), cli::kExitUsage);
}

TEST_F(MinimizeCommandTest, UnparsableSchedIsExit2) {
  EXPECT_EQ(Run({Write("bad.sched", "keys: 2\nthread 0:\n  find k9\n")}),
            cli::kExitUsage);
}

TEST_F(MinimizeCommandTest, BadFlagsAreExit2) {
  std::string input = Write("ghost.sched", kGhostKey);
  EXPECT_EQ(Run({input, "--fault", "no_such_fault"}), cli::kExitUsage);
  EXPECT_EQ(Run({input, "--trials", "0"}), cli::kExitUsage);
  EXPECT_EQ(Run({}), cli::kExitUsage);
}

TEST_F(MinimizeCommandTest, UnwritableOutputDirIsExit2) {
  std::string input = Write("ghost.sched", kGhostKey);
  // A regular file where a directory should be: no one can write under it.
  std::string blocker = Write("not_a_dir", "");
  EXPECT_EQ(Run({input, "--out", blocker + "/regressions"}), cli::kExitUsage);
  EXPECT_TRUE(fs::is_regular_file(blocker));
}

TEST_F(MinimizeCommandTest, PassingInputIsExit1) {
  std::string input = Write("ghost.sched", kGhostKey);
  EXPECT_EQ(Run({input, "--fault", "none", "--out", (dir_ / "out").string()}),
            cli::kExitViolation);
}

TEST_F(MinimizeCommandTest, SavesAMinimalCaseOnce) {
  std::string input = Write("ghost.sched", kGhostKey);
  fs::path out = dir_ / "out";
  ASSERT_EQ(Run({input, "--out", out.string(), "--seconds", "20"}),
            cli::kExitOk);
  ASSERT_EQ(FilesIn(out), 1u);
  fs::path saved = fs::directory_iterator(out)->path();
  ParseResult parsed = ReadSchedFile(saved);
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  EXPECT_EQ(parsed.meta.fault, tophash::Fault::kPublishTophashBeforeKey);
  EXPECT_EQ(parsed.meta.executor, ExecutorKind::kControlled);
  ASSERT_TRUE(parsed.meta.expect);
  EXPECT_EQ(saved.filename().string().rfind(
                std::string(ViolationKindName(*parsed.meta.expect)) + "-", 0),
            0u);
  EXPECT_EQ(parsed.schedule->threads.size(), 2u);
  EXPECT_EQ(parsed.schedule->TotalOps(), 2u);
  // Minimizing the saved case again finds the same case: nothing new.
  ASSERT_EQ(Run({saved.string(), "--out", out.string()}), cli::kExitOk);
  EXPECT_EQ(FilesIn(out), 1u);
}

TEST(RegressionFileTest, NeverOverwritesADifferentFile) {
  fs::path dir = fs::temp_directory_path() /
                 ("regression_file_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  RegressionCase regression;
  regression.schedule.key_count = 1;
  regression.schedule.threads = {{{OpKind::kInsert, 0, 0}}};
  regression.run.fault = tophash::Fault::kSizeMiscountsReplace;
  regression.outcome.verdict = Verdict::kViolation;
  regression.outcome.violation.kind = ViolationKind::kWrongSize;
  fs::create_directories(dir);
  fs::path taken = dir / (RegressionBaseName(regression) + ".sched");
  std::ofstream(taken) << "someone else's case\n";

  SavedRegression saved = SaveRegression(dir, regression);
  ASSERT_EQ(saved.error, "");
  EXPECT_EQ(saved.path.filename().string(),
            RegressionBaseName(regression) + "-2.sched");
  std::ifstream in(taken);
  std::string first_line;
  std::getline(in, first_line);
  EXPECT_EQ(first_line, "someone else's case");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace thfuzz
