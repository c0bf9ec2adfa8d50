// Tests of the executors: determinism, detection of injected faults, and
// clean runs of correct maps.
//
// Detection tests run a real fault in the tophash map and assert the kind of
// violation the executor reports; "clean" tests run enough schedules to
// matter and assert that nothing is reported.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "harness/exec/executor.h"
#include "harness/exec/testing/execution_text.h"
#include "harness/faults.h"
#include "harness/generator.h"

namespace thfuzz {
namespace {

using tophash::Fault;

Operation Op(OpKind kind, uint8_t key = 0) { return {kind, key, 0}; }

RunOptions Options(ExecutorKind executor, Fault fault = Fault::kNone,
                   MapKind map = MapKind::kTophash) {
  RunOptions options;
  options.executor = executor;
  options.fault = fault;
  options.map = map;
  options.stress_timeout = std::chrono::milliseconds(300);
  return options;
}

// Runs generated schedules until one shows a violation; returns it.
std::optional<Violation> FirstViolation(const RunOptions& options,
                                        int max_schedules,
                                        GeneratorOptions generator = {}) {
  for (int seed = 0; seed < max_schedules; ++seed) {
    Execution execution = Execute(GenerateSchedule(seed, generator), options);
    if (execution.violation) return execution.violation;
  }
  return std::nullopt;
}

// ----- Clean runs -----------------------------------------------------------

class CleanRunTest
    : public ::testing::TestWithParam<std::tuple<ExecutorKind, MapKind>> {};

TEST_P(CleanRunTest, GeneratedSchedulesShowNoViolation) {
  auto [executor, map] = GetParam();
  int schedules = executor == ExecutorKind::kStress ? 300 : 2000;
  for (int seed = 0; seed < schedules; ++seed) {
    Schedule schedule = GenerateSchedule(seed);
    Execution execution =
        Execute(schedule, Options(executor, Fault::kNone, map));
    ASSERT_FALSE(execution.violation) << "seed " << seed << "\n"
                                      << DescribeExecution(execution);
    ASSERT_TRUE(execution.history.has_final_state);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllMaps, CleanRunTest,
    ::testing::Values(std::tuple{ExecutorKind::kSerial, MapKind::kTophash},
                      std::tuple{ExecutorKind::kSerial, MapKind::kOracle},
                      std::tuple{ExecutorKind::kSerial, MapKind::kTbb},
                      std::tuple{ExecutorKind::kSerial, MapKind::kCuckoo},
                      std::tuple{ExecutorKind::kControlled, MapKind::kTophash},
                      std::tuple{ExecutorKind::kControlled, MapKind::kOracle},
                      std::tuple{ExecutorKind::kStress, MapKind::kTophash},
                      std::tuple{ExecutorKind::kStress, MapKind::kOracle}),
    [](const auto& info) {
      return std::string(ExecutorName(std::get<0>(info.param))) + "_" +
             std::string(MapKindName(std::get<1>(info.param)));
    });

// ----- Determinism ----------------------------------------------------------

class DeterminismTest : public ::testing::TestWithParam<ExecutorKind> {};

TEST_P(DeterminismTest, SameInputSameHistory) {
  for (Fault fault : {Fault::kNone, Fault::kPublishTophashBeforeKey}) {
    for (int seed = 0; seed < 1000; ++seed) {
      Schedule schedule = GenerateSchedule(seed);
      RunOptions options = Options(GetParam(), fault);
      Execution first = Execute(schedule, options);
      Execution second = Execute(schedule, options);
      ASSERT_EQ(HistoryHash(first.history), HistoryHash(second.history))
          << "seed " << seed << "\nfirst:\n"
          << DescribeExecution(first) << "second:\n"
          << DescribeExecution(second);
      ASSERT_EQ(first.steps, second.steps);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Deterministic, DeterminismTest,
                         ::testing::Values(ExecutorKind::kSerial,
                                           ExecutorKind::kControlled),
                         [](const auto& info) {
                           return std::string(ExecutorName(info.param));
                         });

// ----- Sequential faults in the serial executor -----------------------------

struct FaultCase {
  Fault fault;
  std::set<ViolationKind> kinds;  // what this fault can look like
};

// Generated schedules on `executor` catch `c.fault` within `schedules`,
// showing one of its kinds.
void ExpectCaught(ExecutorKind executor, const FaultCase& c, int schedules) {
  std::optional<Violation> found =
      FirstViolation(Options(executor, c.fault), schedules);
  ASSERT_TRUE(found) << tophash::FaultName(c.fault) << " not caught";
  EXPECT_TRUE(c.kinds.count(found->kind))
      << tophash::FaultName(c.fault) << " showed as "
      << ViolationKindName(found->kind) << ": " << found->summary;
}

class SerialFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(SerialFaultTest, CaughtWithinBoundedSchedules) {
  ExpectCaught(ExecutorKind::kSerial, GetParam(), 2000);
}

const FaultCase kSequentialFaultCases[] = {
    FaultCase{Fault::kEvacuateDropsOverflow,
              {ViolationKind::kLostKey, ViolationKind::kWrongSize,
               ViolationKind::kInvariantFailure}},
    FaultCase{Fault::kTophashMatchIsKeyMatch,
              {ViolationKind::kForeignValue, ViolationKind::kGhostRead}},
    FaultCase{Fault::kEraseMarksEmptyRestEarly,
              {ViolationKind::kLostKey, ViolationKind::kInvariantFailure}},
    FaultCase{Fault::kSizeMiscountsReplace,
              {ViolationKind::kWrongSize, ViolationKind::kInvariantFailure}},
    FaultCase{Fault::kIgnoreOldBucketsWhileGrowing, {ViolationKind::kLostKey}},
    FaultCase{Fault::kEraseMissLeavesWriteOpen,
              {ViolationKind::kLiveness, ViolationKind::kInvariantFailure}}};

INSTANTIATE_TEST_SUITE_P(Faults, SerialFaultTest,
                         ::testing::ValuesIn(kSequentialFaultCases),
                         [](const auto& info) {
                           return std::string(
                               tophash::FaultName(info.param.fault));
                         });

// The cases above are exactly the faults one thread can trigger.
TEST(SerialFaultTest, CoverEverySequentialFault) {
  std::set<Fault> tested;
  for (const FaultCase& c : kSequentialFaultCases) {
    tested.insert(c.fault);
  }
  for (const tophash::FaultInfo& fault : tophash::kFaults) {
    EXPECT_EQ(tested.count(fault.value) == 1, IsSequentialFault(fault.value))
        << fault.name;
  }
}

// ----- Hand-written concurrent cases in the controlled executor -------------

// T0 inserts k0 while T1 looks it up. The decisions run T0 up to the point
// between its key store and its value store, then run T1's whole find.
Schedule GhostKeySchedule() {
  Schedule schedule;
  schedule.key_count = 1;
  schedule.threads = {{Op(OpKind::kInsert)}, {Op(OpKind::kFind)}};
  // T0: start, op start, after lock, after tophash publish (fault) or
  // between key and value (production); then T1 for the rest.
  schedule.decisions = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  return schedule;
}

TEST(ControlledTest, TophashBeforeKeyGivesGhostRead) {
  Execution faulty = Execute(
      GhostKeySchedule(),
      Options(ExecutorKind::kControlled, Fault::kPublishTophashBeforeKey));
  ASSERT_TRUE(faulty.violation) << DescribeExecution(faulty);
  EXPECT_EQ(faulty.violation->kind, ViolationKind::kPhantomValue)
      << DescribeExecution(faulty);
}

TEST(ControlledTest, SameScheduleIsCleanOnProductionMap) {
  Execution clean =
      Execute(GhostKeySchedule(), Options(ExecutorKind::kControlled));
  EXPECT_FALSE(clean.violation) << DescribeExecution(clean);
  // The find overlapped the insert (that is the point of the schedule).
  ASSERT_EQ(clean.history.events.size(), 2u);
  EXPECT_LT(clean.history.events[1].invoke, clean.history.events[0].response);
}

// An erase of an absent key leaves the shard's write section open under the
// liveness fault; the find after it waits forever.
Schedule HangingSchedule() {
  Schedule schedule;
  schedule.key_count = 2;
  schedule.threads = {{Op(OpKind::kErase, 0), Op(OpKind::kFind, 1)},
                      {Op(OpKind::kFind, 1)}};
  return schedule;
}

class LivenessTest : public ::testing::TestWithParam<ExecutorKind> {};

TEST_P(LivenessTest, HangBecomesLivenessViolation) {
  Execution hung = Execute(
      HangingSchedule(), Options(GetParam(), Fault::kEraseMissLeavesWriteOpen));
  ASSERT_TRUE(hung.violation) << DescribeExecution(hung);
  EXPECT_EQ(hung.violation->kind, ViolationKind::kLiveness)
      << DescribeExecution(hung);
  bool some_incomplete = false;
  for (const Event& event : hung.history.events) {
    some_incomplete |= !event.completed;
  }
  EXPECT_TRUE(some_incomplete) << DescribeExecution(hung);

  Execution clean = Execute(HangingSchedule(), Options(GetParam()));
  EXPECT_FALSE(clean.violation) << DescribeExecution(clean);
}

INSTANTIATE_TEST_SUITE_P(AllExecutors, LivenessTest,
                         ::testing::Values(ExecutorKind::kSerial,
                                           ExecutorKind::kControlled,
                                           ExecutorKind::kStress),
                         [](const auto& info) {
                           return std::string(ExecutorName(info.param));
                         });

// ----- Concurrent faults found by generated schedules -----------------------

class ControlledFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(ControlledFaultTest, CaughtWithinBoundedSchedules) {
  ExpectCaught(ExecutorKind::kControlled, GetParam(), 5000);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, ControlledFaultTest,
    ::testing::Values(
        FaultCase{Fault::kPublishTophashBeforeKey,
                  {ViolationKind::kPhantomValue, ViolationKind::kTornValue}},
        FaultCase{Fault::kSkipReadValidation,
                  {ViolationKind::kTornValue, ViolationKind::kForeignValue}},
        FaultCase{Fault::kValueUpdateWithoutVersion,
                  {ViolationKind::kTornValue}},
        FaultCase{Fault::kReclaimWithoutGrace, {ViolationKind::kUseAfterFree}}),
    [](const auto& info) {
      return std::string(tophash::FaultName(info.param.fault));
    });

}  // namespace
}  // namespace thfuzz
