// Search for a controlled schedule that reproduces a stress finding.

#include "harness/minimize/controlled_conversion.h"

#include "harness/random.h"

namespace thfuzz {
namespace {

using Clock = std::chrono::steady_clock;

// The candidate of attempt `n` (n >= 1): odd attempts leave every choice to
// PCT under a new seed; even ones force a random prefix of decisions, 8 to
// 256 bytes, longer as the search goes on.
Schedule Candidate(const Schedule& found, uint64_t search_seed, uint64_t n) {
  uint64_t state = FrozenMix64(search_seed * kGoldenGamma + n);
  Schedule candidate = found;
  candidate.seed = state;
  candidate.decisions.clear();
  if (n % 2 == 1) return candidate;
  size_t length = size_t{8} << ((n / 2) % 6);
  for (size_t i = 0; i < length; ++i) {
    state = FrozenMix64(state + i + 1);
    candidate.decisions.push_back(static_cast<uint8_t>(state));
  }
  return candidate;
}

}  // namespace

ConversionResult FindControlledReproduction(
    const Schedule& found, const FailurePredicate& fails_controlled,
    const ConversionOptions& options) {
  ConversionResult result;
  Clock::time_point start = Clock::now();
  for (uint64_t n = 0; n < options.max_attempts; ++n) {
    if (Clock::now() - start >= options.max_wall_time) break;
    if (options.interrupt != nullptr && options.interrupt->load()) break;
    Schedule candidate =
        n == 0 ? found : Candidate(found, options.search_seed, n);
    ++result.attempts;
    if (fails_controlled(candidate)) {
      result.controlled = candidate;
      break;
    }
  }
  return result;
}

}  // namespace thfuzz
