// map_bench: throughput of tophash::Map against other hash maps, and the cost
// of the map's instrumentation seam (the Policy) when it is not compiled away.
//
// Workloads run over 1M keys drawn uniformly from [0, 1M), on maps prefilled
// with half of them; the op mixes keep the map half full:
//   read-mostly  90% find,  5% insert,  5% erase
//   mixed        50% find, 25% insert, 25% erase
//   pure find    100% find of keys known present (1 thread, maps unchanged)
// Values are 32-byte structs. Operation streams are generated before timing,
// so the timed loop does only map work. See map/README.md for the results.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <shared_mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "counting_policy.h"
#include "libcuckoo/cuckoohash_map.hh"
#include "oneapi/tbb/concurrent_hash_map.h"
#include "tophash/map.h"
#include "tophash/policy.h"

namespace {

struct Value32 {
  uint64_t words[4] = {};
};

constexpr uint32_t kKeySpace = 1 << 20;
constexpr uint32_t kPrefill = kKeySpace / 2;
constexpr size_t kStreamLength = 1 << 16;  // operations per thread, cycled

Value32 ValueFor(uint64_t key) { return {{key, ~key, key * 3, key * 5}}; }

// ----- Maps under test, behind one small interface ---------------------------

template <class Policy>
class TophashAdapter {
 public:
  bool Find(uint64_t key, Value32* out) const { return map_.find(key, out); }
  bool Insert(uint64_t key, const Value32& v) { return map_.insert(key, v); }
  bool Erase(uint64_t key) { return map_.erase(key); }
  const Policy& policy() const { return map_.policy(); }

 private:
  tophash::Map<uint64_t, Value32, tophash::DefaultHash<uint64_t>, Policy> map_;
};

// The same map with every helper of each operation inlined into it. gcc keeps
// Map::find and its helpers (EpochDomain::Enter/Exit, LookupOnce) out of line
// when several call sites use them; flattening shows what that costs.
template <class Policy>
class FlatTophashAdapter {
 public:
  __attribute__((flatten)) bool Find(uint64_t key, Value32* out) const {
    return map_.find(key, out);
  }
  __attribute__((flatten)) bool Insert(uint64_t key, const Value32& v) {
    return map_.insert(key, v);
  }
  __attribute__((flatten)) bool Erase(uint64_t key) { return map_.erase(key); }
  const Policy& policy() const { return map_.policy(); }

 private:
  tophash::Map<uint64_t, Value32, tophash::DefaultHash<uint64_t>, Policy> map_;
};

// The production policy compiles every point() and enabled() away.
using Tophash = TophashAdapter<tophash::ProductionPolicy>;
using TophashFlat = FlatTophashAdapter<tophash::ProductionPolicy>;

// A policy the compiler cannot fold: point() counts, enabled() reads a member.
// Flattened too, so it differs from TophashFlat only in the policy.
using TophashCountingFlat = FlatTophashAdapter<CountingPolicy>;

class AbslUnlocked {
 public:
  bool Find(uint64_t key, Value32* out) const {
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    *out = it->second;
    return true;
  }
  bool Insert(uint64_t key, const Value32& v) {
    return map_.try_emplace(key, v).second;
  }
  bool Erase(uint64_t key) { return map_.erase(key) == 1; }

 private:
  absl::flat_hash_map<uint64_t, Value32> map_;
};

// Readers share the lock, writers take it exclusively.
class AbslMutex {
 public:
  bool Find(uint64_t key, Value32* out) const {
    absl::ReaderMutexLock lock(&mu_);
    return map_.Find(key, out);
  }
  bool Insert(uint64_t key, const Value32& v) {
    absl::MutexLock lock(&mu_);
    return map_.Insert(key, v);
  }
  bool Erase(uint64_t key) {
    absl::MutexLock lock(&mu_);
    return map_.Erase(key);
  }

 private:
  mutable absl::Mutex mu_;
  AbslUnlocked map_;
};

// The seed blog post's design: 64 shards, each a map behind a shared_mutex.
class ShardedSharedMutex {
 public:
  bool Find(uint64_t key, Value32* out) const {
    const Shard& shard = ShardFor(key);
    std::shared_lock lock(shard.mu);
    return shard.map.Find(key, out);
  }
  bool Insert(uint64_t key, const Value32& v) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    return shard.map.Insert(key, v);
  }
  bool Erase(uint64_t key) {
    Shard& shard = ShardFor(key);
    std::unique_lock lock(shard.mu);
    return shard.map.Erase(key);
  }

 private:
  struct alignas(64) Shard {
    mutable std::shared_mutex mu;
    AbslUnlocked map;
  };
  Shard& ShardFor(uint64_t key) const {
    return shards_[absl::Hash<uint64_t>()(key) >> 58];
  }
  mutable Shard shards_[64];
};

class TbbMap {
 public:
  bool Find(uint64_t key, Value32* out) const {
    Map::const_accessor accessor;
    if (!map_.find(accessor, key)) return false;
    *out = accessor->second;
    return true;
  }
  bool Insert(uint64_t key, const Value32& v) { return map_.insert({key, v}); }
  bool Erase(uint64_t key) { return map_.erase(key); }

 private:
  using Map = tbb::concurrent_hash_map<uint64_t, Value32>;
  Map map_;
};

class CuckooMap {
 public:
  bool Find(uint64_t key, Value32* out) const { return map_.find(key, *out); }
  bool Insert(uint64_t key, const Value32& v) { return map_.insert(key, v); }
  bool Erase(uint64_t key) { return map_.erase(key); }

 private:
  libcuckoo::cuckoohash_map<uint64_t, Value32> map_;
};

// ----- Shared fixtures
// --------------------------------------------------------

// The first kPrefill entries of a fixed random permutation of the key space.
const std::vector<uint32_t>& PrefillKeys() {
  static const std::vector<uint32_t> keys = [] {
    std::vector<uint32_t> all(kKeySpace);
    std::iota(all.begin(), all.end(), 0);
    std::shuffle(all.begin(), all.end(), std::mt19937_64(42));
    all.resize(kPrefill);
    return all;
  }();
  return keys;
}

template <class M>
std::unique_ptr<M> MakePrefilled() {
  auto map = std::make_unique<M>();
  for (uint32_t key : PrefillKeys()) map->Insert(key, ValueFor(key));
  return map;
}

// One map per type for the read/write workloads (they keep it half full, so
// it is reused across runs), and one never written for the pure-find runs.
// Built on first use; C++ static initialization makes other threads wait.
template <class M>
M& WorkloadMap() {
  static const std::unique_ptr<M> map = MakePrefilled<M>();
  return *map;
}
template <class M>
M& FindOnlyMap() {
  static const std::unique_ptr<M> map = MakePrefilled<M>();
  return *map;
}

enum class Op : uint8_t { kFind, kInsert, kErase };

struct Step {
  uint32_t key;
  Op op;
};

// A thread's operation stream: `find_percent` finds, the rest split evenly
// between inserts and erases; keys uniform over the key space.
std::vector<Step> MakeStream(int find_percent, int thread) {
  std::mt19937_64 rng(1000 + thread);
  std::vector<Step> steps(kStreamLength);
  for (Step& step : steps) {
    step.key = static_cast<uint32_t>(rng() % kKeySpace);
    int dice = static_cast<int>(rng() % 100);
    step.op = dice < find_percent                              ? Op::kFind
              : dice < find_percent + (100 - find_percent) / 2 ? Op::kInsert
                                                               : Op::kErase;
  }
  return steps;
}

template <class M>
void RunMix(benchmark::State& state, int find_percent) {
  M& map = WorkloadMap<M>();
  std::vector<Step> steps = MakeStream(find_percent, state.thread_index());
  size_t next = 0;
  uint64_t hits = 0;
  Value32 value;
  for (auto _ : state) {
    const Step& step = steps[next++ & (kStreamLength - 1)];
    switch (step.op) {
      case Op::kFind:
        hits += map.Find(step.key, &value);
        break;
      case Op::kInsert:
        hits += map.Insert(step.key, ValueFor(step.key));
        break;
      case Op::kErase:
        hits += map.Erase(step.key);
        break;
    }
  }
  benchmark::DoNotOptimize(hits);
  benchmark::DoNotOptimize(value);
  state.SetItemsProcessed(state.iterations());
}

template <class M>
void BM_ReadMostly(benchmark::State& state) {
  RunMix<M>(state, 90);
}

template <class M>
void BM_Mixed(benchmark::State& state) {
  RunMix<M>(state, 50);
}

// Hits only, in a shuffled order, on a map nobody writes.
template <class M>
void BM_PureFind(benchmark::State& state) {
  const M& map = FindOnlyMap<M>();
  std::vector<uint32_t> keys(PrefillKeys().begin(),
                             PrefillKeys().begin() + kStreamLength);
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(7));
  size_t next = 0;
  uint64_t hits = 0;
  Value32 value;
  for (auto _ : state) {
    hits += map.Find(keys[next++ & (kStreamLength - 1)], &value);
    benchmark::DoNotOptimize(value);
  }
  if (hits != static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("a prefilled key was not found");
  }
  state.SetItemsProcessed(state.iterations());
}

// Reports how many point() calls one find makes, so the counting policy's
// cost can be read per point.
void BM_PureFind_TophashCountingFlat(benchmark::State& state) {
  const TophashCountingFlat& map = FindOnlyMap<TophashCountingFlat>();
  uint64_t points_before = map.policy().points;
  BM_PureFind<TophashCountingFlat>(state);
  state.counters["points_per_find"] =
      static_cast<double>(map.policy().points - points_before) /
      static_cast<double>(state.iterations());
}

#define THFUZZ_CONCURRENT_BENCH(bench, map) \
  BENCHMARK_TEMPLATE(bench, map)->Threads(1)->Threads(2)->UseRealTime()

THFUZZ_CONCURRENT_BENCH(BM_ReadMostly, Tophash);
THFUZZ_CONCURRENT_BENCH(BM_ReadMostly, TophashFlat);
BENCHMARK_TEMPLATE(BM_ReadMostly, AbslUnlocked)->Threads(1)->UseRealTime();
THFUZZ_CONCURRENT_BENCH(BM_ReadMostly, AbslMutex);
THFUZZ_CONCURRENT_BENCH(BM_ReadMostly, ShardedSharedMutex);
THFUZZ_CONCURRENT_BENCH(BM_ReadMostly, TbbMap);
THFUZZ_CONCURRENT_BENCH(BM_ReadMostly, CuckooMap);

THFUZZ_CONCURRENT_BENCH(BM_Mixed, Tophash);
THFUZZ_CONCURRENT_BENCH(BM_Mixed, TophashFlat);
BENCHMARK_TEMPLATE(BM_Mixed, AbslUnlocked)->Threads(1)->UseRealTime();
THFUZZ_CONCURRENT_BENCH(BM_Mixed, AbslMutex);
THFUZZ_CONCURRENT_BENCH(BM_Mixed, ShardedSharedMutex);
THFUZZ_CONCURRENT_BENCH(BM_Mixed, TbbMap);
THFUZZ_CONCURRENT_BENCH(BM_Mixed, CuckooMap);

BENCHMARK_TEMPLATE(BM_PureFind, Tophash)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PureFind, TophashFlat)->UseRealTime();
BENCHMARK(BM_PureFind_TophashCountingFlat)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PureFind, AbslUnlocked)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PureFind, AbslMutex)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PureFind, ShardedSharedMutex)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PureFind, TbbMap)->UseRealTime();
BENCHMARK_TEMPLATE(BM_PureFind, CuckooMap)->UseRealTime();

// The instrumentation cost on a read/write mix, one thread.
BENCHMARK_TEMPLATE(BM_ReadMostly, TophashCountingFlat)
    ->Threads(1)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
