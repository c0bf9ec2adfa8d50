// Worker: one soak thread's endless stream of operations.
//
// Each step draws an operation from a fixed mix (find 40%, insert 20%,
// insert_or_assign 18%, erase 20%, reserve 2% with an amount up to four
// times the key count, so the map keeps growing now and then) on a uniform
// key, calls the map between two ticks of the shared clock, and fills a
// Record. A write stores the worker's own stamp for (key, thread, its
// operation number), so every value is unique; a value read back is
// compressed to its writer and number when it is a valid stamp of the key,
// and kept whole in `odd_reads` otherwise.

#ifndef THFUZZ_HARNESS_SOAK_INTERNAL_WORKER_H_
#define THFUZZ_HARNESS_SOAK_INTERNAL_WORKER_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "harness/exec/adapter.h"
#include "harness/random.h"
#include "harness/soak/internal/window.h"

namespace thfuzz::soak_internal {

class Worker {
 public:
  Worker(uint8_t thread, uint64_t seed, unsigned keys)
      : thread_(thread), keys_(keys), random_(seed) {}

  // One operation. A tophash map aborted by the caller (LiveMapAborted)
  // leaves the record incomplete and rethrows nothing.
  void Step(MapAdapter& map, std::atomic<uint64_t>& clock, Record& record,
            std::vector<Stamp>& odd_reads);

 private:
  Event Draw();

  uint8_t thread_;
  unsigned keys_;
  SeededRandom random_;
  uint32_t sequence_ = 0;
};

}  // namespace thfuzz::soak_internal

#endif  // THFUZZ_HARNESS_SOAK_INTERNAL_WORKER_H_
