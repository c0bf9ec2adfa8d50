// Tests of the tophash-fuzz commands: flag errors, bad input files, output
// directories, and campaigns that find (or rightly do not find) violations.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/flags.h"
#include "harness/cli/inputs.h"

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

}  // namespace
}  // namespace thfuzz::cli
