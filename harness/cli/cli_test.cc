// Tests of the tophash-fuzz commands: flag errors, bad input files, output
// directories, and campaigns that find (or rightly do not find) violations.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "harness/cli/campaign.h"
#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/inputs.h"
#include "harness/exec/adapter.h"

namespace thfuzz::cli {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() /
      ("tophash_cli_test_" + name + "_" +
       std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files.push_back(entry.path());
  }
  return files;
}

TEST(FlagsTest, ParsesFormsAndRejectsBadValues) {
  std::string name = "x";
  uint64_t count = 1;
  bool on = false;
  Flags flags;
  flags.String("name", &name, "");
  flags.Uint("count", &count, "");
  flags.Bool("on", &on, "");
  std::vector<std::string> positional;
  std::vector<std::string> args = {"a",         "--name", "y",
                                   "--count=7", "--on",   "b"};
  EXPECT_EQ(flags.Parse(args, &positional), "");
  EXPECT_EQ(name, "y");
  EXPECT_EQ(count, 7u);
  EXPECT_TRUE(on);
  EXPECT_EQ(positional, (std::vector<std::string>{"a", "b"}));
  std::vector<std::string> bad = {"--count", "seven"};
  EXPECT_NE(flags.Parse(bad, &positional).find("--count expects"),
            std::string::npos);
  std::vector<std::string> unknown = {"--nope"};
  EXPECT_EQ(flags.Parse(unknown, &positional), "unknown flag --nope");
  std::vector<std::string> missing = {"--name"};
  EXPECT_EQ(flags.Parse(missing, &positional), "--name needs a value");
}

TEST(InputsTest, MalformedSchedNamesFileLineAndColumn) {
  fs::path dir = TempDir("inputs");
  WriteFile(dir / "bad.sched", "keys: 2\n\nthread 0:\n  insert k9\n");
  LoadedSchedule loaded = LoadSchedule((dir / "bad.sched").string());
  EXPECT_FALSE(loaded.schedule);
  EXPECT_NE(loaded.error.find("bad.sched:4:"), std::string::npos)
      << loaded.error;
  LoadedSchedule missing = LoadSchedule((dir / "missing.sched").string());
  EXPECT_NE(missing.error.find("cannot open"), std::string::npos);
}

TEST(InputsTest, DirectoriesEmptyFilesAndUtf8) {
  fs::path dir = TempDir("kinds");
  EXPECT_NE(LoadSchedule(dir.string()).error.find("not a regular file"),
            std::string::npos);
  WriteFile(dir / "empty.sched", "");
  EXPECT_NE(LoadSchedule((dir / "empty.sched").string()).error.find("empty"),
            std::string::npos);
  // UTF-8 in a comment is still text, and a .sched file is never binary.
  WriteFile(dir / "utf8.sched",
            "# caf\xc3\xa9\nkeys: 1\n\nthread 0:\n  find k0\n");
  LoadedSchedule utf8 = LoadSchedule((dir / "utf8.sched").string());
  ASSERT_TRUE(utf8.schedule) << utf8.error;
  EXPECT_TRUE(utf8.is_text);
  WriteFile(dir / "typo.txt", "keys: 1\n\nthread 0:\n  fnid k0\n");
  LoadedSchedule typo = LoadSchedule((dir / "typo.txt").string());
  ASSERT_TRUE(typo.schedule);  // read as bytes, and the user is told so
  EXPECT_FALSE(typo.is_text);
  EXPECT_NE(typo.note.find("typo.txt:4:"), std::string::npos) << typo.note;
}

TEST(InputsTest, BinaryInputsAlwaysDecode) {
  fs::path dir = TempDir("binary");
  WriteFile(dir / "crash-1", std::string("\x01\x00\xff\x07\x00", 5));
  LoadedSchedule loaded = LoadSchedule((dir / "crash-1").string());
  ASSERT_TRUE(loaded.schedule) << loaded.error;
  EXPECT_FALSE(loaded.is_text);
}

TEST(CommandsTest, BadFlagsAndInputsExitTwo) {
  std::vector<std::string> bad_fault = {"--fault", "no_such_fault"};
  EXPECT_EQ(RunMain(bad_fault), kExitUsage);
  std::vector<std::string> bad_executor = {"x.sched", "--executor", "fast"};
  EXPECT_EQ(ReplayMain(bad_executor), kExitUsage);
  std::vector<std::string> no_files = {};
  EXPECT_EQ(ReplayMain(no_files), kExitUsage);
  std::vector<std::string> missing = {"/nonexistent/x.sched"};
  EXPECT_EQ(ReplayMain(missing), kExitUsage);
  std::vector<std::string> bad_history = {"/nonexistent/x.history"};
  EXPECT_EQ(CheckMain(bad_history), kExitUsage);
}

TEST(CommandsTest, UnwritableOutputDirFailsBeforeRunning) {
  fs::path dir = TempDir("unwritable");
  WriteFile(dir / "file", "not a directory");
  std::vector<std::string> args = {"--seconds", "1", "--out",
                                   (dir / "file" / "sub").string()};
  EXPECT_EQ(RunMain(args), kExitUsage);
}

TEST(CommandsTest, ReplayCommandPrintsWhatTheFormatterMakes) {
  std::vector<std::string> args = {
      "crash-1", "--fuzzer", "./controlled_fuzzer", "--executor",
      "stress",  "--fault",  "skip_read_validation"};
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(ReplayCommandMain(args), kExitOk);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "THFUZZ_FAULT=skip_read_validation ./controlled_fuzzer crash-1\n"
            "tophash-fuzz replay crash-1 --executor stress --fault "
            "skip_read_validation\n");
  std::vector<std::string> fuzzer_only = {"crash-1", "--fuzzer", "./f"};
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(ReplayCommandMain(fuzzer_only), kExitOk);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "./f crash-1\n");
  std::vector<std::string> nothing = {"crash-1"};
  EXPECT_EQ(ReplayCommandMain(nothing), kExitUsage);
  std::vector<std::string> bad_fault = {"crash-1", "--fuzzer", "./f", "--fault",
                                        "nope"};
  EXPECT_EQ(ReplayCommandMain(bad_fault), kExitUsage);
}

// `tophash-fuzz minimize`: the command's own checks around the finding
// workflow (harness/minimize/finding_test.cc tests the workflow itself).
int Minimize(std::vector<std::string> args) { return MinimizeMain(args); }

// Writes `text` to DIR/NAME and returns the path.
std::string WriteIn(const fs::path& dir, const std::string& name,
                    const std::string& text) {
  WriteFile(dir / name, text);
  return (dir / name).string();
}

// Fails with publish_tophash_before_key in the controlled executor.
const char kGhostKey[] =
    "fault: publish_tophash_before_key\n"
    "executor: controlled\n"
    "keys: 1\n"
    "thread 0:\n  insert k0\n"
    "thread 1:\n  find k0\n"
    "decisions:\n  0 0 0 0 1 1 1 1 1 1 1 1 1 1 1 1\n";

TEST(MinimizeCommandTest, UnreadableFileIsExit2) {
  fs::path dir = TempDir("minimize_unreadable");
  EXPECT_EQ(Minimize({(dir / "missing.sched").string()}), kExitUsage);
}

TEST(MinimizeCommandTest, UnparsableSchedIsExit2) {
  fs::path dir = TempDir("minimize_unparsable");
  EXPECT_EQ(
      Minimize({WriteIn(dir, "bad.sched", "keys: 2\nthread 0:\n  find k9\n")}),
      kExitUsage);
}

TEST(MinimizeCommandTest, BadFlagsAreExit2) {
  std::string input =
      WriteIn(TempDir("minimize_flags"), "ghost.sched", kGhostKey);
  EXPECT_EQ(Minimize({input, "--fault", "no_such_fault"}), kExitUsage);
  EXPECT_EQ(Minimize({input, "--trials", "0"}), kExitUsage);
  EXPECT_EQ(Minimize({}), kExitUsage);
}

TEST(MinimizeCommandTest, UnwritableOutputDirIsExit2) {
  fs::path dir = TempDir("minimize_unwritable");
  std::string input = WriteIn(dir, "ghost.sched", kGhostKey);
  // A regular file where a directory should be: no one can write under it.
  std::string blocker = WriteIn(dir, "not_a_dir", "");
  EXPECT_EQ(Minimize({input, "--out", blocker + "/regressions"}), kExitUsage);
  EXPECT_TRUE(fs::is_regular_file(blocker));
}

TEST(MinimizeCommandTest, PassingInputIsExit1) {
  fs::path dir = TempDir("minimize_passing");
  std::string input = WriteIn(dir, "ghost.sched", kGhostKey);
  EXPECT_EQ(
      Minimize({input, "--fault", "none", "--out", (dir / "out").string()}),
      kExitViolation);
}

TEST(MinimizeCommandTest, FailingInputIsSavedWithExit0) {
  fs::path dir = TempDir("minimize_failing");
  std::string input = WriteIn(dir, "ghost.sched", kGhostKey);
  fs::path out = dir / "out";
  ASSERT_EQ(Minimize({input, "--out", out.string(), "--seconds", "20"}),
            kExitOk);
  ASSERT_EQ(FilesIn(out).size(), 1u);
  ASSERT_EQ(Minimize({FilesIn(out)[0].string(), "--out", out.string()}),
            kExitOk);
  EXPECT_EQ(FilesIn(out).size(), 1u);
}

// A campaign against the production map finds nothing; the same campaign
// against a sequential fault finds it, saves it, and the saved case replays
// as a violation on the fault and as a pass on the production map.
TEST(CommandsTest, CampaignFindsSavesAndReplaysAFault) {
  fs::path clean_dir = TempDir("clean");
  std::vector<std::string> clean = {
      "--executor", "serial", "--max-execs", "3000",  "--seconds",
      "60",         "--jobs", "1",           "--out", clean_dir.string()};
  EXPECT_EQ(RunMain(clean), kExitOk);
  EXPECT_TRUE(FilesIn(clean_dir).empty());

  fs::path found_dir = TempDir("found");
  std::vector<std::string> faulty = {"--executor",     "serial",
                                     "--fault",        "size_miscounts_replace",
                                     "--max-execs",    "20000",
                                     "--seconds",      "60",
                                     "--jobs",         "1",
                                     "--max-findings", "1",
                                     "--out",          found_dir.string()};
  EXPECT_EQ(RunMain(faulty), kExitViolation);
  std::vector<fs::path> saved = FilesIn(found_dir);
  ASSERT_EQ(saved.size(), 1u);
  std::vector<std::string> replay_fault = {saved[0].string(), "--from-file"};
  EXPECT_EQ(ReplayMain(replay_fault), kExitViolation);
  std::vector<std::string> replay_production = {saved[0].string(), "--executor",
                                                "serial"};
  EXPECT_EQ(ReplayMain(replay_production), kExitOk);
}

TEST(CommandsTest, GranularityFlagIsCheckedAndForcesTheRun) {
  fs::path dir = TempDir("granularity");
  std::vector<std::string> bad = {"--granularity", "medium", "--out",
                                  dir.string()};
  EXPECT_EQ(RunMain(bad), kExitUsage);
  // A fault only weak granularity can show: a weak campaign finds it, a
  // coarse one on the same inputs does not.
  auto campaign = [&](const std::string& granularity) {
    fs::path out = TempDir("granularity_" + granularity);
    std::vector<std::string> args = {
        "--fault",        "relaxed_tophash_publish",
        "--granularity",  granularity,
        "--max-execs",    "4000",
        "--seconds",      "60",
        "--jobs",         "1",
        "--max-findings", "1",
        "--out",          out.string()};
    return std::pair{RunMain(args), FilesIn(out)};
  };
  auto [coarse_status, coarse_saved] = campaign("coarse");
  EXPECT_EQ(coarse_status, kExitOk);
  EXPECT_TRUE(coarse_saved.empty());
  auto [weak_status, weak_saved] = campaign("weak");
  EXPECT_EQ(weak_status, kExitViolation);
  ASSERT_EQ(weak_saved.size(), 1u);
  // The saved file says its granularity, so replaying it from the file
  // reproduces; forcing coarse granularity on it does not.
  std::ifstream saved(weak_saved[0]);
  std::string text((std::istreambuf_iterator<char>(saved)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("granularity: weak"), std::string::npos) << text;
  std::vector<std::string> replay = {weak_saved[0].string(), "--from-file"};
  EXPECT_EQ(ReplayMain(replay), kExitViolation);
  std::vector<std::string> coarse_replay = {
      weak_saved[0].string(), "--from-file", "--granularity", "coarse"};
  EXPECT_EQ(ReplayMain(coarse_replay), kExitOk);
}

// A map whose find() spins forever without a scheduling point.
class SpinningMap final : public MapAdapter {
 public:
  bool Find(uint64_t, Stamp*) override {
    while (!never_.load(std::memory_order_acquire)) {
    }
    return false;
  }
  bool Insert(uint64_t, const Stamp&) override { return true; }
  void InsertOrAssign(uint64_t, const Stamp&) override {}
  bool Erase(uint64_t) override { return false; }
  size_t Size() override { return 0; }
  void Clear() override {}
  void Reserve(size_t) override {}
  void ForEach(const std::function<void(uint64_t, const Stamp&)>&) override {}

 private:
  std::atomic<bool> never_{false};
};

// A hang while replaying prints the liveness violation like any replayed
// violation, with the file and how to replay it, and exits 1.
TEST(ReplayDeathTest, HangIsReportedWithTheFileAndExitsOne) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto run = [] {
    dup2(STDERR_FILENO, STDOUT_FILENO);  // the report, where EXPECT_EXIT looks
    SetHangHandler([](const HangReport& report) {
      EndReplayOnHang("hung.sched", report);
    });
    Schedule schedule;
    schedule.key_count = 1;
    schedule.threads = {{Operation{OpKind::kFind, 0}}};
    RunOptions options;
    options.executor = ExecutorKind::kControlled;
    options.watchdog = std::chrono::milliseconds(200);
    options.make_map = [] { return std::make_unique<SpinningMap>(); };
    Execute(schedule, options);
  };
  EXPECT_EXIT(run(), ::testing::ExitedWithCode(1),
              "hung.sched: VIOLATION liveness(.|\n)*replay");
}

// A hang in the map ends the campaign with the input saved, its report and
// the summary printed, and exit status 1, instead of a harness that hangs.
TEST(CampaignDeathTest, HangIsSavedReportedAndEndsTheCampaign) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The death test's child re-runs this test from the start in a new
  // process: name the directory after the parent, so both use the same.
  pid_t parent = ::testing::internal::InDeathTestChild() ? getppid() : getpid();
  fs::path out = fs::temp_directory_path() /
                 ("tophash_cli_test_hang_" + std::to_string(parent));
  fs::remove_all(out);
  fs::create_directories(out);
  auto run = [&out] {
    CampaignOptions options;
    options.pipeline.run.executor = ExecutorKind::kControlled;
    options.pipeline.run.watchdog = std::chrono::milliseconds(200);
    options.pipeline.run.make_map = [] {
      return std::make_unique<SpinningMap>();
    };
    options.seconds = 60;
    options.jobs = 1;
    options.out_dir = out.string();
    options.print_summary = [](const CampaignResult& result) {
      std::fprintf(stdout, "SUMMARY violations=%llu saved=%zu\n",
                   static_cast<unsigned long long>(result.violations),
                   result.saved.size());
    };
    RunCampaign(options);
  };
  EXPECT_EXIT(run(), ::testing::ExitedWithCode(1), "");
  // The child saved the input before it ended.
  std::vector<fs::path> saved = FilesIn(out);
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].filename().string().rfind("liveness-", 0), 0u) << saved[0];
  fs::remove_all(out);
}

}  // namespace
}  // namespace thfuzz::cli
