// Tests of the tophash-fuzz commands: flag errors, bad input files, output
// directories, and campaigns that find (or rightly do not find) violations.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "harness/cli/campaign.h"
#include "harness/cli/commands.h"
#include "harness/cli/finding_groups.h"
#include "harness/cli/flags.h"
#include "harness/cli/inputs.h"
#include "harness/exec/adapter.h"
#include "harness/exec/testing/hanging_map.h"

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

// Writes `text` to DIR/NAME and returns the path.
std::string WriteIn(const fs::path& dir, const std::string& name,
                    const std::string& text) {
  WriteFile(dir / name, text);
  return (dir / name).string();
}

// What DIR holds, except a campaign's page (campaign.html, which `run`
// writes next to its findings).
std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename() == "campaign.html") continue;
    files.push_back(entry.path());
  }
  return files;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
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
  EXPECT_NE(missing.error.find("cannot read file: No such file or directory"),
            std::string::npos)
      << missing.error;
}

TEST(InputsTest, DirectoriesEmptyFilesAndUtf8) {
  fs::path dir = TempDir("kinds");
  EXPECT_NE(LoadSchedule(dir.string()).error.find("Is a directory"),
            std::string::npos);
  EXPECT_NE(LoadSchedule("/dev/null").error.find("not a regular file"),
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
            "skip_read_validation --trials 1000\n");
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

// Runs ReplayMain and returns its status with what it printed to stdout
// and stderr.
struct Printed {
  int status;
  std::string out;
  std::string err;
};
Printed Replay(std::vector<std::string> args) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = ReplayMain(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  return {status, out, ::testing::internal::GetCapturedStderr()};
}

// Fails with publish_tophash_before_key in the controlled executor: T1's
// find reads the slot T0's insert has published but not yet filled.
const char kGhostKeyBody[] =
    "keys: 1\n"
    "thread 0:\n  insert k0\n"
    "thread 1:\n  find k0\n"
    "decisions:\n  0 0 0 0 1 1 1 1 1 1 1 1 1 1 1 1\n";

Printed Check(std::vector<std::string> args) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = CheckMain(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  return {status, out, ::testing::internal::GetCapturedStderr()};
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CheckCommandTest, RejectsDirectoriesAndWarnsOnEmptyHistories) {
  fs::path dir = TempDir("check_bad");
  Printed directory = Check({dir.string()});
  EXPECT_EQ(directory.status, kExitUsage);
  EXPECT_NE(directory.err.find("Is a directory"), std::string::npos)
      << directory.err;
  EXPECT_EQ(directory.out.find("linearizable"), std::string::npos);

  Printed missing = Check({(dir / "missing.history").string()});
  EXPECT_EQ(missing.status, kExitUsage);
  EXPECT_NE(missing.err.find("No such file or directory"), std::string::npos)
      << missing.err;

  std::string empty = WriteIn(dir, "empty.history", "");
  Printed warned = Check({empty});
  EXPECT_EQ(warned.status, kExitOk);
  EXPECT_NE(warned.err.find("warning: the history has no operations"),
            std::string::npos)
      << warned.err;

  std::string twice = WriteIn(dir, "twice.history",
                              "T0#0 [1,2] insert k1 T0#0 -> true\n"
                              "T0#0 [3,4] find k1 -> absent\n");
  Printed duplicate = Check({twice});
  EXPECT_EQ(duplicate.status, kExitUsage);
  EXPECT_NE(duplicate.err.find("twice.history:2:"), std::string::npos)
      << duplicate.err;
  EXPECT_NE(duplicate.err.find("already on line 1"), std::string::npos);
}

TEST(CheckCommandTest, ControlBytesInNamesAreEscaped) {
  fs::path dir = TempDir("check_escape");
  std::string name =
      WriteIn(dir, "a\x1b[31mb.history", "T0#0 [1,2] insert k1 T0#0 -> true\n");
  Printed checked = Check({name});
  EXPECT_EQ(checked.status, kExitOk) << checked.err;
  EXPECT_EQ(checked.out.find('\x1b'), std::string::npos) << checked.out;
  EXPECT_EQ(checked.err.find('\x1b'), std::string::npos) << checked.err;
}

TEST(CheckCommandTest, HtmlForCleanViolatingAndEmptyHistories) {
  fs::path dir = TempDir("check_html");
  std::string clean = WriteIn(dir, "clean.history",
                              "T0#0 [1,4] insert k1 T0#0 -> true\n"
                              "T1#0 [2,5] find k1 -> ok T0#0\n");
  Printed ok = Check({clean, "--html", (dir / "clean.html").string()});
  EXPECT_EQ(ok.status, kExitOk) << ok.err;
  std::string page = ReadAll(dir / "clean.html");
  EXPECT_NE(page.find("\"kind\":\"linearizable\""), std::string::npos);
  EXPECT_NE(page.find("\"order\":[0,1]"), std::string::npos);

  std::string lost = WriteIn(dir, "lost.history",
                             "T0#0 [1,2] insert k1 T0#0 -> true\n"
                             "T1#0 [3,4] find k1 -> absent\n");
  Printed bad = Check({lost, "--html", (dir / "lost.html").string()});
  EXPECT_EQ(bad.status, kExitViolation);
  page = ReadAll(dir / "lost.html");
  EXPECT_NE(page.find("\"kind\":\"lost_key\""), std::string::npos);
  EXPECT_NE(page.find("\"offending\":1"), std::string::npos);
  EXPECT_NE(page.find("\"orderIsPrefix\":true"), std::string::npos);

  std::string empty = WriteIn(dir, "empty.history", "");
  Printed nothing = Check({empty, "--html", (dir / "empty.html").string()});
  EXPECT_EQ(nothing.status, kExitOk);
  EXPECT_NE(nothing.out.find("nothing to draw"), std::string::npos)
      << nothing.out;

  Printed two = Check({clean, lost, "--html", (dir / "x.html").string()});
  EXPECT_EQ(two.status, kExitUsage);
  Printed unwritable =
      Check({clean, "--html", (dir / "no" / "x.html").string()});
  EXPECT_EQ(unwritable.status, kExitUsage);
  EXPECT_NE(unwritable.err.find("No such file or directory"), std::string::npos)
      << unwritable.err;
}

TEST(ReplayCommandTest, HtmlForACleanRunCarriesItsLinearization) {
  fs::path dir = TempDir("replay_html");
  std::string input =
      WriteIn(dir, "ghost.sched",
              "executor: controlled\n" + std::string(kGhostKeyBody));
  Printed clean = Replay({input, "--html", (dir / "r.html").string()});
  EXPECT_EQ(clean.status, kExitOk) << clean.out << clean.err;
  std::string page = ReadAll(dir / "r.html");
  EXPECT_NE(page.find("\"kind\":\"linearizable\""), std::string::npos);
  EXPECT_NE(page.find("\"orderIsPrefix\":false"), std::string::npos);
  EXPECT_EQ(page.find("\"order\":[]"), std::string::npos);
  EXPECT_NE(page.find("ghost.sched"), std::string::npos);

  // A schedule without operations: the page exists and the tool says it
  // has nothing to draw.
  std::string empty = WriteIn(dir, "empty.sched", "keys: 1\nthread 0:\n");
  Printed nothing = Replay({empty, "--html", (dir / "e.html").string()});
  EXPECT_EQ(nothing.status, kExitOk) << nothing.out << nothing.err;
  EXPECT_NE(nothing.out.find("nothing to draw"), std::string::npos)
      << nothing.out;
  EXPECT_TRUE(fs::exists(dir / "e.html"));
}

TEST(ReplayCommandTest, UseAfterFreeNamesTheReaderAndTheFreer) {
  fs::path dir = TempDir("uaf");
  std::string input = WriteIn(dir, "uaf.sched",
                              "expect: use_after_free\n"
                              "fault: reclaim_without_grace\n"
                              "executor: controlled\n"
                              "shape: spread\nkeys: 1\nshards: 1\n"
                              "capacity: 0\nseed: 2002670634372386841\n"
                              "thread 0:\n  find k0\n"
                              "thread 1:\n  reserve 13\n");
  Printed replayed = Replay({input, "--html", (dir / "uaf.html").string()});
  EXPECT_EQ(replayed.status, kExitOk) << replayed.out << replayed.err;
  EXPECT_NE(replayed.out.find("T0#0 find(k0) reached freed bucket memory"),
            std::string::npos)
      << replayed.out;
  EXPECT_NE(replayed.out.find("that T1#0 reserve() had"), std::string::npos)
      << replayed.out;
  // The page marks the reader as the offending operation.
  std::string page = ReadAll(dir / "uaf.html");
  EXPECT_EQ(page.find("\"offending\":null"), std::string::npos);
}

TEST(ReplayCommandTest, HonoursTheHeaderAndComparesWithExpect) {
  fs::path dir = TempDir("replay_header");
  std::string header =
      "fault: publish_tophash_before_key\nexecutor: controlled\n";
  // What this input shows with its fault.
  std::string probe = WriteIn(dir, "probe.sched", header + kGhostKeyBody);
  Printed found = Replay({probe});
  ASSERT_EQ(found.status, kExitViolation) << found.out << found.err;
  std::string kind = found.out.substr(found.out.find("VIOLATION ") + 10);
  kind = kind.substr(0, kind.find(' '));
  ASSERT_TRUE(ParseViolationKind(kind)) << found.out;

  // No flags: the header's fault is used, and `expect:` is met.
  std::string expected = WriteIn(
      dir, "expected.sched", "expect: " + kind + "\n" + header + kGhostKeyBody);
  Printed replayed = Replay({expected});
  EXPECT_EQ(replayed.status, kExitOk) << replayed.out << replayed.err;
  EXPECT_NE(replayed.out.find("reproduced " + kind + " as expected"),
            std::string::npos)
      << replayed.out;

  // A flag overrides the header, says so, and the expectation (made for
  // the file's fault) is not compared.
  Printed production = Replay({expected, "--fault", "none"});
  EXPECT_EQ(production.status, kExitOk) << production.out;
  EXPECT_NE(production.out.find(": linearizable"), std::string::npos);
  EXPECT_NE(production.err.find("note: --fault none overrides the file's "
                                "fault: publish_tophash_before_key"),
            std::string::npos)
      << production.err;

  // A different expectation is a mismatch: exit 1, and it says so.
  std::string wrong =
      WriteIn(dir, "wrong.sched",
              "expect: lost_key\n" + header + std::string(kGhostKeyBody));
  Printed mismatch = Replay({wrong});
  EXPECT_EQ(mismatch.status, kExitViolation);
  EXPECT_NE(mismatch.out.find("expected lost_key, got " + kind),
            std::string::npos)
      << mismatch.out;
  std::string expects_pass =
      WriteIn(dir, "pass.sched",
              "expect: pass\n" + header + std::string(kGhostKeyBody));
  Printed fails = Replay({expects_pass});
  EXPECT_EQ(fails.status, kExitViolation);
  EXPECT_NE(fails.out.find("expected pass, got " + kind), std::string::npos)
      << fails.out;
}

TEST(ReplayCommandTest, ThePrintedCommandIsOneCompleteLine) {
  fs::path dir = TempDir("replay_line") / "with space";
  fs::create_directories(dir);
  std::string input =
      WriteIn(dir, "ghost.sched",
              "fault: publish_tophash_before_key\nexecutor: controlled\n" +
                  std::string(kGhostKeyBody));
  Printed found = Replay({input});
  ASSERT_EQ(found.status, kExitViolation) << found.out;
  std::string expected_line = "replay    tophash-fuzz replay '" + input +
                              "' --executor controlled --fault "
                              "publish_tophash_before_key\n";
  EXPECT_NE(found.out.find(expected_line), std::string::npos) << found.out;
}

TEST(ReplayCommandTest, StressReplaysRepeatUntilAFailure) {
  fs::path dir = TempDir("replay_stress");
  // The production map passes every one of the trials it is given.
  std::string input =
      WriteIn(dir, "clean.sched",
              "expect: pass\nexecutor: stress\n" + std::string(kGhostKeyBody));
  Printed passed = Replay({input, "--trials", "7"});
  EXPECT_EQ(passed.status, kExitOk) << passed.out << passed.err;
  EXPECT_NE(passed.out.find("passed as expected (stress, tophash, 2 threads, "
                            "2 ops, 7 trials)"),
            std::string::npos)
      << passed.out;
  EXPECT_EQ(Replay({input, "--trials", "0"}).status, kExitUsage);
}

// `tophash-fuzz minimize`: the command's own checks around the finding
// workflow (harness/minimize/finding_test.cc tests the workflow itself).
int Minimize(std::vector<std::string> args) { return MinimizeMain(args); }

// The same input with its fault and executor in the header.
const std::string kGhostKey =
    "fault: publish_tophash_before_key\nexecutor: controlled\n" +
    std::string(kGhostKeyBody);

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

TEST(CommandsTest, CampaignWritesItsPlotNextToTheFindings) {
  fs::path dir = TempDir("plot");
  std::vector<std::string> args = {
      "--executor",     "serial", "--fault",       "size_miscounts_replace",
      "--max-execs",    "3000",   "--jobs",        "1",
      "--max-findings", "1",      "--no-minimize", "--out",
      dir.string()};
  ::testing::internal::CaptureStdout();
  int status = RunMain(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(status, kExitViolation) << out;
  fs::path page = dir / "campaign.html";
  EXPECT_NE(out.find("  plot         " + page.string() + "\n"),
            std::string::npos)
      << out;
  std::string html = ReadText(page);
  EXPECT_NE(html.find("<svg class=\"plot\" id=\"plot-executions\""),
            std::string::npos);
  EXPECT_NE(html.find("<svg class=\"plot\" id=\"plot-findings\""),
            std::string::npos);
  EXPECT_NE(html.find("violations: 1"), std::string::npos);
  // The text summary is on the page too.
  EXPECT_NE(html.find("campaign summary\n  map          tophash with fault "
                      "size_miscounts_replace"),
            std::string::npos);
}

constexpr char kLibFuzzerLog[] =
    "INFO: Seed: 1\n"
    "#12\tINITED cov: 2029 ft: 4347 corp: 10/901b exec/s: 0 rss: 30Mb\n"
    "#8192\tpulse  cov: 2600 ft: 11000 corp: 800/120Kb exec/s: 4096 rss: "
    "40Mb\n"
    "#9000\tNEW    cov: oops ft: 11001 corp: 801/120Kb exec/s: 4096\n"
    "Done 9000 runs in 2 second(s)\n";

TEST(PlotCampaignCommandTest, DrawsLogsLabelledByTheirTarget) {
  fs::path dir = TempDir("plot_campaign");
  fs::create_directories(dir / "serial_fuzzer");
  std::string log = WriteIn(dir / "serial_fuzzer", "fuzz.log", kLibFuzzerLog);
  std::string other = WriteIn(dir, "codec.log", kLibFuzzerLog);
  std::string summary = WriteIn(dir, "summary.txt", "target  executions\n");
  std::vector<std::string> args = {
      "--out", (dir / "page").string(), "--summary", summary, log, other};
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = PlotCampaignMain(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(status, kExitOk) << out << err;
  EXPECT_NE(out.find("campaign plot written to " +
                     (dir / "page" / "campaign.html").string()),
            std::string::npos);
  // The malformed line is skipped, and said so with its place.
  EXPECT_NE(err.find("1 malformed status line(s) skipped; the first: " + log +
                     ":4: bad value for 'cov:': 'oops'"),
            std::string::npos)
      << err;
  std::string html = ReadText(dir / "page" / "campaign.html");
  EXPECT_NE(html.find("serial_fuzzer cov: 2600"), std::string::npos);
  EXPECT_NE(html.find("codec ft: 11.0k"), std::string::npos);
  EXPECT_NE(html.find("target  executions"), std::string::npos);
}

TEST(PlotCampaignCommandTest, BadInputIsExit2WithTheFileNamed) {
  fs::path dir = TempDir("plot_campaign_bad");
  std::string not_a_log = WriteIn(dir, "notes.txt", "hello\n");
  auto run = [&](std::vector<std::string> args) {
    ::testing::internal::CaptureStderr();
    int status = PlotCampaignMain(args);
    return std::pair{status, ::testing::internal::GetCapturedStderr()};
  };
  auto [status, err] = run({"--out", dir.string(), not_a_log});
  EXPECT_EQ(status, kExitUsage);
  EXPECT_NE(err.find(not_a_log + ": no libFuzzer status lines"),
            std::string::npos)
      << err;
  std::tie(status, err) = run({"--out", dir.string(), (dir / "nope").string()});
  EXPECT_EQ(status, kExitUsage);
  EXPECT_NE(err.find((dir / "nope").string() + ": no such file"),
            std::string::npos)
      << err;
  std::tie(status, err) = run({not_a_log});
  EXPECT_EQ(status, kExitUsage);
  EXPECT_NE(err.find("--out DIR is required"), std::string::npos) << err;
  std::tie(status, err) = run({"--out", dir.string()});
  EXPECT_EQ(status, kExitUsage);
  EXPECT_NE(err.find("no libFuzzer log given"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir / "campaign.html"));
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
  faulty.push_back("--no-minimize");
  EXPECT_EQ(RunMain(faulty), kExitViolation);
  std::vector<fs::path> saved = FilesIn(found_dir);
  ASSERT_EQ(saved.size(), 1u);
  // The header holds the fault and the expectation: a plain replay
  // reproduces it (exit 0), and --fault none is the production map.
  std::vector<std::string> replay_fault = {saved[0].string()};
  EXPECT_EQ(ReplayMain(replay_fault), kExitOk);
  std::vector<std::string> replay_production = {saved[0].string(), "--fault",
                                                "none"};
  EXPECT_EQ(ReplayMain(replay_production), kExitOk);
}

TEST(CommandsTest, CampaignGroupsFindingsAndPrintsTheMinimizedCaseFirst) {
  fs::path dir = TempDir("grouped");
  std::vector<std::string> args = {"--executor",
                                   "controlled",
                                   "--fault",
                                   "publish_tophash_before_key",
                                   "--max-execs",
                                   "3000",
                                   "--seconds",
                                   "60",
                                   "--jobs",
                                   "1",
                                   "--max-findings",
                                   "6",
                                   "--minimize-seconds",
                                   "5",
                                   "--out",
                                   dir.string()};
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = RunMain(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(status, kExitViolation) << out << err;
  // The minimized case comes before the groups and the summary.
  size_t first = out.find("The first bug, minimized (");
  size_t groups = out.find(" bug");
  size_t summary = out.find("campaign summary");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(summary, std::string::npos);
  EXPECT_LT(first, summary);
  EXPECT_NE(groups, std::string::npos);
  EXPECT_NE(out.find("6 findings, "), std::string::npos) << out;
  EXPECT_NE(out.find("    minimized  "), std::string::npos) << out;
  // Every minimized case replays as its printed command says.
  std::vector<fs::path> minimized = FilesIn(dir / "minimized");
  ASSERT_FALSE(minimized.empty());
  for (const fs::path& file : minimized) {
    EXPECT_NE(out.find("tophash-fuzz replay " + file.string()),
              std::string::npos)
        << file;
    std::vector<std::string> replay = {file.string()};
    EXPECT_EQ(ReplayMain(replay), kExitOk) << file;
  }
  // No more bugs than minimized cases, no more findings than saved.
  EXPECT_LE(minimized.size(), 6u);
}

TEST(MutantsCommandTest, WritesOnlyToStdoutOrTheNamedOutput) {
  fs::path dir = TempDir("mutants");
  fs::path previous = fs::current_path();
  fs::current_path(dir);
  fs::create_directories("docs");
  std::vector<std::string> quick = {"--faults",
                                    "size_miscounts_replace",
                                    "--executors",
                                    "serial",
                                    "--seeds",
                                    "1",
                                    "--seconds-per-fault",
                                    "1",
                                    "--minimize-seconds",
                                    "1"};
  ::testing::internal::CaptureStdout();
  int plain = MutantsMain(quick);
  std::string text = ::testing::internal::GetCapturedStdout();
  std::vector<std::string> to_stdout = quick;
  to_stdout.insert(to_stdout.end(), {"--out", "-"});
  ::testing::internal::CaptureStdout();
  int dash = MutantsMain(to_stdout);
  std::string markdown = ::testing::internal::GetCapturedStdout();
  std::vector<std::string> to_file = quick;
  to_file.insert(to_file.end(), {"--out", "table.md"});
  ::testing::internal::CaptureStdout();
  int file = MutantsMain(to_file);
  std::string wrote = ::testing::internal::GetCapturedStdout();
  std::vector<fs::path> docs = FilesIn("docs");
  bool table_written = fs::exists("table.md");
  std::string table = ReadAll("table.md");
  fs::current_path(previous);

  EXPECT_EQ(plain, kExitOk) << text;
  EXPECT_EQ(dash, kExitOk);
  EXPECT_EQ(file, kExitOk);
  EXPECT_TRUE(docs.empty()) << "mutants wrote into docs/ unasked";
  EXPECT_NE(text.find("size_miscounts_replace"), std::string::npos) << text;
  EXPECT_EQ(text.find("wrote "), std::string::npos);
  EXPECT_NE(markdown.find("| "), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("tophash-fuzz mutants"), std::string::npos);
  ASSERT_TRUE(table_written);
  EXPECT_NE(table.find("size_miscounts_replace"), std::string::npos);
  EXPECT_NE(wrote.find("wrote table.md"), std::string::npos) << wrote;
}

TEST(FindingGroupsTest, ShapeNamesEachThreadsOperations) {
  Schedule schedule;
  schedule.threads.resize(3);
  schedule.threads[0].push_back({});
  schedule.threads[0].back().kind = OpKind::kInsert;
  schedule.threads[2].push_back({});
  schedule.threads[2].back().kind = OpKind::kFind;
  EXPECT_EQ(ShapeOf(schedule), "T0 insert | T2 find");
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
        "--no-minimize",  "--out",
        out.string()};
    return std::pair{RunMain(args), FilesIn(out)};
  };
  auto [coarse_status, coarse_saved] = campaign("coarse");
  EXPECT_EQ(coarse_status, kExitOk);
  EXPECT_TRUE(coarse_saved.empty());
  auto [weak_status, weak_saved] = campaign("weak");
  EXPECT_EQ(weak_status, kExitViolation);
  ASSERT_EQ(weak_saved.size(), 1u);
  // The saved file says its granularity, so replaying it reproduces the
  // header's expectation; forcing coarse granularity on it does not, and
  // that run is not compared with the expectation (a weak one).
  std::ifstream saved(weak_saved[0]);
  std::string text((std::istreambuf_iterator<char>(saved)),
                   std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("granularity: weak"), std::string::npos) << text;
  std::vector<std::string> replay = {weak_saved[0].string()};
  ::testing::internal::CaptureStdout();
  int weak_replay = ReplayMain(replay);
  std::string weak_out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(weak_replay, kExitOk) << weak_out;
  EXPECT_NE(weak_out.find("as expected (controlled, tophash, fault "
                          "relaxed_tophash_publish, weak,"),
            std::string::npos)
      << weak_out;
  std::vector<std::string> coarse_replay = {weak_saved[0].string(),
                                            "--granularity", "coarse"};
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int coarse = ReplayMain(coarse_replay);
  std::string coarse_out = ::testing::internal::GetCapturedStdout();
  std::string coarse_err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(coarse, kExitOk) << coarse_out << coarse_err;
  EXPECT_NE(coarse_out.find(": linearizable (controlled, tophash, fault "
                            "relaxed_tophash_publish, coarse,"),
            std::string::npos)
      << coarse_out;
  EXPECT_NE(coarse_err.find("at weak granularity, so this run is not "
                            "compared with it"),
            std::string::npos)
      << coarse_err;
}

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
    options.make_map = [] {
      return std::make_unique<WaitsWithoutPointsMap>(/*never=*/true);
    };
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
      return std::make_unique<WaitsWithoutPointsMap>(/*never=*/true);
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
