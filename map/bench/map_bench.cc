// map_bench: throughput and memory of tophash::Map against other hash maps,
// and the cost of the map's instrumentation seam (the Policy) when it is not
// compiled away.
//
// Workloads run over 1M keys drawn uniformly from [0, 1M), on maps prefilled
// with half of them; the op mixes keep the map half full:
//   ReadMostly   90% find,  5% insert,  5% erase
//   Mixed        50% find, 25% insert, 25% erase
//   WriteHeavy   10% find, 45% insert, 45% erase
//   PureFind     100% find of keys known present (maps nobody writes)
// each with 8-byte values (v8) and 32-byte values (v32), at 1 and 2 threads.
// Operation streams are generated before timing, so the timed loop does only
// map work. Memory/<value>/<map> fills a fresh map with 1M (2^20) keys through
// a counting allocator and reports bytes per entry: `bytes_per_entry` counts
// what the map asked its allocator for, `heap_bytes_per_entry` the growth of
// glibc's heap (mallinfo2: chunk headers and alignment included).
//
// Benchmark names are <workload>/<value>/<map>; results_table.py turns the
// JSON output into the tables of map/README.md.

#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "bench_maps.h"
#include "benchmark/benchmark.h"

namespace tophash_bench {
namespace {

constexpr uint32_t kKeySpace = 1 << 20;
constexpr uint32_t kPrefill = kKeySpace / 2;
constexpr size_t kStreamLength = 1 << 16;  // operations per thread, cycled

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
  for (uint32_t key : PrefillKeys()) {
    map->Insert(key, ValueFor<typename M::Value>(key));
  }
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
  using V = typename M::Value;
  M& map = WorkloadMap<M>();
  std::vector<Step> steps = MakeStream(find_percent, state.thread_index());
  size_t next = 0;
  uint64_t hits = 0;
  V value{};
  for (auto _ : state) {
    const Step& step = steps[next++ & (kStreamLength - 1)];
    switch (step.op) {
      case Op::kFind:
        hits += map.Find(step.key, &value);
        break;
      case Op::kInsert:
        hits += map.Insert(step.key, ValueFor<V>(step.key));
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

// Hits only, in a shuffled order (per thread), on a map nobody writes.
template <class M>
void RunPureFind(benchmark::State& state) {
  using V = typename M::Value;
  const M& map = FindOnlyMap<M>();
  std::vector<uint32_t> keys(PrefillKeys().begin(),
                             PrefillKeys().begin() + kStreamLength);
  std::shuffle(keys.begin(), keys.end(),
               std::mt19937_64(7 + state.thread_index()));
  size_t next = 0;
  uint64_t hits = 0;
  V value{};
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
template <class M>
void RunPureFindCounting(benchmark::State& state) {
  const M& map = FindOnlyMap<M>();
  uint64_t points_before = map.policy().points;
  RunPureFind<M>(state);
  state.counters["points_per_find"] =
      static_cast<double>(map.policy().points - points_before) /
      static_cast<double>(state.iterations());
}

size_t HeapInUse() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// Bytes per entry of a map holding kKeySpace entries (inserted in a random
// order, no reserve), through the counting allocator.
template <class M>
void RunMemory(benchmark::State& state) {
  using V = typename M::Value;
  std::vector<uint32_t> keys(kKeySpace);
  std::iota(keys.begin(), keys.end(), 0);
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(42));
  double requested = 0, heap = 0;
  for (auto _ : state) {
    int64_t counted_before = counted_bytes.load(std::memory_order_relaxed);
    size_t heap_before = HeapInUse();
    auto map = std::make_unique<M>();
    for (uint32_t key : keys) map->Insert(key, ValueFor<V>(key));
    requested = static_cast<double>(
        counted_bytes.load(std::memory_order_relaxed) - counted_before);
    heap = static_cast<double>(HeapInUse()) - static_cast<double>(heap_before);
    benchmark::DoNotOptimize(map.get());
  }
  state.counters["bytes_per_entry"] = requested / kKeySpace;
  state.counters["heap_bytes_per_entry"] = heap / kKeySpace;
}

// Gives every adapter a `Value` member type and a fixed template arity, so
// the registration below can treat them alike.
template <template <class, bool> class Adapter, class V, bool kCounted>
struct Bind : Adapter<V, kCounted> {
  using Value = V;
};
template <class V, bool>
using TophashFlatAny = TophashFlat<V>;
template <class V, bool>
using TophashCountingFlatAny = TophashCountingFlat<V>;

void Register(const std::string& name,
              std::function<void(benchmark::State&)> run, bool two_threads) {
  auto* bench = benchmark::RegisterBenchmark(name.c_str(), std::move(run));
  bench->UseRealTime()->Threads(1);
  if (two_threads) bench->Threads(2);
}

template <template <class, bool> class Adapter, class V>
void RegisterMap(const std::string& value, const std::string& map,
                 bool concurrent, bool pure_find_two_threads) {
  using M = Bind<Adapter, V, false>;
  const std::pair<const char*, int> mixes[] = {
      {"ReadMostly", 90}, {"Mixed", 50}, {"WriteHeavy", 10}};
  for (const auto& [workload, find_percent] : mixes) {
    int percent = find_percent;
    Register(
        std::string(workload) + "/" + value + "/" + map,
        [percent](benchmark::State& s) { RunMix<M>(s, percent); }, concurrent);
  }
  Register("PureFind/" + value + "/" + map, RunPureFind<M>,
           pure_find_two_threads);
}

template <class V>
void RegisterAll(const std::string& value) {
  // Side by side: every map of one value size, then the next size.
  RegisterMap<Tophash, V>(value, "tophash", true, true);
  RegisterMap<TophashFlatAny, V>(value, "tophash_flat", true, true);
  RegisterMap<AbslUnlocked, V>(value, "absl", false, true);
  RegisterMap<AbslMutex, V>(value, "absl_mutex", true, true);
  RegisterMap<ShardedSharedMutex, V>(value, "sharded", true, true);
  RegisterMap<TbbMap, V>(value, "tbb", true, true);
  RegisterMap<CuckooMap, V>(value, "cuckoo", true, true);
}

template <template <class, bool> class Adapter, class V>
void RegisterMemory(const std::string& value, const std::string& map) {
  benchmark::RegisterBenchmark(("Memory/" + value + "/" + map).c_str(),
                               RunMemory<Bind<Adapter, V, true>>)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

template <class V>
void RegisterAllMemory(const std::string& value) {
  RegisterMemory<Tophash, V>(value, "tophash");
  RegisterMemory<AbslUnlocked, V>(value, "absl");
  RegisterMemory<AbslMutex, V>(value, "absl_mutex");
  RegisterMemory<ShardedSharedMutex, V>(value, "sharded");
  RegisterMemory<TbbMap, V>(value, "tbb");
  RegisterMemory<CuckooMap, V>(value, "cuckoo");
}

void RegisterBenchmarks() {
  RegisterAll<Value8>("v8");
  RegisterAll<Value32>("v32");
  // The instrumentation cost: same map, a policy that cannot fold away.
  using Counting = Bind<TophashCountingFlatAny, Value32, false>;
  Register("PureFind/v32/tophash_counting_flat", RunPureFindCounting<Counting>,
           false);
  Register(
      "ReadMostly/v32/tophash_counting_flat",
      [](benchmark::State& s) { RunMix<Counting>(s, 90); }, false);
  RegisterAllMemory<Value8>("v8");
  RegisterAllMemory<Value32>("v32");
}

}  // namespace
}  // namespace tophash_bench

int main(int argc, char** argv) {
  tophash_bench::RegisterBenchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
