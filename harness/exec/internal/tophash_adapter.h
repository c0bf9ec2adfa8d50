// TophashAdapter: the tophash map (any policy, hence any fault) as a
// MapAdapter, keyed by the schedule's key space.

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_TOPHASH_ADAPTER_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_TOPHASH_ADAPTER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "harness/exec/internal/forwarding_adapter.h"
#include "harness/key_space.h"
#include "harness/schedule.h"
#include "tophash/map.h"

namespace thfuzz::exec_internal {

template <class Policy>
class TophashAdapter final
    : public ForwardingAdapter<
          tophash::Map<uint64_t, Stamp, HarnessHash, Policy>> {
  using Map = tophash::Map<uint64_t, Stamp, HarnessHash, Policy>;

 public:
  TophashAdapter(const Schedule& schedule, Policy policy)
      : TophashAdapter::ForwardingAdapter(
            tophash::MapOptions{.shards = size_t{1} << schedule.shards_log2,
                                .initial_capacity = schedule.initial_capacity},
            HarnessHash{schedule.key_shape}, std::move(policy)) {}

  bool Find(uint64_t key, Stamp* out) override {
    return this->map_.find(key, out);
  }
  void ForEach(
      const std::function<void(uint64_t, const Stamp&)>& visit) override {
    this->map_.for_each(visit);
  }
  std::string CheckInvariants() override {
    return this->map_.check_invariants();
  }
  // The map names its own words; words in the blocks it allocated need the
  // block, which a policy that tracks allocations can find.
  std::string DescribeAddress(const void* address) override {
    std::string name = this->map_.describe_address(address);
    if (!name.empty()) return name;
    if constexpr (requires { this->map_.policy().FindBlock(address); }) {
      if (auto block = this->map_.policy().FindBlock(address)) {
        return Map::describe_block_address(block->start, block->bytes, address);
      }
    }
    return "";
  }
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_TOPHASH_ADAPTER_H_
