// The maps map_bench and map_opcost compare, behind one small interface:
//
//   bool Find(uint64_t key, V* out) const;
//   bool Insert(uint64_t key, const V& value);   // only if absent
//   void Assign(uint64_t key, const V& value);   // insert or overwrite
//   bool Erase(uint64_t key);
//
// Every map is a template over its value type V (8- and 32-byte values) and
// over `kCounted`: when true, whatever the map allocates goes through
// CountingAllocator (or, for tophash::Map, a policy whose allocate() counts),
// so the memory benchmark can read the bytes it holds. The timed benchmarks
// use each map's own default allocator.

#ifndef TOPHASH_BENCH_BENCH_MAPS_H_
#define TOPHASH_BENCH_BENCH_MAPS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <shared_mutex>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "counting_policy.h"
#include "libcuckoo/cuckoohash_map.hh"
#include "oneapi/tbb/concurrent_hash_map.h"
#include "oneapi/tbb/tbb_allocator.h"
#include "tophash/map.h"
#include "tophash/policy.h"

namespace tophash_bench {

struct Value32 {
  uint64_t words[4] = {};
};
using Value8 = uint64_t;

template <class V>
V ValueFor(uint64_t key) {
  if constexpr (std::is_same_v<V, Value8>) {
    return key * 7;
  } else {
    return {{key, ~key, key * 3, key * 5}};
  }
}

// ----- Allocation accounting -------------------------------------------------

// Bytes currently held through CountingAllocator / CountingAllocPolicy.
inline std::atomic<int64_t> counted_bytes{0};

template <class T>
struct CountingAllocator {
  using value_type = T;
  CountingAllocator() = default;
  template <class U>
  CountingAllocator(const CountingAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    counted_bytes.fetch_add(static_cast<int64_t>(n * sizeof(T)),
                            std::memory_order_relaxed);
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      return static_cast<T*>(
          ::operator new (n * sizeof(T), std::align_val_t{alignof(T)}));
    } else {
      return static_cast<T*>(::operator new(n * sizeof(T)));
    }
  }
  void deallocate(T* p, size_t n) noexcept {
    counted_bytes.fetch_sub(static_cast<int64_t>(n * sizeof(T)),
                            std::memory_order_relaxed);
    if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__) {
      ::operator delete (p, std::align_val_t{alignof(T)});
    } else {
      ::operator delete(p);
    }
  }
  template <class U>
  bool operator==(const CountingAllocator<U>&) const {
    return true;
  }
};

// The production policy with counted allocation (the map code is the same).
struct CountingAllocPolicy : tophash::ProductionPolicy {
  void* allocate(size_t bytes) const {
    counted_bytes.fetch_add(static_cast<int64_t>(bytes),
                            std::memory_order_relaxed);
    return ProductionPolicy::allocate(bytes);
  }
  void deallocate(void* block, size_t bytes) const noexcept {
    counted_bytes.fetch_sub(static_cast<int64_t>(bytes),
                            std::memory_order_relaxed);
    ProductionPolicy::deallocate(block, bytes);
  }
};

// The allocator a map uses: its own default, or the counting one.
template <bool kCounted, class T, class Default>
using AllocFor = std::conditional_t<kCounted, CountingAllocator<T>, Default>;

// ----- tophash::Map
// -----------------------------------------------------------

template <class V, class Policy>
using TophashMap =
    tophash::Map<uint64_t, V, tophash::DefaultHash<uint64_t>, Policy>;

template <class V, bool kCounted = false>
class Tophash {
 public:
  using Policy = std::conditional_t<kCounted, CountingAllocPolicy,
                                    tophash::ProductionPolicy>;
  bool Find(uint64_t key, V* out) const { return map_.find(key, out); }
  bool Insert(uint64_t key, const V& v) { return map_.insert(key, v); }
  void Assign(uint64_t key, const V& v) { map_.insert_or_assign(key, v); }
  bool Erase(uint64_t key) { return map_.erase(key); }
  const Policy& policy() const { return map_.policy(); }

 private:
  TophashMap<V, Policy> map_;
};

// The same map with every helper of each operation inlined into it. gcc keeps
// Map::find and its helpers out of line when several call sites use them;
// flattening shows what that costs (the spread is code placement noise).
template <class V, class Policy = tophash::ProductionPolicy>
class TophashFlat {
 public:
  __attribute__((flatten)) bool Find(uint64_t key, V* out) const {
    return map_.find(key, out);
  }
  __attribute__((flatten)) bool Insert(uint64_t key, const V& v) {
    return map_.insert(key, v);
  }
  __attribute__((flatten)) void Assign(uint64_t key, const V& v) {
    map_.insert_or_assign(key, v);
  }
  __attribute__((flatten)) bool Erase(uint64_t key) { return map_.erase(key); }
  const Policy& policy() const { return map_.policy(); }

 private:
  TophashMap<V, Policy> map_;
};

// A policy the compiler cannot fold (point() counts, enabled() reads a
// member), flattened too, so it differs from TophashFlat only in the policy.
template <class V>
using TophashCountingFlat = TophashFlat<V, CountingPolicy>;

// ----- Peers
// ------------------------------------------------------------------

template <class V, bool kCounted = false>
class AbslUnlocked {
 public:
  bool Find(uint64_t key, V* out) const {
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    *out = it->second;
    return true;
  }
  bool Insert(uint64_t key, const V& v) {
    return map_.try_emplace(key, v).second;
  }
  void Assign(uint64_t key, const V& v) { map_.insert_or_assign(key, v); }
  bool Erase(uint64_t key) { return map_.erase(key) == 1; }

 private:
  using Pair = std::pair<const uint64_t, V>;
  absl::flat_hash_map<uint64_t, V, absl::Hash<uint64_t>,
                      std::equal_to<uint64_t>,
                      AllocFor<kCounted, Pair, std::allocator<Pair>>>
      map_;
};

// Readers share the lock, writers take it exclusively.
template <class V, bool kCounted = false>
class AbslMutex {
 public:
  bool Find(uint64_t key, V* out) const {
    absl::ReaderMutexLock lock(&mu_);
    return map_.Find(key, out);
  }
  bool Insert(uint64_t key, const V& v) {
    absl::MutexLock lock(&mu_);
    return map_.Insert(key, v);
  }
  void Assign(uint64_t key, const V& v) {
    absl::MutexLock lock(&mu_);
    map_.Assign(key, v);
  }
  bool Erase(uint64_t key) {
    absl::MutexLock lock(&mu_);
    return map_.Erase(key);
  }

 private:
  mutable absl::Mutex mu_;
  AbslUnlocked<V, kCounted> map_;
};

// The seed blog post's design: 64 shards, each a map behind a shared_mutex.
template <class V, bool kCounted = false>
class ShardedSharedMutex {
 public:
  bool Find(uint64_t key, V* out) const {
    const Shard& shard = ShardFor(key);
    std::shared_lock lock(shard.mu);
    return shard.map.Find(key, out);
  }
  bool Insert(uint64_t key, const V& v) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    return shard.map.Insert(key, v);
  }
  void Assign(uint64_t key, const V& v) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    shard.map.Assign(key, v);
  }
  bool Erase(uint64_t key) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    return shard.map.Erase(key);
  }

 private:
  struct alignas(64) Shard {
    mutable std::shared_mutex mu;
    AbslUnlocked<V, kCounted> map;
  };
  Shard& ShardFor(uint64_t key) const {
    return shards_[absl::Hash<uint64_t>()(key) >> 58];
  }
  mutable Shard shards_[64];
};

template <class V, bool kCounted = false>
class TbbMap {
 public:
  bool Find(uint64_t key, V* out) const {
    typename Map::const_accessor accessor;
    if (!map_.find(accessor, key)) return false;
    *out = accessor->second;
    return true;
  }
  bool Insert(uint64_t key, const V& v) { return map_.insert({key, v}); }
  void Assign(uint64_t key, const V& v) {
    typename Map::accessor accessor;
    map_.insert(accessor, key);
    accessor->second = v;
  }
  bool Erase(uint64_t key) { return map_.erase(key); }

 private:
  using Pair = std::pair<const uint64_t, V>;
  using Map = tbb::concurrent_hash_map<
      uint64_t, V, tbb::tbb_hash_compare<uint64_t>,
      AllocFor<kCounted, Pair, tbb::tbb_allocator<Pair>>>;
  Map map_;
};

template <class V, bool kCounted = false>
class CuckooMap {
 public:
  bool Find(uint64_t key, V* out) const { return map_.find(key, *out); }
  bool Insert(uint64_t key, const V& v) { return map_.insert(key, v); }
  void Assign(uint64_t key, const V& v) { map_.insert_or_assign(key, v); }
  bool Erase(uint64_t key) { return map_.erase(key); }

 private:
  using Pair = std::pair<const uint64_t, V>;
  libcuckoo::cuckoohash_map<uint64_t, V, std::hash<uint64_t>,
                            std::equal_to<uint64_t>,
                            AllocFor<kCounted, Pair, std::allocator<Pair>>>
      map_;
};

}  // namespace tophash_bench

#endif  // TOPHASH_BENCH_BENCH_MAPS_H_
