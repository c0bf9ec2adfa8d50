// SeededRandom: the one pseudo-random stream of the harness.
//
// Everything random in the harness (generated schedules, PCT priorities,
// stress noise, campaign mutations) must be reproducible from a seed, so it
// all draws from this SplitMix64 generator: small, fast, and well mixed.

#ifndef THFUZZ_HARNESS_RANDOM_H_
#define THFUZZ_HARNESS_RANDOM_H_

#include <cstddef>
#include <cstdint>

#include "tophash/hash.h"

namespace thfuzz {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return tophash::Mix64(state_);
  }
  // Uniform in [0, n); 0 when n <= 1.
  size_t Below(size_t n) { return n <= 1 ? 0 : Next() % n; }
  // Uniform in [low, high]; low when high <= low.
  size_t Between(size_t low, size_t high) {
    return high <= low ? low : low + Next() % (high - low + 1);
  }

 private:
  uint64_t state_;
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_RANDOM_H_
