// History generator: random histories for tests, benchmarks and fuzzing.
//
// It simulates logical threads against a sequential absl::flat_hash_map on a
// shared clock. Each tick one thread, chosen at random, takes its next step:
// call an operation (invoke time), take effect (the operation runs on the
// map, which fixes its true result), or return (response time). Because
// every operation takes effect between its call and its return, the history
// is linearizable by construction, with as much overlap as the random
// interleaving gives. Then, if asked, it lies: a thread may stop for good in
// the middle of an operation (an incomplete event, which may or may not have
// taken effect), and results or the final snapshot may be corrupted, which
// may or may not make the history non-linearizable; telling which is the
// checker's job.
//
// Random choices come from a ChoiceSource: a seeded PRNG, or the bytes of a
// fuzz input (zeros once exhausted), so a libFuzzer target can drive the
// generator directly.

#ifndef THFUZZ_HARNESS_CHECK_TESTING_HISTORY_GEN_H_
#define THFUZZ_HARNESS_CHECK_TESTING_HISTORY_GEN_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "harness/history.h"

namespace thfuzz {

struct HistoryGenOptions {
  int threads = 2;
  int ops_per_thread = 3;
  int keys = 2;
  // Probabilities in percent.
  int whole_map_percent = 10;  // size / clear among operations
  int abort_percent = 5;       // per step: the thread stops mid-operation
  int corrupt_percent = 10;    // per result: replaced by a plausible lie
  // Writes draw their stamp from a small shared set (so different writes
  // may store equal values) instead of the writer's own stamp.
  int shared_value_percent = 20;
  bool final_state = true;
};

// Next value in [0, bound), bound >= 1.
class ChoiceSource {
 public:
  virtual ~ChoiceSource() = default;
  virtual uint32_t Next(uint32_t bound) = 0;
  bool Percent(int percent) { return int(Next(100)) < percent; }
};

History GenerateHistory(const HistoryGenOptions& options,
                        ChoiceSource& choices);

// Small histories for differential testing against the reference checker:
// 2-3 threads, at most 8 operations, 1-3 keys, size/clear, incomplete ops
// and wrong results mixed in.
History GenerateSmallHistory(uint64_t seed);
History GenerateSmallHistory(std::span<const uint8_t> bytes);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CHECK_TESTING_HISTORY_GEN_H_
