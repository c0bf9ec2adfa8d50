// Differential tests: the checker's two decision paths (the traceable fast
// path and the Wing-Gong/Lowe search) against each other and against the
// brute-force reference checker, on generated histories (history_gen.h):
// small ones with size/clear, incomplete operations and deliberately wrong
// results, and mutated ones (MutateHistory) of up to 48 operations. Any
// disagreement is a bug in one of them; the test prints the history so it
// can be replayed. CI runs 100,000 of each kind (a few seconds; 10,000
// under sanitizers); THFUZZ_DIFFERENTIAL_SCALE=N runs N times as many.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "harness/check/checker.h"
#include "harness/check/testing/history_gen.h"
#include "harness/check/testing/reference_checker.h"

namespace thfuzz {
namespace {

// Sanitizers slow the checkers down twenty-fold and more; there a tenth of
// the histories runs (the plain build, ci/test.sh's default stage, runs
// them all).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define THFUZZ_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define THFUZZ_SANITIZED 1
#endif
#ifdef THFUZZ_SANITIZED
constexpr uint64_t kDivisor = 10;
#else
constexpr uint64_t kDivisor = 1;
#endif

uint64_t Scaled(uint64_t count) {
  const char* scale = std::getenv("THFUZZ_DIFFERENTIAL_SCALE");
  count /= kDivisor;
  return scale == nullptr ? count : count * std::strtoull(scale, nullptr, 10);
}

CheckOptions SearchOnly() {
  CheckOptions options;
  options.fast_path = false;
  return options;
}

// Both paths, and the reference when it can decide; returns the verdict.
Verdict ExpectAgreement(const History& history, const std::string& what) {
  CheckResult fast = CheckHistory(history);
  CheckResult search = CheckHistory(history, SearchOnly());
  EXPECT_NE(fast.verdict, Verdict::kUnknown) << what << "\n"
                                             << PrintHistory(history);
  EXPECT_EQ(fast.verdict, search.verdict)
      << what << ": fast path and search disagree (" << fast.details << ")\n"
      << PrintHistory(history);
  // Every per-key problem was the fast path's to decide.
  EXPECT_EQ(fast.details.find("; search:"), std::string::npos)
      << what << ": " << fast.details << "\n"
      << PrintHistory(history);
  if (std::optional<bool> expected = ReferenceIsLinearizable(history)) {
    EXPECT_EQ(fast.verdict,
              *expected ? Verdict::kLinearizable : Verdict::kViolation)
        << what << ": the reference disagrees\n"
        << PrintHistory(history);
  }
  return fast.verdict;
}

TEST(DifferentialTest, CheckerAgreesWithReferenceOnSmallHistories) {
  const uint64_t histories = Scaled(100'000);
  CheckOptions whole_map;
  whole_map.split_by_key = false;
  size_t linearizable = 0, violations = 0, with_whole_map_ops = 0,
         with_pending = 0;
  for (uint64_t seed = 0; seed < histories; ++seed) {
    History history = GenerateSmallHistory(seed);
    std::optional<bool> expected = ReferenceIsLinearizable(history);
    ASSERT_TRUE(expected.has_value());
    Verdict want = *expected ? Verdict::kLinearizable : Verdict::kViolation;
    ASSERT_EQ(CheckHistory(history).verdict, want) << "seed " << seed << "\n"
                                                   << PrintHistory(history);
    ASSERT_EQ(CheckHistory(history, SearchOnly()).verdict, want)
        << "seed " << seed << " (search only)\n"
        << PrintHistory(history);
    // Every tenth history also goes through the unsplit whole-map search.
    if (seed % 10 == 0) {
      ASSERT_EQ(CheckHistory(history, whole_map).verdict, want)
          << "seed " << seed << " (whole map)\n"
          << PrintHistory(history);
    }
    (*expected ? linearizable : violations)++;
    for (const Event& event : history.events) {
      with_whole_map_ops += !IsSingleKey(event.kind);
      with_pending += !event.completed;
    }
  }
  // The generator must exercise both answers and every feature.
  EXPECT_GT(linearizable, histories / 10);
  EXPECT_GT(violations, histories / 10);
  EXPECT_GT(with_whole_map_ops, histories / 10);
  EXPECT_GT(with_pending, histories / 20);
}

TEST(DifferentialTest, FastPathAgreesWithSearchOnMutatedHistories) {
  const uint64_t histories = Scaled(100'000);
  size_t linearizable = 0, violations = 0, referenced = 0, long_ones = 0;
  for (uint64_t seed = 0; seed < histories; ++seed) {
    History history = GenerateMutatedHistory(seed);
    Verdict verdict = ExpectAgreement(history, "seed " + std::to_string(seed));
    if (::testing::Test::HasFailure()) return;
    (verdict == Verdict::kLinearizable ? linearizable : violations)++;
    referenced += history.events.size() <= kMaxReferenceEvents;
    long_ones += history.events.size() >= 24;
  }
  EXPECT_GT(linearizable, histories / 10);
  EXPECT_GT(violations, histories / 10);
  EXPECT_GT(referenced, histories / 10);
  EXPECT_GT(long_ones, histories / 10);
}

TEST(DifferentialTest, ByteDrivenGeneratorsAreTotalAndDeterministic) {
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
    History mutated = GenerateMutatedHistory(bytes);
    EXPECT_EQ(mutated, GenerateMutatedHistory(bytes));
    ExpectAgreement(mutated, "bytes " + std::to_string(i));
  }
}

}  // namespace
}  // namespace thfuzz
