// Tests of the whole pipeline: correct maps are judged linearizable in every
// executor (a self-check of the executors and the checker together), and a
// fault that only the checker can see is caught by it.

#include "harness/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "harness/generator.h"

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
  options.executor = ExecutorKind::kStress;
  options.fault = Fault::kSkipReadValidation;
  EXPECT_EQ(ReplayCommand("crash-1", options),
            "tophash-fuzz replay crash-1 --executor stress --fault "
            "skip_read_validation");
  options.map = MapKind::kOracle;
  EXPECT_EQ(ReplayCommand("crash-1", options),
            "tophash-fuzz replay crash-1 --executor stress --map oracle "
            "--fault skip_read_validation");
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
}

}  // namespace
}  // namespace thfuzz
