// The watchdog: a map whose wait loop has no scheduling point must end as a
// reported liveness violation, not as a hung harness, under every executor.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "harness/exec/adapter.h"
#include "harness/exec/executor.h"
#include "harness/exec/testing/hanging_map.h"
#include "harness/schedule.h"

namespace thfuzz {
namespace {

// T0 finds k0, T1 inserts it; the decision byte runs T0 first.
Schedule FindBeforeInsert() {
  Schedule schedule;
  schedule.key_count = 1;
  schedule.threads = {{Operation{OpKind::kFind, 0}},
                      {Operation{OpKind::kInsert, 0}}};
  schedule.decisions = {0};
  return schedule;
}

RunOptions Options(ExecutorKind executor, bool never) {
  RunOptions options;
  options.executor = executor;
  options.watchdog = std::chrono::milliseconds(200);
  options.make_map = [never] {
    return std::make_unique<WaitsWithoutPointsMap>(never);
  };
  return options;
}

// The handler a CLI would install: report, then end the process itself.
void ReportAndExit(const HangReport& report) {
  std::fprintf(stderr, "HANG %s: %s\n",
               std::string(ViolationKindName(report.violation.kind)).c_str(),
               report.violation.summary.c_str());
  std::_Exit(3);
}

class WatchdogDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(WatchdogDeathTest, ControlledLoopWithoutPointIsALivenessFinding) {
  EXPECT_EXIT(
      {
        SetHangHandler(ReportAndExit);
        Execute(FindBeforeInsert(),
                Options(ExecutorKind::kControlled, /*never=*/false));
      },
      ::testing::ExitedWithCode(3),
      "HANG liveness: no scheduling point for 200 ms in T0 \\(in T0#0 find "
      "k0\\); its last scheduling point was at the start of its "
      "operation");
}

TEST_F(WatchdogDeathTest, SerialLoopWithoutPointIsALivenessFinding) {
  EXPECT_EXIT(
      {
        SetHangHandler(ReportAndExit);
        Execute(FindBeforeInsert(),
                Options(ExecutorKind::kSerial, /*never=*/true));
      },
      ::testing::ExitedWithCode(3),
      "HANG liveness: no scheduling point for 200 ms in T0 \\(in T0#0 find "
      "k0\\)");
}

TEST_F(WatchdogDeathTest, StressLoopWithoutPointIsALivenessFinding) {
  EXPECT_EXIT(
      {
        SetHangHandler(ReportAndExit);
        Execute(FindBeforeInsert(),
                Options(ExecutorKind::kStress, /*never=*/true));
      },
      ::testing::ExitedWithCode(3),
      "HANG liveness: no scheduling point for 200 ms in T0 \\(in T0#0 find "
      "k0\\)");
}

// Without a handler the watchdog still names the hang, then aborts (which
// is what makes libFuzzer and AFL++ keep the input as a crash).
TEST_F(WatchdogDeathTest, WithoutHandlerItPrintsAndAborts) {
  EXPECT_DEATH(Execute(FindBeforeInsert(),
                       Options(ExecutorKind::kControlled, /*never=*/false)),
               "liveness violation: no scheduling point for 200 ms in T0");
}

// Insert before find, in one thread, never waits: the watchdog only fires
// on a thread that stopped making progress.
TEST(WatchdogTest, AnExecutionThatProgressesIsLeftAlone) {
  Schedule schedule;
  schedule.key_count = 1;
  schedule.threads = {
      {Operation{OpKind::kInsert, 0}, Operation{OpKind::kFind, 0}}};
  for (ExecutorKind executor :
       {ExecutorKind::kSerial, ExecutorKind::kControlled,
        ExecutorKind::kStress}) {
    Execution execution = Execute(schedule, Options(executor, /*never=*/false));
    ASSERT_EQ(execution.history.events.size(), 2u);
    EXPECT_TRUE(execution.history.events[1].completed);
    EXPECT_TRUE(execution.history.events[1].ok);
  }
}

}  // namespace
}  // namespace thfuzz
