// tbb::concurrent_hash_map and libcuckoo::cuckoohash_map behind MapAdapter.

#include "harness/exec/third_party_adapters.h"

#include <tbb/concurrent_hash_map.h>

#include <libcuckoo/cuckoohash_map.hh>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "harness/exec/internal/forwarding_adapter.h"

namespace thfuzz {
namespace {

class TbbAdapter final : public MapAdapter {
 public:
  bool Find(uint64_t key, Stamp* out) override {
    std::shared_lock lock(whole_map_);
    Map::const_accessor accessor;
    if (!map_.find(accessor, key)) return false;
    *out = accessor->second;
    return true;
  }
  bool Insert(uint64_t key, const Stamp& value) override {
    std::shared_lock lock(whole_map_);
    return map_.insert({key, value});
  }
  void InsertOrAssign(uint64_t key, const Stamp& value) override {
    std::shared_lock lock(whole_map_);
    Map::accessor accessor;
    map_.insert(accessor, key);
    accessor->second = value;
  }
  bool Erase(uint64_t key) override {
    std::shared_lock lock(whole_map_);
    return map_.erase(key);
  }
  size_t Size() override {
    std::unique_lock lock(whole_map_);
    return map_.size();
  }
  void Clear() override {
    std::unique_lock lock(whole_map_);
    map_.clear();
  }
  void Reserve(size_t count) override {
    std::unique_lock lock(whole_map_);
    map_.rehash(count);
  }
  void ForEach(
      const std::function<void(uint64_t, const Stamp&)>& visit) override {
    std::unique_lock lock(whole_map_);
    for (const auto& [key, value] : map_) visit(key, value);
  }

 private:
  // std::allocator, not TBB's default scalable allocator: libtbbmalloc is
  // not instrumented, so ThreadSanitizer never sees a node freed by one
  // thread and reused by another and reports the reuse as a data race.
  // Through malloc it sees both, and the adapter stays TSan-clean.
  using Map = tbb::concurrent_hash_map<
      uint64_t, Stamp, tbb::tbb_hash_compare<uint64_t>,
      std::allocator<std::pair<const uint64_t, Stamp>>>;
  std::shared_mutex whole_map_;
  Map map_;
};

// A small initial table: the default (2^16 slots) would dominate the cost
// of a short execution.
constexpr size_t kCuckooInitialSlots = 16;

class CuckooAdapter final : public exec_internal::ForwardingAdapter<
                                libcuckoo::cuckoohash_map<uint64_t, Stamp>> {
 public:
  CuckooAdapter() : ForwardingAdapter(kCuckooInitialSlots) {}

  bool Find(uint64_t key, Stamp* out) override { return map_.find(key, *out); }
  void ForEach(
      const std::function<void(uint64_t, const Stamp&)>& visit) override {
    auto locked = map_.lock_table();
    for (const auto& [key, value] : locked) visit(key, value);
  }
};

}  // namespace

std::unique_ptr<MapAdapter> MakeTbbAdapter() {
  return std::make_unique<TbbAdapter>();
}
std::unique_ptr<MapAdapter> MakeCuckooAdapter() {
  return std::make_unique<CuckooAdapter>();
}

}  // namespace thfuzz
