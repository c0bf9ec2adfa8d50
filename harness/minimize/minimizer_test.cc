// Tests of the minimizer on synthetic failures with a known minimal core:
// the exact 1-minimal result, the pair and decision passes, budgets and
// interrupts, and the N-trials logic for flaky (stress-like) predicates.

#include "harness/minimize/minimizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "harness/codec/sched_text.h"
#include "harness/minimize/failure_predicate.h"

namespace thfuzz {
namespace {

Operation Op(OpKind kind, uint8_t key = 0) { return {kind, key, 0}; }

// Four threads, ten keys, many operations, decisions and map settings:
// insert k5 sits in thread 1 and find k5 in thread 3, among noise.
Schedule NoisySchedule() {
  Schedule s;
  s.key_shape = KeyShape::kCollide;
  s.key_count = 10;
  s.shards_log2 = 2;
  s.initial_capacity = 37;
  s.seed = 12345;
  s.threads = {
      {Op(OpKind::kInsert, 1),
       Op(OpKind::kErase, 2),
       Op(OpKind::kSize),
       {OpKind::kReserve, 0, 100}},
      {Op(OpKind::kFind, 7), Op(OpKind::kInsertOrAssign, 3),
       Op(OpKind::kInsert, 5), Op(OpKind::kClear)},
      {Op(OpKind::kErase, 9), Op(OpKind::kFind, 5), Op(OpKind::kInsert, 8)},
      {Op(OpKind::kInsert, 4), Op(OpKind::kFind, 5), Op(OpKind::kErase, 5)},
  };
  s.decisions = {3, 200, 17, 0, 9, 4, 4, 250, 1, 1, 99};
  return s;
}

bool ThreadHas(const std::vector<Operation>& ops, OpKind kind, uint8_t key) {
  for (const Operation& op : ops) {
    if (op.kind == kind && op.key == key) return true;
  }
  return false;
}

// Fails iff one thread inserts `key` and another thread finds it.
bool InsertAndFindInTwoThreads(const Schedule& s, uint8_t key) {
  for (size_t a = 0; a < s.threads.size(); ++a) {
    for (size_t b = 0; b < s.threads.size(); ++b) {
      if (a != b && ThreadHas(s.threads[a], OpKind::kInsert, key) &&
          ThreadHas(s.threads[b], OpKind::kFind, key)) {
        return true;
      }
    }
  }
  return false;
}

Schedule TwoThreadCore(uint8_t key, uint8_t key_count) {
  Schedule s;
  s.key_count = key_count;
  s.threads = {{Op(OpKind::kInsert, key)}, {Op(OpKind::kFind, key)}};
  return s;
}

std::string Text(const Schedule& s) { return PrintSchedule(s); }

TEST(MinimizerTest, FindsTheExactCoreOfAFixedKey) {
  FailurePredicate fails = [](const Schedule& s) {
    return InsertAndFindInTwoThreads(s, 5);
  };
  MinimizeResult result = Minimize(NoisySchedule(), fails);
  EXPECT_EQ(result.stop, MinimizeStop::kFixpoint);
  EXPECT_TRUE(result.one_minimal());
  // Key 5 must stay key 5, so the key count shrinks to 6, not to 1.
  EXPECT_EQ(Text(result.schedule), Text(TwoThreadCore(5, 6)));
}

TEST(MinimizerTest, RenamesAnyKeyToTheSmallestIndex) {
  FailurePredicate fails = [](const Schedule& s) {
    for (uint8_t key = 0; key < s.key_count; ++key) {
      if (InsertAndFindInTwoThreads(s, key)) return true;
    }
    return false;
  };
  MinimizeResult result = Minimize(NoisySchedule(), fails);
  EXPECT_EQ(result.stop, MinimizeStop::kFixpoint);
  EXPECT_EQ(Text(result.schedule), Text(TwoThreadCore(0, 1)));
}

// Removing either half of an insert/erase pair makes the failure go away;
// removing both keeps it. Only the pair pass gets rid of them.
TEST(MinimizerTest, DropsOperationPairsTogether) {
  Schedule input;
  input.key_count = 3;
  input.threads = {{Op(OpKind::kInsert, 2), Op(OpKind::kFind, 1)},
                   {Op(OpKind::kErase, 2)}};
  FailurePredicate fails = [](const Schedule& s) {
    int balance = 0;
    bool finds = false;
    for (const auto& ops : s.threads) {
      for (const Operation& op : ops) {
        if (op.kind == OpKind::kInsert && op.key == 2) ++balance;
        if (op.kind == OpKind::kErase && op.key == 2) --balance;
        if (op.kind == OpKind::kFind && op.key == 1) finds = true;
      }
    }
    return finds && balance == 0;
  };
  MinimizeResult result = Minimize(input, fails);
  Schedule expected;
  expected.key_count = 2;
  expected.threads = {{Op(OpKind::kFind, 1)}};
  EXPECT_EQ(Text(result.schedule), Text(expected));
}

TEST(MinimizerTest, TruncatesAndLowersDecisions) {
  Schedule input = TwoThreadCore(0, 1);
  input.decisions = {200, 77, 9, 13, 255, 4, 4};
  FailurePredicate fails = [](const Schedule& s) {
    return s.decisions.size() >= 3 && s.decisions[2] % 2 == 1;
  };
  MinimizeResult result = Minimize(input, fails);
  EXPECT_EQ(result.schedule.decisions, (std::vector<uint8_t>{0, 0, 1}));
  // Operations do not matter to this predicate, so they all go.
  EXPECT_EQ(result.schedule.TotalOps(), 0u);
  EXPECT_EQ(result.schedule.threads.size(), 1u);
}

TEST(MinimizerTest, SimplifiesOperations) {
  Schedule input;
  input.key_count = 1;
  input.threads = {
      {Op(OpKind::kInsertOrAssign, 0), {OpKind::kReserve, 0, 900}}};
  FailurePredicate fails = [](const Schedule& s) {
    return s.TotalOps() == 2 && IsWrite(s.threads[0][0].kind) &&
           s.threads[0][1].kind == OpKind::kReserve &&
           s.threads[0][1].amount >= 100;
  };
  MinimizeResult result = Minimize(input, fails);
  ASSERT_EQ(result.schedule.TotalOps(), 2u);
  EXPECT_EQ(result.schedule.threads[0][0].kind, OpKind::kInsert);
  // Halving stops at the last amount that still fails: 900 -> 450 -> 225 ->
  // 112 (56 would pass).
  EXPECT_EQ(result.schedule.threads[0][1].amount, 112u);
}

TEST(MinimizerTest, MovesSetupIntoThreadZero) {
  Schedule input;
  input.key_count = 2;
  input.threads = {{Op(OpKind::kFind, 0)},
                   {Op(OpKind::kInsert, 1), Op(OpKind::kInsert, 0)}};
  // Needs: insert k1 anywhere before-or-in any thread; insert k0 and find k0
  // in different threads.
  FailurePredicate fails = [](const Schedule& s) {
    bool has_k1 = false;
    for (const auto& ops : s.threads)
      has_k1 |= ThreadHas(ops, OpKind::kInsert, 1);
    return has_k1 && InsertAndFindInTwoThreads(s, 0);
  };
  MinimizeResult result = Minimize(input, fails);
  ASSERT_EQ(result.schedule.threads.size(), 2u);
  // The insert of k1 left the concurrent part for thread 0; key renaming
  // then swapped nothing, since k0 and k1 are both needed.
  EXPECT_EQ(result.schedule.threads[1].size(), 1u);
  EXPECT_EQ(result.schedule.threads[0].size(), 2u);
}

TEST(MinimizerTest, ExecutionBudgetKeepsTheBestFailingCase) {
  FailurePredicate fails = [](const Schedule& s) {
    return InsertAndFindInTwoThreads(s, 5);
  };
  MinimizeOptions options;
  options.max_executions = 5;
  MinimizeResult result = Minimize(NoisySchedule(), fails, options);
  EXPECT_EQ(result.stop, MinimizeStop::kExecutionBudget);
  EXPECT_FALSE(result.one_minimal());
  EXPECT_EQ(result.executions, 5u);
  EXPECT_TRUE(fails(result.schedule));
}

TEST(MinimizerTest, InterruptStopsAtOnceWithTheInput) {
  std::atomic<bool> interrupt{true};
  MinimizeOptions options;
  options.interrupt = &interrupt;
  MinimizeResult result = Minimize(
      NoisySchedule(), [](const Schedule&) { return true; }, options);
  EXPECT_EQ(result.stop, MinimizeStop::kInterrupted);
  EXPECT_EQ(result.executions, 0u);
  EXPECT_EQ(result.schedule, NoisySchedule());
}

TEST(MinimizerTest, ReportsProgress) {
  int reports = 0;
  MinimizeOptions options;
  options.progress_interval = std::chrono::milliseconds(0);
  options.on_progress = [&](const MinimizeProgress& progress) {
    ++reports;
    EXPECT_NE(progress.best, nullptr);
  };
  MinimizeResult result = Minimize(
      NoisySchedule(),
      [](const Schedule& s) { return InsertAndFindInTwoThreads(s, 5); },
      options);
  EXPECT_EQ(static_cast<uint64_t>(reports), result.executions);
}

// ----- Flaky predicates (the stress executor's situation) ------------------

// Fails on every third call, and only for schedules that contain the core.
struct FlakyFailure {
  std::shared_ptr<int> calls = std::make_shared<int>(0);
  bool operator()(const Schedule& s) const {
    bool third = ++*calls % 3 == 0;
    return third && InsertAndFindInTwoThreads(s, 5);
  }
};

TEST(FlakyPredicateTest, OneTrialMissesTwoRunsInThree) {
  FlakyFailure flaky;
  FailurePredicate once = AnyOfTrials(flaky, 1);
  Schedule core = TwoThreadCore(5, 6);
  int failures = 0;
  for (int i = 0; i < 9; ++i) failures += once(core);
  EXPECT_EQ(failures, 3);
}

TEST(FlakyPredicateTest, ThreeTrialsAlwaysSeeTheFailure) {
  FlakyFailure flaky;
  FailurePredicate any_of_three = AnyOfTrials(flaky, 3);
  Schedule core = TwoThreadCore(5, 6);
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(any_of_three(core));
  // A schedule without the core is tried all three times before it counts
  // as passing.
  int before = *flaky.calls;
  EXPECT_FALSE(any_of_three(TwoThreadCore(4, 6)));
  EXPECT_EQ(*flaky.calls - before, 3);
}

TEST(FlakyPredicateTest, MinimizingWithThreeTrialsFindsTheCore) {
  FlakyFailure flaky;
  MinimizeResult result = Minimize(NoisySchedule(), AnyOfTrials(flaky, 3));
  EXPECT_EQ(result.stop, MinimizeStop::kFixpoint);
  EXPECT_EQ(Text(result.schedule), Text(TwoThreadCore(5, 6)));
  EXPECT_LE(*flaky.calls, static_cast<int>(3 * result.executions));
}

TEST(FlakyPredicateTest, MinimizingWithOneTrialLosesReductions) {
  FlakyFailure flaky;
  MinimizeResult result = Minimize(NoisySchedule(), AnyOfTrials(flaky, 1));
  // Two in three still-failing candidates look like passes, so the result
  // is larger than the core: why stress findings need several trials.
  EXPECT_GT(result.schedule.TotalOps(), 2u);
}

}  // namespace
}  // namespace thfuzz
