// Checker tests: hand-written histories with a known answer for every
// verdict and every violation kind the checker reports, the budget limits,
// and the shape of explanations.

#include "harness/check/checker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "harness/check/history_file.h"
#include "harness/check/testing/history_builder.h"
#include "harness/check/testing/history_gen.h"

namespace thfuzz {
namespace {

using testing::HistoryBuilder;
using testing::W;

CheckResult Check(const History& history) { return CheckHistory(history); }

void ExpectLinearizable(const History& history) {
  CheckResult result = Check(history);
  EXPECT_EQ(result.verdict, Verdict::kLinearizable)
      << PrintHistory(history) << result.violation.explanation;
}

CheckResult ExpectViolation(const History& history, ViolationKind kind) {
  CheckResult result = Check(history);
  EXPECT_EQ(result.verdict, Verdict::kViolation) << PrintHistory(history);
  EXPECT_EQ(ViolationKindName(result.violation.kind), ViolationKindName(kind))
      << PrintHistory(history) << result.violation.explanation;
  return result;
}

TEST(CheckerTest, SequentialHistoryIsLinearizable) {
  ExpectLinearizable(HistoryBuilder()
                         .Insert(0, 3, 1, 2, true)
                         .Found(0, 3, 3, 4, W(3, 0, 0))
                         .Insert(0, 3, 5, 6, false)
                         .Assign(0, 3, 7, 8)
                         .Found(0, 3, 9, 10, W(3, 0, 3))
                         .Erase(0, 3, 11, 12, true)
                         .Absent(0, 3, 13, 14)
                         .Erase(0, 3, 15, 16, false)
                         .Final({})
                         .Build());
}

TEST(CheckerTest, EmptyHistoryIsLinearizable) {
  ExpectLinearizable(History{});
  ExpectLinearizable(HistoryBuilder().Final({}).Build());
}

TEST(CheckerTest, ConcurrentReadMaySeeEitherSide) {
  // The read overlaps the insert, so both answers have an order.
  ExpectLinearizable(
      HistoryBuilder().Insert(0, 3, 1, 4, true).Absent(1, 3, 2, 3).Build());
  ExpectLinearizable(HistoryBuilder()
                         .Insert(0, 3, 1, 4, true)
                         .Found(1, 3, 2, 3, W(3, 0, 0))
                         .Build());
}

TEST(CheckerTest, IntervalsSharingAnInstantOverlap) {
  // The read returns at the instant the insert is called: they overlap.
  ExpectLinearizable(HistoryBuilder()
                         .Found(1, 3, 1, 3, W(3, 0, 0))
                         .Insert(0, 3, 3, 4, true)
                         .Build());
}

TEST(CheckerTest, ReadBeforeItsWriteBeganIsAGhostRead) {
  History history = HistoryBuilder()
                        .Found(1, 3, 1, 2, W(3, 0, 2))
                        .Insert(0, 3, 3, 4, true)  // T0#0
                        .Build();
  // Give the insert index 2, so the stamp reads like the example.
  history.events[1].index = 2;
  history.events[1].value = W(3, 0, 2);
  CheckResult result = ExpectViolation(history, ViolationKind::kGhostRead);
  EXPECT_EQ(result.violation.key, uint64_t{3});
  EXPECT_EQ(result.violation.summary,
            "T1#0 find(k3) returned ok=true T0#2, but T0#2 (T0's insert of "
            "k3) had not started when T1#0 returned");
  EXPECT_EQ(result.violation.events, (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(result.linearizable_prefix.empty());
  EXPECT_EQ(result.unplaceable_event, 0u);
}

TEST(CheckerTest, StaleReadAfterCompletedEraseIsAGhostRead) {
  CheckResult result = ExpectViolation(HistoryBuilder()
                                           .Insert(0, 3, 1, 2, true)
                                           .Erase(0, 3, 3, 4, true)
                                           .Found(1, 3, 5, 6, W(3, 0, 0))
                                           .Build(),
                                       ViolationKind::kGhostRead);
  EXPECT_EQ(result.linearizable_prefix, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(result.unplaceable_event, 2u);
  EXPECT_NE(result.violation.explanation.find(
                "After it the map holds k3 absent, so T1#0 find(k3) would "
                "have returned ok=false"),
            std::string::npos)
      << result.violation.explanation;
}

TEST(CheckerTest, ReadsThatDisagreeOnTheOrderOfTwoWrites) {
  // T2 sees A then B, T3 sees B then A, all while both writes are running.
  History history = HistoryBuilder()
                        .Assign(0, 1, 1, 20)
                        .Assign(1, 1, 1, 20)
                        .Found(2, 1, 2, 3, W(1, 0, 0))
                        .Found(2, 1, 4, 5, W(1, 1, 0))
                        .Found(3, 1, 2, 3, W(1, 1, 0))
                        .Found(3, 1, 4, 5, W(1, 0, 0))
                        .Build();
  ExpectViolation(history, ViolationKind::kGhostRead);
  // One reader alone is fine.
  history.events.pop_back();
  ExpectLinearizable(history);
}

// The final snapshot follows every invoke and response, even at the top of
// the clock, where "last time + 1" wraps to 0 (the snapshot then used to be
// checked before everything, and these histories passed).
TEST(CheckerTest, FinalSnapshotFollowsTimesAtTheTopOfTheClock) {
  constexpr uint64_t kTop = std::numeric_limits<uint64_t>::max();
  auto expect_both_paths = [](const History& history, Verdict verdict) {
    for (bool fast_path : {true, false}) {
      CheckOptions options;
      options.fast_path = fast_path;
      CheckResult result = CheckHistory(history, options);
      EXPECT_EQ(result.verdict, verdict) << "fast_path=" << fast_path << "\n"
                                         << PrintHistory(history);
      if (verdict == Verdict::kViolation) {
        EXPECT_EQ(result.violation.kind, ViolationKind::kBadFinalState)
            << PrintHistory(history) << result.violation.explanation;
      }
    }
  };
  for (uint64_t top : {kTop, kTop - 1}) {
    HistoryBuilder insert;
    insert.Insert(0, 1, 1, top, true);  // the example
    HistoryBuilder find;
    find.Insert(0, 1, 1, 2, true).Found(1, 1, 3, top, W(1, 0, 0));
    HistoryBuilder erase;
    erase.Insert(0, 1, 1, 2, true).Erase(1, 1, 3, top, true);
    HistoryBuilder size;
    size.Insert(0, 1, 1, 2, true).Size(1, 3, top, 1);
    HistoryBuilder pending;  // called at the top, never returned
    pending.Insert(0, 1, 1, 2, true).Assign(1, 1, top, 0).Pending();
    const std::vector<std::pair<uint64_t, Stamp>> present = {{1, W(1, 0, 0)}};
    expect_both_paths(HistoryBuilder(insert).Final({}).Build(),
                      Verdict::kViolation);
    expect_both_paths(HistoryBuilder(insert).Final(present).Build(),
                      Verdict::kLinearizable);
    expect_both_paths(HistoryBuilder(find).Final({}).Build(),
                      Verdict::kViolation);
    expect_both_paths(HistoryBuilder(find).Final(present).Build(),
                      Verdict::kLinearizable);
    expect_both_paths(HistoryBuilder(erase).Final(present).Build(),
                      Verdict::kViolation);
    expect_both_paths(HistoryBuilder(erase).Final({}).Build(),
                      Verdict::kLinearizable);
    expect_both_paths(HistoryBuilder(size).Final({}).Build(),
                      Verdict::kViolation);
    expect_both_paths(HistoryBuilder(size).Final(present).Build(),
                      Verdict::kLinearizable);
    expect_both_paths(HistoryBuilder(pending).Final({}).Build(),
                      Verdict::kViolation);
    expect_both_paths(HistoryBuilder(pending).Final(present).Build(),
                      Verdict::kLinearizable);
    expect_both_paths(HistoryBuilder(pending).Final({{1, W(1, 1, 0)}}).Build(),
                      Verdict::kLinearizable);
  }
}

TEST(CheckerTest, MissingKeyAfterCompletedInsertIsLost) {
  ExpectViolation(
      HistoryBuilder().Insert(0, 3, 1, 2, true).Absent(1, 3, 3, 4).Build(),
      ViolationKind::kLostKey);
  ExpectViolation(HistoryBuilder()
                      .Insert(0, 3, 1, 2, true)
                      .Insert(1, 3, 3, 4, true)
                      .Build(),
                  ViolationKind::kLostKey);
  ExpectViolation(HistoryBuilder()
                      .Insert(0, 3, 1, 2, true)
                      .Erase(1, 3, 3, 4, false)
                      .Build(),
                  ViolationKind::kLostKey);
}

TEST(CheckerTest, ImpossibleInsertOrEraseResultIsWrong) {
  ExpectViolation(HistoryBuilder().Erase(0, 3, 1, 2, true).Build(),
                  ViolationKind::kWrongResult);
  ExpectViolation(HistoryBuilder().Insert(0, 3, 1, 2, false).Build(),
                  ViolationKind::kWrongResult);
}

TEST(CheckerTest, SizeMustMatchSomeOrder) {
  ExpectViolation(HistoryBuilder()
                      .Insert(0, 1, 1, 2, true)
                      .Insert(0, 2, 3, 4, true)
                      .Size(1, 5, 6, 1)
                      .Build(),
                  ViolationKind::kWrongSize);
  // Concurrent with the second insert: 1 and 2 both have an order.
  for (uint64_t size : {1, 2}) {
    ExpectLinearizable(HistoryBuilder()
                           .Insert(0, 1, 1, 2, true)
                           .Insert(0, 2, 3, 6, true)
                           .Size(1, 4, 5, size)
                           .Build());
  }
}

TEST(CheckerTest, SizeFailureNeedsTheWholeMap) {
  // Each key alone is fine; only the whole map shows that after both reads
  // both keys are present.
  History history = HistoryBuilder()
                        .Insert(0, 1, 1, 10, true)
                        .Insert(1, 2, 1, 10, true)
                        .Found(2, 1, 2, 3, W(1, 0, 0))
                        .Found(3, 2, 2, 3, W(2, 1, 0))
                        .Size(2, 4, 5, 1)
                        .Build();
  CheckResult result = ExpectViolation(history, ViolationKind::kWrongSize);
  EXPECT_EQ(result.violation.events.size(), 5u) << result.violation.explanation;
  EXPECT_EQ(result.stats.problems, 3u);  // two keys, then the whole map
}

TEST(CheckerTest, ClearEmptiesEveryKey) {
  HistoryBuilder builder;
  builder.Insert(0, 1, 1, 2, true).Insert(0, 2, 3, 4, true).Clear(1, 5, 6);
  ExpectLinearizable(
      HistoryBuilder(builder).Size(2, 7, 8, 0).Final({}).Build());
  // A key that survives a completed clear fails on its own.
  CheckResult result = ExpectViolation(
      HistoryBuilder(builder).Found(2, 2, 7, 8, W(2, 0, 1)).Build(),
      ViolationKind::kGhostRead);
  EXPECT_EQ(result.violation.key, uint64_t{2});
  EXPECT_EQ(result.stats.problems, 2u);  // k1 passes, k2 settles it
}

TEST(CheckerTest, FinalStateMustEndSomeOrder) {
  HistoryBuilder builder;
  builder.Assign(0, 1, 1, 2).Assign(1, 1, 1, 3);
  ExpectLinearizable(HistoryBuilder(builder).Final({{1, W(1, 1, 0)}}).Build());
  ExpectLinearizable(HistoryBuilder(builder).Final({{1, W(1, 0, 0)}}).Build());
  CheckResult result = ExpectViolation(
      HistoryBuilder(builder).Final({}).Build(), ViolationKind::kBadFinalState);
  EXPECT_EQ(result.unplaceable_event, std::nullopt);
  EXPECT_NE(result.violation.summary.find("final snapshot shows k1 absent"),
            std::string::npos)
      << result.violation.summary;
}

TEST(CheckerTest, PendingOperationMayOrMayNotHaveTakenEffect) {
  HistoryBuilder builder;
  builder.Insert(0, 1, 1, 0, true).Pending();
  ExpectLinearizable(HistoryBuilder(builder).Absent(1, 1, 5, 6).Build());
  ExpectLinearizable(
      HistoryBuilder(builder).Found(1, 1, 5, 6, W(1, 0, 0)).Build());
  ExpectLinearizable(HistoryBuilder(builder).Final({}).Build());
  ExpectLinearizable(HistoryBuilder(builder).Final({{1, W(1, 0, 0)}}).Build());
  // Once seen, it has taken effect for good.
  ExpectViolation(HistoryBuilder(builder)
                      .Found(1, 1, 5, 6, W(1, 0, 0))
                      .Absent(1, 1, 7, 8)
                      .Build(),
                  ViolationKind::kLostKey);
  // It cannot take effect before it was called.
  ExpectViolation(HistoryBuilder()
                      .Found(1, 1, 1, 2, W(1, 0, 0))
                      .Insert(0, 1, 3, 0, true)
                      .Pending()
                      .Build(),
                  ViolationKind::kGhostRead);
}

TEST(CheckerTest, ValuesNoWriteProducedAreCaughtBeforeSearch) {
  Stamp torn = W(1, 0, 0);
  torn.checksum ^= 1;
  HistoryBuilder builder;
  builder.Insert(0, 1, 1, 2, true);
  ExpectViolation(HistoryBuilder(builder).Found(1, 1, 3, 4, torn).Build(),
                  ViolationKind::kTornValue);
  ExpectViolation(HistoryBuilder(builder).Found(1, 1, 3, 4, W(1, 5, 5)).Build(),
                  ViolationKind::kPhantomValue);
  ExpectViolation(HistoryBuilder(builder).Found(1, 1, 3, 4, Stamp{}).Build(),
                  ViolationKind::kPhantomValue);
  ExpectViolation(HistoryBuilder(builder).Found(1, 1, 3, 4, W(2, 0, 0)).Build(),
                  ViolationKind::kForeignValue);
  CheckResult result =
      ExpectViolation(HistoryBuilder(builder).Final({{1, torn}}).Build(),
                      ViolationKind::kTornValue);
  EXPECT_EQ(result.stats.problems, 0u);
}

TEST(CheckerTest, InsertThatReturnedFalseStoredNothing) {
  // T0#1's value exists in the history but was never stored.
  ExpectViolation(HistoryBuilder()
                      .Insert(0, 1, 1, 2, true)
                      .Insert(0, 1, 3, 4, false)
                      .Found(1, 1, 5, 6, W(1, 0, 1))
                      .Build(),
                  ViolationKind::kGhostRead);
}

TEST(CheckerTest, ExplanationIsMinimalAmongManyOperations) {
  HistoryBuilder builder;
  uint64_t t = 1;
  for (int i = 0; i < 40; ++i, t += 4) {
    builder.Assign(0, 1, t, t + 3).Found(1, 1, t + 1, t + 2, W(1, 0, i));
  }
  builder.Found(1, 1, t, t + 1, W(1, 0, 3));  // long overwritten
  History history = builder.Build();
  CheckResult result = ExpectViolation(history, ViolationKind::kGhostRead);
  // The stale read, the write it saw, and one later write suffice.
  EXPECT_EQ(result.violation.events.size(), 3u) << result.violation.explanation;
  EXPECT_EQ(result.violation.events.back(), history.events.size() - 1);
  // Without minimizing, the whole key is the explanation.
  CheckOptions options;
  options.minimize = false;
  EXPECT_EQ(CheckHistory(history, options).violation.events.size(),
            history.events.size());
}

// The lines an explanation lists under "Minimal non-linearizable
// sub-history".
std::string ListingOf(const std::string& explanation) {
  std::istringstream lines(explanation);
  std::string line, listing;
  bool in_listing = false;
  while (std::getline(lines, line)) {
    if (in_listing && !line.starts_with("  ")) break;
    if (in_listing) listing += line + "\n";
    if (line.starts_with("Minimal non-linearizable sub-history")) {
      in_listing = true;
    }
  }
  return listing;
}

TEST(CheckerTest, ExplanationListsAHistoryThatFailsTheSameWay) {
  size_t checked = 0;
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    History history = GenerateSmallHistory(seed);
    CheckResult result = CheckHistory(history);
    if (result.verdict != Verdict::kViolation ||
        result.details == "stamp screen") {
      continue;
    }
    HistoryParseResult listed =
        ParseHistory(ListingOf(result.violation.explanation), "listing");
    ASSERT_EQ(listed.error, "") << result.violation.explanation;
    CheckResult again = CheckHistory(*listed.history);
    ASSERT_EQ(again.verdict, Verdict::kViolation)
        << PrintHistory(history) << result.violation.explanation;
    // A whole-map sub-history may fail on one of its keys first.
    if (!result.violation.key) continue;
    EXPECT_EQ(again.violation.kind, result.violation.kind)
        << PrintHistory(history) << result.violation.explanation;
    ++checked;
  }
  EXPECT_GT(checked, 300u);
}

// 8 threads on one key, linearizable by construction, unique stamps.
History OneKeyHistory(int ops_per_thread, uint64_t seed) {
  HistoryGenOptions options;
  options.threads = 8;
  options.ops_per_thread = ops_per_thread;
  options.keys = 1;
  options.whole_map_percent = 0;
  options.abort_percent = 0;
  options.corrupt_percent = 0;
  options.shared_value_percent = 0;
  SeededChoices choices(seed);
  return GenerateHistory(options, choices);
}

TEST(CheckerTest, FastPathDecidesLongOneKeyHistories) {
  History history = OneKeyHistory(1250, 7);
  CheckResult result = CheckHistory(history);
  EXPECT_EQ(result.verdict, Verdict::kLinearizable);
  EXPECT_EQ(result.details, "fast path: 1 of 1 per-key problems");
  // A stale read late in the history: found, explained in three operations,
  // and the explanation cost no more than the verdict.
  std::optional<size_t> stale =
      InjectStaleRead(history, history.events.size() * 9 / 10);
  ASSERT_TRUE(stale.has_value());
  result = ExpectViolation(history, ViolationKind::kGhostRead);
  EXPECT_EQ(result.unplaceable_event, stale);
  EXPECT_EQ(result.violation.events.size(), 3u) << result.violation.explanation;
  EXPECT_EQ(result.stats.fast_path_problems, 1u);
  EXPECT_LE(result.stats.explain_steps, result.stats.steps);
  EXPECT_NE(
      result.violation.explanation.find("Decided by the traceable fast path."),
      std::string::npos);
}

TEST(CheckerTest, SearchDecidesWhereTheFastPathCannot) {
  // 70 reads open at once, more than one mask holds; they read the value
  // of a write called after they were.
  HistoryBuilder builder;
  builder.Insert(0, 1, 1, 2, true).Assign(0, 1, 5, 9);
  for (int thread = 1; thread <= 70; ++thread) {
    builder.Found(thread, 1, 3, 10, W(1, 0, 1));
  }
  CheckResult result = Check(builder.Build());
  EXPECT_EQ(result.verdict, Verdict::kLinearizable);
  EXPECT_EQ(result.stats.fast_path_problems, 0u);
  EXPECT_EQ(result.details,
            "fast path: 0 of 1 per-key problems; search: 1 (k1: more than 64 "
            "operations are open at once)");
  // The key cannot be missing while the reads run.
  builder.Absent(71, 1, 3, 4);
  result = ExpectViolation(builder.Build(), ViolationKind::kLostKey);
  EXPECT_NE(result.violation.explanation.find(
                "Decided by the Wing-Gong/Lowe search."),
            std::string::npos);
}

// 30 concurrent blind writes and a read after all of them that finds nothing:
// wrong, but proving it means trying every subset of the writes.
History AdversarialHistory() {
  HistoryBuilder builder;
  for (int thread = 0; thread < 30; ++thread) builder.Assign(thread, 1, 1, 100);
  builder.Absent(30, 1, 101, 102);
  return builder.Build();
}

TEST(CheckerTest, AdversarialHistoryRunsOutOfSteps) {
  CheckOptions options;
  options.budget.max_steps = 200'000;
  auto start = std::chrono::steady_clock::now();
  CheckResult result = CheckHistory(AdversarialHistory(), options);
  EXPECT_EQ(result.verdict, Verdict::kUnknown);
  EXPECT_EQ(result.unknown_reason, "step budget");
  // The fast path gave up first: every subset of the writes is a
  // configuration of the read's frontier.
  EXPECT_NE(result.details.find("k1: more than 4096 configurations at one "
                                "frontier"),
            std::string::npos)
      << result.details;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(CheckerTest, AdversarialHistoryRunsOutOfMemory) {
  CheckOptions options;
  options.budget.max_cache_bytes = 1 << 20;
  CheckResult result = CheckHistory(AdversarialHistory(), options);
  EXPECT_EQ(result.verdict, Verdict::kUnknown);
  EXPECT_EQ(result.unknown_reason, "memory budget");
  EXPECT_LE(result.stats.peak_cache_bytes, size_t{2} << 20);
}

TEST(CheckerTest, AdversarialHistoryRunsOutOfTime) {
  CheckOptions options;
  options.budget.max_steps = uint64_t{1} << 60;
  options.budget.max_wall_time = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  CheckResult result = CheckHistory(AdversarialHistory(), options);
  EXPECT_EQ(result.verdict, Verdict::kUnknown);
  EXPECT_EQ(result.unknown_reason, "wall-time budget");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(CheckerTest, NaiveSearchAgreesWithTheFullChecker) {
  CheckOptions naive;
  naive.memoize = false;
  naive.split_by_key = false;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    History history = GenerateSmallHistory(seed);
    EXPECT_EQ(CheckHistory(history).verdict,
              CheckHistory(history, naive).verdict)
        << PrintHistory(history);
  }
}

// Replays `order` on a sequential map: "" if it reproduces every result
// and ends in the final snapshot, else what differs first.
std::string ReplayOrder(const History& history,
                        const std::vector<size_t>& order) {
  std::map<uint64_t, Stamp> map;
  for (size_t e : order) {
    const Event& event = history.events[e];
    auto it = map.find(event.key);
    bool present = it != map.end();
    Event expected = event;
    switch (event.kind) {
      case OpKind::kFind:
        expected.ok = present;
        expected.out = present ? it->second : Stamp{};
        break;
      case OpKind::kInsert:
        expected.ok = !present;
        if (!present) map[event.key] = event.value;
        break;
      case OpKind::kInsertOrAssign:
        map[event.key] = event.value;
        break;
      case OpKind::kErase:
        expected.ok = present;
        map.erase(event.key);
        break;
      case OpKind::kSize:
        expected.size = map.size();
        break;
      case OpKind::kClear:
        map.clear();
        break;
      case OpKind::kReserve:
        break;
    }
    if (event.completed && !(expected == event)) {
      return PrintEvent(event) + " should be " + PrintEvent(expected);
    }
  }
  if (history.has_final_state &&
      std::vector<std::pair<uint64_t, Stamp>>(map.begin(), map.end()) !=
          history.final_state) {
    return "the final snapshot differs";
  }
  return "";
}

TEST(CheckerTest, LinearizableHistoriesComeWithAWitnessOrder) {
  size_t checked = 0;
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    History history = GenerateSmallHistory(seed);
    CheckResult result = CheckHistory(history);
    if (result.verdict != Verdict::kLinearizable) {
      EXPECT_TRUE(result.linearization.empty());
      continue;
    }
    ++checked;
    const std::vector<size_t>& order = result.linearization;
    // Every completed operation once; real time respected; the results
    // reproduced by a sequential map.
    std::vector<int> seen(history.events.size(), 0);
    for (size_t e : order) ++seen[e];
    for (size_t e = 0; e < history.events.size(); ++e) {
      EXPECT_EQ(seen[e], history.events[e].completed ? 1 : seen[e] > 0)
          << PrintHistory(history);
    }
    for (size_t i = 0; i < order.size(); ++i) {
      for (size_t j = i + 1; j < order.size(); ++j) {
        const Event& later = history.events[order[j]];
        const Event& earlier = history.events[order[i]];
        EXPECT_FALSE(later.completed && later.response < earlier.invoke)
            << PrintHistory(history);
      }
    }
    EXPECT_EQ(ReplayOrder(history, order), "") << PrintHistory(history);
  }
  EXPECT_GT(checked, 500u);
}

TEST(CheckerTest, LargeGeneratedHistoryIsLinearizable) {
  History history = OneKeyHistory(125, 42);
  ASSERT_EQ(history.events.size(), 1000u);
  CheckResult result = CheckHistory(history);
  EXPECT_EQ(result.verdict, Verdict::kLinearizable);
  EXPECT_LT(result.stats.wall_time, std::chrono::seconds(1));
}

}  // namespace
}  // namespace thfuzz
