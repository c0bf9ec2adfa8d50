// TophashAdapter: the tophash map (any policy, hence any fault) as a
// MapAdapter, keyed by the schedule's key space.

#ifndef THFUZZ_HARNESS_EXEC_TOPHASH_ADAPTER_H_
#define THFUZZ_HARNESS_EXEC_TOPHASH_ADAPTER_H_

#include <cstdint>
#include <string>
#include <utility>

#include "harness/exec/adapter.h"
#include "harness/key_space.h"
#include "harness/schedule.h"
#include "tophash/map.h"

namespace thfuzz {

template <class Policy>
class TophashAdapter final : public MapAdapter {
 public:
  TophashAdapter(const Schedule& schedule, Policy policy)
      : map_(tophash::MapOptions{.shards = size_t{1} << schedule.shards_log2,
                                 .initial_capacity = schedule.initial_capacity},
             HarnessHash{schedule.key_shape}, std::move(policy)) {}

  bool Find(uint64_t key, Stamp* out) override { return map_.find(key, out); }
  bool Insert(uint64_t key, const Stamp& value) override {
    return map_.insert(key, value);
  }
  void InsertOrAssign(uint64_t key, const Stamp& value) override {
    map_.insert_or_assign(key, value);
  }
  bool Erase(uint64_t key) override { return map_.erase(key); }
  size_t Size() override { return map_.size(); }
  void Clear() override { map_.clear(); }
  void Reserve(size_t count) override { map_.reserve(count); }
  void ForEach(
      const std::function<void(uint64_t, const Stamp&)>& visit) override {
    map_.for_each(visit);
  }
  std::string CheckInvariants() override { return map_.check_invariants(); }
  // The map names its own words; words in the blocks it allocated need the
  // block, which a policy that tracks allocations can find.
  std::string DescribeAddress(const void* address) override {
    std::string name = map_.describe_address(address);
    if (!name.empty()) return name;
    if constexpr (requires { map_.policy().FindBlock(address); }) {
      if (auto block = map_.policy().FindBlock(address)) {
        return Map::describe_block_address(block->start, block->bytes, address);
      }
    }
    return "";
  }

 private:
  using Map = tophash::Map<uint64_t, Stamp, HarnessHash, Policy>;
  Map map_;
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_EXEC_TOPHASH_ADAPTER_H_
