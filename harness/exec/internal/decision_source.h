// DecisionSource: the choices an executor makes, taken from the schedule.
//
// Each choice among n alternatives consumes one decision byte (byte % n), so
// a fuzzer that mutates one byte changes one choice. When the bytes run out,
// choices come from a generator seeded by the schedule's seed, so a schedule
// stays fully deterministic however long it runs.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_DECISION_SOURCE_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_DECISION_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tophash/hash.h"

namespace thfuzz::internal {

// SplitMix64: small, fast, and good enough for scheduling choices.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return tophash::Mix64(state_);
  }
  size_t Below(size_t n) { return n <= 1 ? 0 : Next() % n; }

 private:
  uint64_t state_;
};

class DecisionSource {
 public:
  DecisionSource(const std::vector<uint8_t>& decisions, uint64_t seed)
      : decisions_(decisions), random_(seed) {}

  bool Exhausted() const { return next_ >= decisions_.size(); }

  // An index in [0, n).
  size_t Pick(size_t n) {
    if (n <= 1) return 0;
    if (!Exhausted()) return decisions_[next_++] % n;
    return random_.Below(n);
  }

  SeededRandom& random() { return random_; }

 private:
  const std::vector<uint8_t>& decisions_;
  size_t next_ = 0;
  SeededRandom random_;
};

}  // namespace thfuzz::internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_DECISION_SOURCE_H_
