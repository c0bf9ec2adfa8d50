// Differential test: the checker against the brute-force reference checker
// on generated small histories (history_gen.h), which mix size/clear,
// incomplete operations and deliberately wrong results. Any disagreement is
// a bug in one of them; the test prints the history so it can be replayed.

#include <gtest/gtest.h>

#include "harness/check/checker.h"
#include "harness/check/testing/history_gen.h"
#include "harness/check/testing/reference_checker.h"

namespace thfuzz {
namespace {

constexpr uint64_t kHistories = 100'000;

TEST(DifferentialTest, CheckerAgreesWithReferenceOnSmallHistories) {
  CheckOptions whole_map;
  whole_map.split_by_key = false;
  size_t linearizable = 0, violations = 0, with_whole_map_ops = 0,
         with_pending = 0;
  for (uint64_t seed = 0; seed < kHistories; ++seed) {
    History history = GenerateSmallHistory(seed);
    std::optional<bool> expected = ReferenceIsLinearizable(history);
    ASSERT_TRUE(expected.has_value());
    // Every tenth history also goes through the unsplit whole-map search.
    const CheckOptions& options = seed % 10 == 0 ? whole_map : CheckOptions{};
    Verdict verdict = CheckHistory(history, options).verdict;
    ASSERT_EQ(verdict, *expected ? Verdict::kLinearizable : Verdict::kViolation)
        << "seed " << seed << "\n"
        << PrintHistory(history);
    (*expected ? linearizable : violations)++;
    for (const Event& event : history.events) {
      with_whole_map_ops += !IsSingleKey(event.kind);
      with_pending += !event.completed;
    }
  }
  // The generator must exercise both answers and every feature.
  EXPECT_GT(linearizable, kHistories / 10);
  EXPECT_GT(violations, kHistories / 10);
  EXPECT_GT(with_whole_map_ops, kHistories / 10);
  EXPECT_GT(with_pending, kHistories / 20);
}

TEST(DifferentialTest, ByteDrivenGeneratorIsTotalAndDeterministic) {
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 2000; ++i) {
    bytes.push_back(static_cast<uint8_t>(i * 37 + (i >> 3)));
    History history = GenerateSmallHistory(bytes);
    EXPECT_EQ(history, GenerateSmallHistory(bytes));
    EXPECT_LE(history.events.size(), 8u);
    std::optional<bool> expected = ReferenceIsLinearizable(history);
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(CheckHistory(history).verdict,
              *expected ? Verdict::kLinearizable : Verdict::kViolation)
        << PrintHistory(history);
  }
}

}  // namespace
}  // namespace thfuzz
