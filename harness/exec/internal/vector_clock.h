// VectorClock: happens-before between the logical threads of one execution.
//
// The memory model (memory_model.h) gives every logical thread a clock with
// one component per thread. A thread advances its own component at each
// shared-memory event; synchronization (an acquire that reads a release, a
// lock taken after an unlock) joins the releaser's clock into the acquirer's.
// Event e of thread u, stamped with u's own component c, happens before the
// current point of thread t exactly when t's clock has component u >= c.
// Schedules have at most eight logical threads, so a clock is a fixed array.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_VECTOR_CLOCK_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_VECTOR_CLOCK_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "harness/schedule.h"

namespace thfuzz::exec_internal {

class VectorClock {
 public:
  static constexpr size_t kThreads = Schedule::kMaxThreads;

  uint32_t operator[](size_t thread) const { return ticks_[thread]; }
  // Advances `thread`'s own component and returns its new value.
  uint32_t Tick(size_t thread) { return ++ticks_[thread]; }

  void Join(const VectorClock& other) {
    for (size_t t = 0; t < kThreads; ++t) {
      ticks_[t] = std::max(ticks_[t], other.ticks_[t]);
    }
  }

  friend bool operator==(const VectorClock&, const VectorClock&) = default;

 private:
  std::array<uint32_t, kThreads> ticks_{};
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_VECTOR_CLOCK_H_
