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
#include <optional>
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

// A seeded pseudo-random stream (splitmix64).
class SeededChoices : public ChoiceSource {
 public:
  explicit SeededChoices(uint64_t seed) : state_(seed) {}
  uint32_t Next(uint32_t bound) override;

 private:
  uint64_t state_;
};

History GenerateHistory(const HistoryGenOptions& options,
                        ChoiceSource& choices);

// Small histories for differential testing against the reference checker:
// 2-3 threads, at most 8 operations, 1-3 keys, size/clear, incomplete ops
// and wrong results mixed in.
History GenerateSmallHistory(uint64_t seed);
History GenerateSmallHistory(std::span<const uint8_t> bytes);

// Applies `count` random mutations, each of which may or may not make the
// history non-linearizable: a result flipped (found <-> absent, true <->
// false, a size off by one), a read redirected to another value written
// for its key, an event made pending, an interval stretched, an event
// dropped, or the final snapshot changed. Values stay ones the history
// wrote, so the stamp screen lets them through and a decision is needed.
void MutateHistory(History& history, ChoiceSource& choices, int count);

// Histories for checking the fast path against the search: 2-4 threads,
// 1-2 keys, 1-12 operations per thread, unique values (the traceable case)
// except now and then, pending operations and whole-map operations now and
// then, and 0-3 mutations (MutateHistory).
History GenerateMutatedHistory(uint64_t seed);
History GenerateMutatedHistory(std::span<const uint8_t> bytes);

// Makes the first completed successful find at or after event `near` whose
// key allows it a stale read: it now returns the value of a write that
// completed, and was then overwritten or erased by a completed operation,
// all before the find was called. With unique values (no shared stamps)
// the result is certainly not linearizable. Returns the changed event's
// index, or nullopt when no find qualifies.
std::optional<size_t> InjectStaleRead(History& history, size_t near);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CHECK_TESTING_HISTORY_GEN_H_
