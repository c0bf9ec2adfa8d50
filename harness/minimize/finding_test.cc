// Tests of the finding workflow (finding.h) and of saving regression files:
// an input that does not fail stops at step 1, a failing one is minimized
// and saved once under a stable name, and no file is ever overwritten. The
// command-line front end (`tophash-fuzz minimize`: flags, unreadable inputs,
// unwritable directories) is tested in harness/cli/cli_test.cc.

#include "harness/minimize/finding.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/codec/sched_text.h"
#include "harness/minimize/regression_file.h"

namespace thfuzz {
namespace {

namespace fs = std::filesystem;

class FindingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("finding_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

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

Schedule GhostKey() { return *ParseSchedule(kGhostKey, "ghost").schedule; }

FindingOptions Options(tophash::Fault fault, const fs::path& out) {
  FindingOptions options;
  options.pipeline.run.executor = ExecutorKind::kControlled;
  options.pipeline.run.fault = fault;
  options.minimize.max_wall_time = std::chrono::seconds(20);
  options.reseed_tries = 64;
  options.out_dir = out;
  return options;
}

TEST_F(FindingTest, PassingInputStopsAtConfirm) {
  fs::path out = dir_ / "out";
  FindingResult result =
      ProcessFinding(GhostKey(), Options(tophash::Fault::kNone, out));
  EXPECT_FALSE(result.fails());
  EXPECT_EQ(result.confirmed.verdict, Verdict::kLinearizable);
  EXPECT_FALSE(result.saved);
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(FindingTest, SavesAMinimalCaseOnce) {
  fs::path out = dir_ / "out";
  FindingOptions options =
      Options(tophash::Fault::kPublishTophashBeforeKey, out);
  FindingResult result = ProcessFinding(GhostKey(), options);
  ASSERT_TRUE(result.fails());
  ASSERT_TRUE(result.saved);
  ASSERT_EQ(result.saved->error, "");
  EXPECT_FALSE(result.saved->already_present);
  ASSERT_EQ(FilesIn(out), 1u);
  fs::path saved = fs::directory_iterator(out)->path();
  EXPECT_EQ(saved, result.saved->path);
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
  EXPECT_TRUE(result.reverified);
  // Minimizing the saved case again finds the same case: nothing new.
  FindingResult again = ProcessFinding(*parsed.schedule, options);
  ASSERT_TRUE(again.saved);
  ASSERT_EQ(again.saved->error, "");
  EXPECT_TRUE(again.saved->already_present);
  EXPECT_EQ(FilesIn(out), 1u);
}

TEST_F(FindingTest, WithoutADirectoryNothingIsSaved) {
  FindingResult result = ProcessFinding(
      GhostKey(), Options(tophash::Fault::kPublishTophashBeforeKey, {}));
  ASSERT_TRUE(result.fails());
  EXPECT_FALSE(result.saved);
  EXPECT_EQ(result.regression.schedule, result.minimized.schedule);
  EXPECT_EQ(result.regression.outcome.violation.kind, result.kind);
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
