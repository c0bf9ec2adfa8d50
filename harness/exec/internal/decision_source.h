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

#include "harness/random.h"

namespace thfuzz::exec_internal {

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

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_DECISION_SOURCE_H_
