// rapidcheck properties over whole schedules.
//
// Generated schedules (rc::Arbitrary<Schedule>, harness/codec/schedule_gen.h)
// must be linearizable on the production map in the deterministic
// executors; and for injected faults, rapidcheck must find a failing
// schedule and shrink it to a small one (those tests expect the property to
// fail, and check how small the counterexample became). rapidcheck prints a
// "properties had failures" note at exit because of those expected failures.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <optional>

#include "harness/codec/sched_text.h"
#include "harness/codec/schedule_gen.h"
#include "harness/pipeline/pipeline.h"

namespace thfuzz {
namespace {

using tophash::Fault;

PipelineOptions Options(ExecutorKind executor, Fault fault = Fault::kNone) {
  PipelineOptions options;
  options.run.executor = executor;
  options.run.fault = fault;
  return options;
}

RC_GTEST_PROP(ScheduleProperty, ProductionMapIsLinearizableInControlled,
              (const Schedule& schedule)) {
  Outcome outcome = RunAndCheck(schedule, Options(ExecutorKind::kControlled));
  RC_ASSERT(outcome.verdict == Verdict::kLinearizable);
}

RC_GTEST_PROP(ScheduleProperty, ProductionMapIsLinearizableInSerial,
              (const Schedule& schedule)) {
  Outcome outcome = RunAndCheck(schedule, Options(ExecutorKind::kSerial));
  RC_ASSERT(outcome.verdict == Verdict::kLinearizable);
}

// Runs "the map is linearizable" under `fault` and returns the smallest
// failing schedule rapidcheck met while shrinking, or nullopt if the
// property held.
std::optional<Schedule> ShrunkCounterexample(ExecutorKind executor, Fault fault,
                                             int max_success) {
  std::optional<Schedule> smallest;
  // Coarse granularity, whatever the generated schedule asks for: the
  // faults here need no finer one, and shrinking then works on operations
  // alone instead of also on the map's every access.
  PipelineOptions options = Options(executor, fault);
  options.run.granularity = Granularity::kCoarse;
  auto property = [&](const Schedule& schedule) {
    Outcome outcome = RunAndCheck(schedule, options);
    if (outcome.verdict == Verdict::kViolation &&
        (!smallest || schedule.TotalOps() < smallest->TotalOps())) {
      smallest = schedule;
    }
    RC_ASSERT(outcome.verdict != Verdict::kViolation);
  };
  rc::detail::TestParams params;
  params.seed = 20261129;  // reproducible
  params.maxSuccess = max_success;
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(tophash::FaultName(fault));
  rc::detail::TestResult result =
      rc::detail::checkTestable(property, metadata, params);
  rc::detail::FailureResult failure;
  if (!result.match(failure)) return std::nullopt;
  return smallest;
}

TEST(ScheduleProperty, FindsAndShrinksSizeMiscountInSerial) {
  std::optional<Schedule> found = ShrunkCounterexample(
      ExecutorKind::kSerial, Fault::kSizeMiscountsReplace, 1000);
  ASSERT_TRUE(found) << "rapidcheck did not find size_miscounts_replace";
  // Two writes of one key are enough: the second miscounts.
  EXPECT_LE(found->TotalOps(), 3u) << PrintSchedule(*found);
}

TEST(ScheduleProperty, FindsAndShrinksGhostKeyInControlled) {
  std::optional<Schedule> found = ShrunkCounterexample(
      ExecutorKind::kControlled, Fault::kPublishTophashBeforeKey, 3000);
  ASSERT_TRUE(found) << "rapidcheck did not find publish_tophash_before_key";
  // An insert racing a find on the same key.
  EXPECT_LE(found->TotalOps(), 4u) << PrintSchedule(*found);
  EXPECT_GE(found->threads.size(), 2u);
}

}  // namespace
}  // namespace thfuzz
