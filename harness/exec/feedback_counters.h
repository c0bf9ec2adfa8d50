// The layout of the concurrency-feedback counter array: its size and which
// slots count which kind of event.
//
// A controlled execution given a non-empty RunOptions::concurrency_counters
// span (exactly kConcurrencyCounters bytes) adds one saturating hit per
// abstract concurrency event to it (exec/internal/concurrency_feedback.h):
// reads-from pairs, context-switch pairs, and retries. The fuzz targets hand
// the array to libFuzzer and AFL++ as extra coverage (fuzz/
// concurrency_counters.h). The kinds have disjoint ranges, so they never
// collide with each other and a summary can count each one.

#ifndef THFUZZ_HARNESS_EXEC_FEEDBACK_COUNTERS_H_
#define THFUZZ_HARNESS_EXEC_FEEDBACK_COUNTERS_H_

#include <cstddef>
#include <string_view>

namespace thfuzz {

inline constexpr size_t kConcurrencyCounters = 8192;

struct FeedbackRange {
  std::string_view name;
  size_t begin = 0;
  size_t size = 0;  // a power of two
};

inline constexpr FeedbackRange kReadsFromRange{"reads-from", 0, 4096};
inline constexpr FeedbackRange kSwitchRange{"switch pairs", 4096, 2048};
inline constexpr FeedbackRange kRetryRange{"retries", 6144, 1024};
// Kept free for later kinds (site contexts, operation-overlap pairs).
inline constexpr FeedbackRange kReservedRange{"reserved", 7168, 1024};

inline constexpr FeedbackRange kFeedbackRanges[] = {
    kReadsFromRange, kSwitchRange, kRetryRange, kReservedRange};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_FEEDBACK_COUNTERS_H_
