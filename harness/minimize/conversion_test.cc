// A real stress finding, converted into a deterministic controlled case and
// minimized: the path `tophash-fuzz minimize --executor stress` takes.

#include <gtest/gtest.h>

#include <optional>

#include "harness/generator.h"
#include "harness/minimize/controlled_conversion.h"
#include "harness/minimize/failure_predicate.h"
#include "harness/minimize/minimizer.h"
#include "harness/minimize/schedule_cost.h"

namespace thfuzz {
namespace {

using tophash::Fault;

PipelineOptions Options(ExecutorKind executor, Fault fault) {
  return {.run = {.executor = executor,
                  .fault = fault,
                  .stress_timeout = std::chrono::milliseconds(300)}};
}

struct Finding {
  Schedule schedule;
  ViolationKind kind;
};

// Stress findings differ from run to run; drawing them from small schedules
// keeps what the minimizer starts from (and so what it ends with) in a
// narrow range, so the size bounds below hold on every run.
std::optional<Finding> FindWithStress(Fault fault) {
  PipelineOptions stress = Options(ExecutorKind::kStress, fault);
  GeneratorOptions small;
  small.max_threads = 3;
  small.max_ops_per_thread = 6;
  small.fill_percent = 0;
  for (uint64_t seed = 0; seed < 20000; ++seed) {
    Schedule schedule = GenerateSchedule(seed, small);
    Outcome outcome = RunAndCheck(schedule, stress);
    if (outcome.verdict == Verdict::kViolation) {
      return Finding{schedule, outcome.violation.kind};
    }
  }
  return std::nullopt;
}

struct ConversionCase {
  Fault fault;
  size_t max_threads;  // what the minimized controlled case may keep
  size_t max_operations;
};

class StressConversionTest : public ::testing::TestWithParam<ConversionCase> {
 protected:
  Fault fault() const { return GetParam().fault; }
};

TEST_P(StressConversionTest, BecomesASmallDeterministicControlledCase) {
  std::optional<Finding> found = FindWithStress(fault());
  ASSERT_TRUE(found) << "the stress executor found nothing";

  PipelineOptions controlled = Options(ExecutorKind::kControlled, fault());
  FailurePredicate fails = ShowsViolation(found->kind, controlled, nullptr);
  ConversionResult conversion =
      FindControlledReproduction(found->schedule, fails);
  ASSERT_TRUE(conversion.controlled)
      << "no controlled schedule in " << conversion.attempts << " tries";
  // Only the seed and the decisions may differ: the same test case.
  EXPECT_EQ(conversion.controlled->threads, found->schedule.threads);

  MinimizeOptions options;
  options.reseed_tries = 32;
  MinimizeResult result = Minimize(*conversion.controlled, fails, options);
  EXPECT_EQ(result.stop, MinimizeStop::kFixpoint);
  ScheduleSize size = SizeOf(result.schedule);
  EXPECT_GE(size.threads, 2u);  // a concurrent fault needs two threads
  EXPECT_LE(size.threads, GetParam().max_threads);
  EXPECT_LE(size.operations, GetParam().max_operations);
  EXPECT_LT(size.operations, found->schedule.TotalOps());

  // Deterministic: every replay shows the same violation.
  for (int i = 0; i < 5; ++i) {
    Outcome outcome = RunAndCheck(result.schedule, controlled);
    ASSERT_EQ(outcome.verdict, Verdict::kViolation);
    EXPECT_EQ(outcome.violation.kind, found->kind);
  }
  // And it is a bug of the fault, not of the harness.
  Outcome production = RunAndCheck(
      result.schedule, Options(ExecutorKind::kControlled, Fault::kNone));
  EXPECT_EQ(production.verdict, Verdict::kLinearizable);
}

INSTANTIATE_TEST_SUITE_P(
    ConcurrentFaults, StressConversionTest,
    ::testing::Values(
        // The ghost key: insert || find. What a stress finding starts from
        // varies run to run, and 1-minimality is relative to the re-seeds
        // tried, so a few setup operations sometimes stay (7 seen under
        // TSan); the 2-operation case is what the controlled path gives
        // (docs/kill-table.md).
        ConversionCase{Fault::kPublishTophashBeforeKey, 2, 8},
        // A torn value needs a replace during a read,
        // sometimes after setup (and a third thread) the minimizer keeps.
        ConversionCase{Fault::kValueUpdateWithoutVersion, 3, 12}),
    [](const auto& info) {
      return std::string(tophash::FaultName(info.param.fault));
    });

}  // namespace
}  // namespace thfuzz
