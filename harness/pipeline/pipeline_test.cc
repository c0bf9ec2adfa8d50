// Tests of the whole pipeline: correct maps are judged linearizable in every
// executor (a self-check of the executors and the checker together), and a
// fault that only the checker can see is caught by it.

#include "harness/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "harness/generator.h"
#include "harness/pipeline/outcome_report.h"
#include "harness/report/html_report.h"

namespace thfuzz {
namespace {

using tophash::Fault;

PipelineOptions Options(ExecutorKind executor, MapKind map,
                        Fault fault = Fault::kNone) {
  PipelineOptions options;
  options.run.executor = executor;
  options.run.map = map;
  options.run.fault = fault;
  return options;
}

std::string Describe(const Outcome& outcome) {
  return std::string(VerdictName(outcome.verdict)) + " " +
         std::string(ViolationKindName(outcome.violation.kind)) + ": " +
         outcome.violation.summary + " " + outcome.unknown_reason + "\n" +
         PrintHistory(outcome.execution.history);
}

// libcuckoo is missing on purpose from the stress rows: its size() sums
// per-lock counters without taking the locks, so it is not linearizable
// under concurrent writes, and the stress executor finds exactly that
// (`tophash-fuzz run --map cuckoo --executor stress` reports wrong_size
// within seconds). That is libcuckoo's documented behaviour, not a bug of
// the harness.
class LinearizableTest
    : public ::testing::TestWithParam<std::tuple<ExecutorKind, MapKind>> {};

TEST_P(LinearizableTest, GeneratedSchedulesAreLinearizable) {
  auto [executor, map] = GetParam();
  int schedules = executor == ExecutorKind::kStress ? 300 : 1000;
  int checked = 0;
  for (int seed = 0; seed < schedules; ++seed) {
    Outcome outcome =
        RunAndCheck(GenerateSchedule(seed), Options(executor, map));
    ASSERT_EQ(outcome.verdict, Verdict::kLinearizable)
        << "seed " << seed << "\n"
        << Describe(outcome);
    checked += outcome.checker_ran;
  }
  EXPECT_EQ(checked, schedules);
}

INSTANTIATE_TEST_SUITE_P(
    CorrectMaps, LinearizableTest,
    ::testing::Values(std::tuple{ExecutorKind::kSerial, MapKind::kTophash},
                      std::tuple{ExecutorKind::kSerial, MapKind::kOracle},
                      std::tuple{ExecutorKind::kControlled, MapKind::kTophash},
                      std::tuple{ExecutorKind::kControlled, MapKind::kOracle},
                      std::tuple{ExecutorKind::kStress, MapKind::kTophash},
                      std::tuple{ExecutorKind::kStress, MapKind::kOracle},
                      std::tuple{ExecutorKind::kStress, MapKind::kTbb}),
    [](const auto& info) {
      return std::string(ExecutorName(std::get<0>(info.param))) + "_" +
             std::string(MapKindName(std::get<1>(info.param)));
    });

// Two inserters claiming the same slot lose a key without any value ever
// being torn: only the history (or the final state) shows it.
TEST(PipelineTest, InsertWithoutShardLockIsCaught) {
  const std::set<ViolationKind> expected = {
      ViolationKind::kLostKey, ViolationKind::kWrongSize,
      ViolationKind::kBadFinalState, ViolationKind::kInvariantFailure};
  for (int seed = 0; seed < 5000; ++seed) {
    Outcome outcome =
        RunAndCheck(GenerateSchedule(seed),
                    Options(ExecutorKind::kControlled, MapKind::kTophash,
                            Fault::kInsertWithoutShardLock));
    if (outcome.verdict != Verdict::kViolation) continue;
    EXPECT_TRUE(expected.count(outcome.violation.kind)) << Describe(outcome);
    return;
  }
  FAIL() << "insert_without_shard_lock was not caught in 5000 schedules";
}

TEST(PipelineTest, ReplayCommandNamesEverythingNeeded) {
  RunOptions options;
  options.executor = ExecutorKind::kControlled;
  // The fault is named even when it is none: replay would otherwise take a
  // .sched header's fault.
  EXPECT_EQ(ReplayCommand("crash-1", options),
            "tophash-fuzz replay crash-1 --executor controlled --fault none");
  options.executor = ExecutorKind::kStress;
  options.fault = Fault::kSkipReadValidation;
  EXPECT_EQ(ReplayCommand("crash-1", options),
            "tophash-fuzz replay crash-1 --executor stress --fault "
            "skip_read_validation --trials 1000");
  options.map = MapKind::kOracle;
  options.fault = Fault::kNone;
  EXPECT_EQ(ReplayCommand("crash-1", options),
            "tophash-fuzz replay crash-1 --executor stress --fault none --map "
            "oracle --trials 1000");
}

TEST(PipelineTest, ReplayCommandQuotesWhatAShellWouldSplit) {
  RunOptions options;
  EXPECT_EQ(ReplayCommand("my finds/it's.sched", options),
            "tophash-fuzz replay 'my finds/it'\\''s.sched' --executor "
            "controlled --fault none");
  EXPECT_EQ(ShellQuote("corpus/regressions/a-1.sched"),
            "corpus/regressions/a-1.sched");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("$(rm -rf x)"), "'$(rm -rf x)'");
  EXPECT_EQ(ShellQuote("a\nb"), "'a\nb'");
}

TEST(PipelineTest, FuzzerReplayCommandSetsTheEnvironment) {
  RunOptions options;
  EXPECT_EQ(FuzzerReplayCommand("./serial_fuzzer", "crash-1", options),
            "./serial_fuzzer crash-1");
  options.fault = Fault::kSkipReadValidation;
  options.map = MapKind::kOracle;
  EXPECT_EQ(FuzzerReplayCommand("./serial_fuzzer", "crash-1", options),
            "THFUZZ_FAULT=skip_read_validation THFUZZ_MAP=oracle "
            "./serial_fuzzer crash-1");
  EXPECT_EQ(FuzzerReplayCommand("./serial_fuzzer", "crash 2", {}),
            "./serial_fuzzer 'crash 2'");
}

// A granularity that is not the input's own is named, or the pasted
// command would run the input at its own.
TEST(PipelineTest, ReplayCommandsNameAForcedGranularity) {
  RunOptions options;
  options.granularity = Granularity::kWeak;
  EXPECT_EQ(ReplayCommand("crash-1", options),
            "tophash-fuzz replay crash-1 --executor controlled --fault none "
            "--granularity weak");
  EXPECT_EQ(FuzzerReplayCommand("./controlled_fuzzer", "crash-1", options),
            "THFUZZ_GRANULARITY=weak ./controlled_fuzzer crash-1");
}

// The report of a traced fine or weak run says its granularity and carries
// the scheduler's trace, so the HTML page can mark the context switches on
// the lanes; a coarse run's report says neither.
TEST(PipelineTest, ReportContextOfAFineRunHasGranularityAndTrace) {
  Schedule schedule;
  schedule.key_count = 1;
  schedule.threads = {{Operation{OpKind::kInsert, 0}},
                      {Operation{OpKind::kFind, 0}}};
  schedule.granularity = Granularity::kFine;
  PipelineOptions options =
      Options(ExecutorKind::kControlled, MapKind::kTophash);
  options.run.trace = true;
  Outcome outcome = RunAndCheck(schedule, options);
  ASSERT_EQ(outcome.verdict, Verdict::kLinearizable) << Describe(outcome);
  ASSERT_FALSE(outcome.execution.trace.empty());
  ReportContext context = ContextFor(outcome, options.run, "", false);
  EXPECT_EQ(context.granularity, "fine");
  ASSERT_EQ(context.trace.size(), outcome.execution.trace.size());
  EXPECT_EQ(context.trace[0].text, outcome.execution.trace[0].text);
  EXPECT_EQ(context.trace[0].time, outcome.execution.trace[0].time);
  EXPECT_EQ(context.trace[0].thread, outcome.execution.trace[0].thread);
  std::string html = HtmlReportFor(outcome, options.run, "");
  EXPECT_NE(html.find("\"kind\":\"switch\""), std::string::npos);

  schedule.granularity = Granularity::kCoarse;
  options.run.trace = false;
  Outcome coarse = RunAndCheck(schedule, options);
  ReportContext coarse_context = ContextFor(coarse, options.run, "", false);
  EXPECT_EQ(coarse_context.granularity, "");
  EXPECT_TRUE(coarse_context.trace.empty());
}

}  // namespace
}  // namespace thfuzz
