// ForwardingAdapter: a MapAdapter over a map whose own member functions
// already mean what the adapter's do.
//
// The tophash map and libcuckoo's cuckoohash_map both spell insert (if
// absent), insert_or_assign, erase, size, clear and reserve the way
// MapAdapter means them, so those calls forward unchanged; each adapter
// adds only what differs (find, iteration, invariant checks).

#ifndef THFUZZ_HARNESS_EXEC_INTERNAL_FORWARDING_ADAPTER_H_
#define THFUZZ_HARNESS_EXEC_INTERNAL_FORWARDING_ADAPTER_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "harness/exec/adapter.h"

namespace thfuzz::exec_internal {

template <class Map>
class ForwardingAdapter : public MapAdapter {
 public:
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

 protected:
  // Constructs the map from `args`.
  template <class... Args>
  explicit ForwardingAdapter(Args&&... args)
      : map_(std::forward<Args>(args)...) {}

  Map map_;
};

}  // namespace thfuzz::exec_internal

#endif  // THFUZZ_HARNESS_EXEC_INTERNAL_FORWARDING_ADAPTER_H_
