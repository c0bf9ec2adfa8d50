// StateCache: the memo table of Lowe's just-in-time linearization search.
//
// A search configuration is the set of operations already linearized plus
// the model state they led to. Two paths that reach the same configuration
// have the same future, so the search explores each one once: before it
// commits to a step, it inserts the configuration it would reach here and
// backs off if the configuration was already present.
//
// Configurations of one search all have the same length in 64-bit words (the
// bitset of linearized ops, then the packed model state), so they live
// back to back in one arena; a hash index maps the caller's incremental hash
// to the first entry with that hash, and entries with equal hashes are
// chained. MemoryBytes() counts everything allocated, so a caller can enforce
// a memory budget.

#ifndef THFUZZ_HARNESS_CHECK_INTERNAL_STATE_CACHE_H_
#define THFUZZ_HARNESS_CHECK_INTERNAL_STATE_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace thfuzz::check_internal {

class StateCache {
 public:
  explicit StateCache(size_t words_per_entry)
      : words_per_entry_(words_per_entry) {}

  // Adds the configuration; false if it was already there.
  bool Insert(uint64_t hash, std::span<const uint64_t> words);
  size_t MemoryBytes() const;
  size_t size() const { return next_.size(); }

 private:
  static constexpr uint32_t kEndOfChain = 0xffffffff;

  size_t words_per_entry_;
  absl::flat_hash_map<uint64_t, uint32_t> first_with_hash_;
  std::vector<uint32_t> next_;   // per entry: next entry with the same hash
  std::vector<uint64_t> arena_;  // entry i at [i * words_per_entry_, ...)
};

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_STATE_CACHE_H_
