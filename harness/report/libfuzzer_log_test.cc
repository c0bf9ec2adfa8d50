// Tests of the libFuzzer log reader on lines copied from real logs of
// controlled_fuzzer (libfuzzer preset, clang-19): an ordinary run, a run
// that crashed, a -fork=2 run, and broken lines.

#include "harness/report/libfuzzer_log.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace thfuzz {
namespace {

std::optional<LibFuzzerLog> Parse(const std::string& text, std::string* error) {
  std::istringstream in(text);
  return ParseLibFuzzerLog(in, "fuzz.log", error);
}

constexpr char kPlainLog[] =
    "==thfuzz== controlled_fuzzer: executor controlled, map tophash, fault "
    "none\n"
    "INFO: Seed: 2596208277\n"
    "INFO:       11 files found in seeds/controlled_fuzzer\n"
    "#12\tINITED cov: 2029 ft: 4347 corp: 10/901b exec/s: 0 rss: 30Mb\n"
    "\tNEW_FUNC[1/1]: 0x55ca41cd79b0 in thfuzz::Scheduler::PickStore()\n"
    "#13\tNEW    cov: 2029 ft: 4469 corp: 11/1055b lim: 321 exec/s: 0 rss: "
    "30Mb L: 154/321 MS: 1 InsertRepeatedBytes-\n"
    "#8192\tpulse  cov: 2600 ft: 11000 corp: 800/120Kb lim: 321 exec/s: 4096 "
    "rss: 40Mb\n"
    "#18114\tDONE   cov: 2690 ft: 12241 corp: 935/148Kb lim: 321 exec/s: "
    "3622 rss: 41Mb\n"
    "###### Recommended dictionary. ######\n"
    "\"\\002\\000\" # Uses: 20\n"
    "Done 18114 runs in 5 second(s)\n"
    "stat::number_of_executed_units: 18114\n"
    "stat::average_exec_per_sec:     3622\n";

TEST(LibFuzzerLogTest, ReadsStatusLinesOfAnOrdinaryRun) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(kPlainLog, &error);
  ASSERT_TRUE(log) << error;
  EXPECT_FALSE(log->fork_mode);
  EXPECT_EQ(log->status_lines, 4u);
  EXPECT_EQ(log->skipped_lines, 0u);
  ASSERT_EQ(log->cov.size(), 4u);
  EXPECT_EQ(log->cov.front().value, 2029);
  EXPECT_EQ(log->cov.back().value, 2690);
  EXPECT_EQ(log->ft.back().value, 12241);
  // Time from executions / exec/s (8192 / 4096 = 2 s); "Done ... in 5
  // second(s)" (whole seconds) never moves it back.
  EXPECT_EQ(log->cov[2].seconds, 2.0);
  EXPECT_NEAR(log->cov[3].seconds, 18114.0 / 3622, 1e-9);
  EXPECT_NEAR(log->seconds, 18114.0 / 3622, 1e-9);
  EXPECT_EQ(log->executions.back().value, 18114);
  EXPECT_EQ(log->findings.back().value, 0);
}

TEST(LibFuzzerLogTest, CountsTheCrashFileOfARunThatCrashed) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(
      "#12\tINITED cov: 2030 ft: 4338 corp: 11/959b exec/s: 0 rss: 30Mb\n"
      "==thfuzz== VIOLATION phantom_value (executor controlled, map tophash)\n"
      "==thfuzz== The engine saves this input as a crash file (libFuzzer: "
      "'Test unit written to ./crash-...' below).\n"
      "==17741== ERROR: libFuzzer: deadly signal\n"
      "MS: 5 ChangeBit-EraseBytes-; base unit: 5d1587d9bd1d3cbd46894614\n"
      "artifact_prefix='/tmp/a/'; Test unit written to "
      "/tmp/a/crash-6c31470fa27678c39b7f65784208181f820eb34b\n"
      "stat::number_of_executed_units: 27\n",
      &error);
  ASSERT_TRUE(log) << error;
  EXPECT_EQ(log->findings.back().value, 1);
  EXPECT_EQ(log->executions.back().value, 27);
}

TEST(LibFuzzerLogTest, DoneGivesTheEndTime) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(
      "#12\tINITED cov: 2029 ft: 4347 corp: 10/901b exec/s: 0 rss: 30Mb\n"
      "Done 40 runs in 61 second(s)\n",
      &error);
  ASSERT_TRUE(log) << error;
  EXPECT_EQ(log->seconds, 61.0);
  EXPECT_EQ(log->executions.back().value, 40);
  EXPECT_EQ(log->executions.back().seconds, 61.0);
}

TEST(LibFuzzerLogTest, SlowUnitsAreNotFindings) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(
      "#12\tINITED cov: 5 ft: 5 corp: 1/1b exec/s: 0 rss: 30Mb\n"
      "artifact_prefix='./'; Test unit written to ./slow-unit-0123abcd\n",
      &error);
  ASSERT_TRUE(log) << error;
  EXPECT_EQ(log->findings.back().value, 0);
}

TEST(LibFuzzerLogTest, ForkModeReadsOnlyTheParentsLines) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(
      "INFO: -fork=2: fuzzing in separate process(s)\n"
      "INFO: -fork=2: 11 seed inputs, starting to fuzz in "
      "/tmp/libFuzzerTemp.FuzzWithFork17493.dir\n"
      "#9272: cov: 2044 ft: 4365 corp: 11 exec/s: 4636 oom/timeout/crash: "
      "0/0/0 time: 2s job: 1 dft_time: 0\n"
      "  NEW_FUNC: 0x564a3aca2990 in thfuzz::check_internal::MapModel\n"
      "#29382: cov: 2662 ft: 11949 corp: 607 exec/s: 2511 oom/timeout/crash: "
      "0/1/0 time: 7s job: 3 dft_time: 0\n"
      "INFO: log from the inner process:\n"
      "#5000\tNEW    cov: 9999 ft: 99999 corp: 3/3b exec/s: 1 rss: 1Mb\n"
      "artifact_prefix='w/'; Test unit written to w/crash-0123\n"
      "stat::number_of_executed_units: 5000\n"
      "INFO: exiting: 1 time: 8s\n",
      &error);
  ASSERT_TRUE(log) << error;
  EXPECT_TRUE(log->fork_mode);
  EXPECT_EQ(log->status_lines, 2u);
  EXPECT_EQ(log->cov.back().value, 2662);  // not the child's 9999
  EXPECT_EQ(log->cov.back().seconds, 7.0);
  // One timeout from the parent's counts, one crash file from the child.
  EXPECT_EQ(log->findings.back().value, 2);
  EXPECT_EQ(log->executions.back().value, 29382);
  EXPECT_EQ(log->executions.back().seconds, 8.0);
}

TEST(LibFuzzerLogTest, SkipsMalformedStatusLinesAndSaysWhereTheFirstWas) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(
      "#12\tINITED cov: 2029 ft: 4347 corp: 10/901b exec/s: 0 rss: 30Mb\n"
      "#13\tNEW    cov: x ft: 4469 corp: 11/1055b exec/s: 0\n"
      "#99999999999999999999999\tNEW cov: 1\n"
      "#14\n"
      "#15\tNEW    cov: 2031 ft: 44",  // cut off by a kill: still a number
      &error);
  ASSERT_TRUE(log) << error;
  EXPECT_EQ(log->status_lines, 2u);
  EXPECT_EQ(log->skipped_lines, 3u);
  EXPECT_EQ(log->first_skipped, "fuzz.log:2: bad value for 'cov:': 'x'");
  EXPECT_EQ(log->cov.back().value, 2031);
}

TEST(LibFuzzerLogTest, ALogWithoutStatusLinesIsAnError) {
  std::string error;
  EXPECT_FALSE(Parse("hello\nINFO: Seed: 1\n", &error));
  EXPECT_NE(error.find("fuzz.log: no libFuzzer status lines"),
            std::string::npos)
      << error;
  EXPECT_FALSE(Parse("#1\tNEW cov: q\n", &error));
  EXPECT_NE(error.find("fuzz.log:1: bad value for 'cov:'"), std::string::npos)
      << error;
}

TEST(LibFuzzerLogTest, AMissingFileIsAnErrorNamingIt) {
  std::string error;
  EXPECT_FALSE(ReadLibFuzzerLog("/nonexistent/fuzz.log", &error));
  EXPECT_EQ(error, "/nonexistent/fuzz.log: no such file");
}

TEST(LibFuzzerLogTest, ALongLogKeepsBoundedSeries) {
  std::string text;
  for (int i = 1; i <= 20000; ++i) {
    text +=
        "#" + std::to_string(i * 10) + "\tNEW    cov: " + std::to_string(i) +
        " ft: " + std::to_string(2 * i) + " corp: 1/1b exec/s: 1000 rss: 1Mb\n";
  }
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(text, &error);
  ASSERT_TRUE(log) << error;
  EXPECT_EQ(log->status_lines, 20000u);
  EXPECT_LE(log->cov.size(), 4 * kMaxPlotPoints);
  EXPECT_EQ(log->cov.back().value, 20000);
  EXPECT_EQ(log->cov.front().value, 1);
}

TEST(LibFuzzerLogTest, AddsFourLabelledSeries) {
  std::string error;
  std::optional<LibFuzzerLog> log = Parse(kPlainLog, &error);
  ASSERT_TRUE(log) << error;
  CampaignPlot plot;
  AddLibFuzzerSeries(*log, "serial_fuzzer", &plot);
  ASSERT_EQ(plot.series.size(), 4u);
  EXPECT_EQ(plot.series[0].name, "serial_fuzzer executions");
  EXPECT_EQ(plot.series[1].panel, PlotPanel::kCoverage);
  EXPECT_EQ(plot.series[2].name, "serial_fuzzer ft");
  EXPECT_EQ(plot.series[3].panel, PlotPanel::kFindings);
}

}  // namespace
}  // namespace thfuzz
