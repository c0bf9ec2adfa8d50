// CountingPolicy: a tophash policy the compiler cannot fold away.
//
// point() increments a member and enabled() compares one, so a map built
// with it keeps every scheduling point and fault check; the benchmark and
// the code-generation probe compare it with ProductionPolicy to show what
// the instrumentation costs (see map/README.md). Everything else (atomics,
// fences, the shard lock) is the production policy's, so that is the only
// difference.

#ifndef TOPHASH_BENCH_COUNTING_POLICY_H_
#define TOPHASH_BENCH_COUNTING_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "tophash/policy.h"

struct CountingPolicy : tophash::StdAtomics, tophash::MembarrierFences {
  using Mutex = tophash::ProductionPolicy::Mutex;

  uint64_t points = 0;
  tophash::Fault fault = tophash::Fault::kNone;

  void point(tophash::Site, const void* = nullptr) { ++points; }
  bool enabled(tophash::Fault f) const { return f == fault; }
  void* allocate(size_t bytes) {
    return ::operator new (bytes, std::align_val_t{64});
  }
  void deallocate(void* block, size_t) noexcept {
    ::operator delete (block, std::align_val_t{64});
  }
};

#endif  // TOPHASH_BENCH_COUNTING_POLICY_H_
