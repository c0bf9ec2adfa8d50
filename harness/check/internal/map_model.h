// MapModel: the sequential specification the checker linearizes against.
//
// It follows absl::flat_hash_map: find answers (ok, value); insert stores
// only into an absent key and says whether it did; insert_or_assign always
// stores; erase removes and says whether there was something; size counts;
// clear empties. The state is one value id per key slot (kAbsent when the key
// is missing), which is all a per-key problem needs and small enough to hash
// and compare for whole-map problems of a few dozen keys.
//
// Apply() takes an operation only if the model's answer matches the recorded
// result (an operation that never returned matches anything); Revert() undoes
// the latest Apply(), so the search can backtrack without copying states.
// The state hash is maintained incrementally (one mixed word per present key,
// XORed), so memoizing a state costs O(1) to hash.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_MAP_MODEL_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_MAP_MODEL_H_

#include <cstdint>
#include <vector>

#include "harness/check/internal/search_problem.h"

namespace thfuzz::check_internal {

class MapModel {
 public:
  // Starts empty; kObserve ops compare against problem.final_values.
  explicit MapModel(const SearchProblem& problem);

  // What `op` would have answered in the current state, written into a copy
  // of `op` (for explanations). Does not change the state.
  SearchOp Answer(const SearchOp& op) const;
  // Applies `op` and returns true if its recorded result is the model's
  // answer; otherwise leaves the state unchanged and returns false.
  bool Apply(const SearchOp& op);
  // Undoes the most recent successful Apply(), which must have been `op`.
  void Revert(const SearchOp& op);

  const std::vector<int32_t>& slots() const { return slots_; }
  uint64_t hash() const { return hash_; }
  uint64_t size() const { return size_; }
  // The state as 64-bit words (two slots per word), for the memo table.
  void AppendWords(std::vector<uint64_t>& words) const;
  static size_t WordCount(int32_t slot_count) { return (slot_count + 1) / 2; }

 private:
  bool Matches(const SearchOp& op) const;
  void Set(int32_t slot, int32_t value);

  std::vector<int32_t> slots_;
  std::vector<int32_t> final_values_;
  uint64_t size_ = 0;
  uint64_t hash_ = 0;
  // Undo records, LIFO: the previous value of the slot a key op touched, or
  // for clear the whole previous state (clears are rare).
  std::vector<int32_t> previous_values_;
  std::vector<std::vector<int32_t>> previous_states_;
};

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_MAP_MODEL_H_
