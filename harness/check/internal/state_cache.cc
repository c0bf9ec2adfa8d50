// The configuration memo table (see state_cache.h).

#include "harness/check/internal/state_cache.h"

#include <algorithm>

namespace thfuzz::check_internal {

bool StateCache::Insert(uint64_t hash, std::span<const uint64_t> words) {
  auto entry = static_cast<uint32_t>(next_.size());
  auto [it, fresh] = first_with_hash_.try_emplace(hash, entry);
  if (!fresh) {
    for (uint32_t i = it->second; i != kEndOfChain; i = next_[i]) {
      const uint64_t* stored = arena_.data() + size_t{i} * words_per_entry_;
      if (std::equal(words.begin(), words.end(), stored)) return false;
    }
  }
  next_.push_back(fresh ? kEndOfChain : it->second);
  if (!fresh) it->second = entry;
  arena_.insert(arena_.end(), words.begin(), words.end());
  return true;
}

size_t StateCache::MemoryBytes() const {
  // flat_hash_map: one control byte plus one slot per bucket.
  size_t index =
      first_with_hash_.capacity() * (1 + sizeof(std::pair<uint64_t, uint32_t>));
  return index + next_.capacity() * sizeof(uint32_t) +
         arena_.capacity() * sizeof(uint64_t);
}

}  // namespace thfuzz::check_internal
