// Converting a stress finding into a deterministic controlled schedule.
//
// A stress failure is real but flaky. Before minimizing one, we search for
// a controlled-executor schedule with the same operations that shows the
// same failure: the schedule as found (its own decisions and seed), then
// alternately PCT with fresh seeds (decisions dropped) and random decision
// streams of growing length. Each candidate differs from the finding only in
// `seed` and `decisions`, so a hit is the same test case under a scheduler
// that replays it exactly. The search is bounded by attempts and time.

#ifndef THFUZZ_HARNESS_MINIMIZE_CONTROLLED_CONVERSION_H_
#define THFUZZ_HARNESS_MINIMIZE_CONTROLLED_CONVERSION_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "harness/minimize/minimizer.h"

namespace thfuzz {

struct ConversionOptions {
  uint64_t max_attempts = 5'000;
  std::chrono::milliseconds max_wall_time{10'000};
  uint64_t search_seed = 1;  // the stream of PCT seeds and decision bytes
  const std::atomic<bool>* interrupt = nullptr;
};

struct ConversionResult {
  std::optional<Schedule> controlled;  // fails under the controlled predicate
  uint64_t attempts = 0;
};

// `fails_controlled` runs a candidate with the controlled executor.
ConversionResult FindControlledReproduction(
    const Schedule& found, const FailurePredicate& fails_controlled,
    const ConversionOptions& options = {});

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_MINIMIZE_CONTROLLED_CONVERSION_H_
