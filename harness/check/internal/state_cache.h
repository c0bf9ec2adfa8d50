// StateCache: the memo table of Lowe's just-in-time linearization search.
//
// A search configuration is the set of operations already linearized plus
// the model state they led to. Two paths that reach the same configuration
// have the same future, so the search explores each one once: before it
// commits to a step, it inserts the configuration it would reach here and
// backs off if the configuration was already present.
//
// The caller encodes a configuration as a short run of 64-bit words (its
// length may differ between configurations) and hashes it. Runs live back
// to back in one arena; a hash index maps the hash to the last entry with
// that hash, and entries with equal hashes are chained. MemoryBytes()
// counts everything allocated, so a caller can enforce a memory budget.

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
  // Adds the configuration; false if it was already there.
  bool Insert(uint64_t hash, std::span<const uint64_t> words);
  size_t MemoryBytes() const;
  size_t size() const { return entries_.size(); }

 private:
  static constexpr uint32_t kEndOfChain = 0xffffffff;
  struct Entry {
    uint64_t offset;  // into arena_; the run ends where the next one starts
    uint32_t next;    // the previous entry with the same hash
  };
  std::span<const uint64_t> Words(uint32_t entry) const;

  absl::flat_hash_map<uint64_t, uint32_t> last_with_hash_;
  std::vector<Entry> entries_;
  std::vector<uint64_t> arena_;
};

}  // namespace thfuzz::check_internal

#endif  // THFUZZ_HARNESS_CHECK_INTERNAL_STATE_CACHE_H_
