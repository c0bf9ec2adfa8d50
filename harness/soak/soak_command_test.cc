// Tests of `tophash-fuzz soak`: bad flags exit 2 with the reason, a clean
// run exits 0 with a summary, and a faulty map exits 1 with the report and
// the finding's files (a history that `check` judges a violation, and a
// schedule that parses, handed to the minimizer).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/check/checker.h"
#include "harness/check/history_file.h"
#include "harness/cli/commands.h"
#include "harness/codec/sched_text.h"

namespace thfuzz::cli {
namespace {

namespace fs = std::filesystem;

int Soak(std::vector<std::string> args, std::string* out = nullptr,
         std::string* err = nullptr) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = SoakMain(args);
  std::string stdout_text = ::testing::internal::GetCapturedStdout();
  std::string stderr_text = ::testing::internal::GetCapturedStderr();
  if (out) *out = stdout_text;
  if (err) *err = stderr_text;
  return status;
}

TEST(SoakCommandTest, BadFlagsExitTwoAndSayWhy) {
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const Case cases[] = {
      {{"--threads", "0"}, "--threads must be 1 to 64, got 0"},
      {{"--keys", "100"}, "--keys must be 1 to 64"},
      {{"--seconds", "0"}, "--seconds must be at least 1"},
      {{"--map", "btree"}, "unknown map 'btree'"},
      {{"--fault", "nope"}, "unknown fault 'nope'"},
      {{"--map", "tbb", "--fault", "skip_read_validation"},
       "--fault applies only to --map tophash"},
      {{"--threads", "two"}, "--threads"},
      {{"extra"}, "unexpected argument 'extra'"},
  };
  for (const Case& c : cases) {
    std::string err;
    EXPECT_EQ(Soak(c.args, nullptr, &err), kExitUsage) << c.args[0];
    EXPECT_NE(err.find(c.error), std::string::npos) << err;
  }
}

TEST(SoakCommandTest, CleanRunPrintsASummary) {
  std::string out;
  EXPECT_EQ(Soak({"--threads", "2", "--seconds", "1", "--keys", "8",
                  "--window-ops", "5000"},
                 &out),
            kExitOk);
  EXPECT_NE(out.find("soak summary: "), std::string::npos) << out;
  EXPECT_NE(out.find("verdict:    clean"), std::string::npos) << out;
  EXPECT_NE(out.find("peak RSS"), std::string::npos) << out;
}

TEST(SoakCommandTest, FaultyMapExitsOneWithReplayableFiles) {
  fs::path dir = fs::temp_directory_path() / "thfuzz_soak_command_test";
  fs::remove_all(dir);
  std::string out;
  EXPECT_EQ(
      Soak({"--threads", "2", "--seconds", "20", "--keys", "24",
            "--shards-log2", "0", "--fault", "erase_marks_empty_rest_early",
            "--minimize-seconds", "2", "--out", dir.string()},
           &out),
      kExitViolation);
  EXPECT_NE(out.find("verdict:    VIOLATION"), std::string::npos) << out;
  EXPECT_NE(out.find("== tophash-fuzz violation"), std::string::npos) << out;
  // The schedule went to the minimizer, which saved a regression case: a
  // sequential fault's schedule replays serially after inserting the keys
  // the map held, so it fails by itself.
  EXPECT_NE(out.find("Minimizing it (up to 2 s)"), std::string::npos) << out;
  EXPECT_NE(out.find("\nsaved "), std::string::npos) << out;
  size_t histories = 0, schedules = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".history") {
      ++histories;
      HistoryParseResult parsed = ReadHistoryFile(entry.path());
      ASSERT_TRUE(parsed.history) << parsed.error;
      EXPECT_EQ(CheckHistory(*parsed.history).verdict, Verdict::kViolation);
    }
    if (entry.path().extension() == ".sched") {
      ++schedules;
      ParseResult parsed = ReadSchedFile(entry.path());
      EXPECT_TRUE(parsed.ok()) << parsed.error;
    }
  }
  EXPECT_EQ(histories, 1u);
  EXPECT_EQ(schedules, 2u);  // soak-*.sched, and the minimized case
  fs::remove_all(dir);
}

}  // namespace
}  // namespace thfuzz::cli
