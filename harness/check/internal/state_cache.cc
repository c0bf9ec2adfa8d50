// The configuration memo table (see state_cache.h).

#include "harness/check/internal/state_cache.h"

#include <algorithm>

namespace thfuzz::check_internal {

std::span<const uint64_t> StateCache::Words(uint32_t entry) const {
  uint64_t end =
      entry + 1 < entries_.size() ? entries_[entry + 1].offset : arena_.size();
  return {arena_.data() + entries_[entry].offset, arena_.data() + end};
}

bool StateCache::Insert(uint64_t hash, std::span<const uint64_t> words) {
  auto entry = static_cast<uint32_t>(entries_.size());
  auto [it, fresh] = last_with_hash_.try_emplace(hash, entry);
  if (!fresh) {
    for (uint32_t i = it->second; i != kEndOfChain; i = entries_[i].next) {
      std::span<const uint64_t> stored = Words(i);
      if (std::equal(words.begin(), words.end(), stored.begin(),
                     stored.end())) {
        return false;
      }
    }
  }
  entries_.push_back({arena_.size(), fresh ? kEndOfChain : it->second});
  if (!fresh) it->second = entry;
  arena_.insert(arena_.end(), words.begin(), words.end());
  return true;
}

size_t StateCache::MemoryBytes() const {
  // flat_hash_map: one control byte plus one slot per bucket.
  size_t index =
      last_with_hash_.capacity() * (1 + sizeof(std::pair<uint64_t, uint32_t>));
  return index + entries_.capacity() * sizeof(Entry) +
         arena_.capacity() * sizeof(uint64_t);
}

}  // namespace thfuzz::check_internal
