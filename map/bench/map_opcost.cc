// map_opcost: one kind of operation, N times, on a map holding 512K entries,
// for counting its cost per operation with callgrind (opcost.sh runs it):
//
//   map_opcost MAP VALUE OP [N]
//     MAP    tophash | absl | absl_mutex | sharded | tbb | cuckoo
//     VALUE  v8 | v32
//     OP     find_hit | find_miss | insert | assign | erase
//
// The map is prefilled with the same 512K keys as map_bench's; the N (default
// 100000) operation keys are chosen before the measured loop, which is the
// functions opcost_measured_* (callgrind --toggle-collect='*opcost_measured*').
// insert adds absent keys and erase removes present ones without growth or
// shrinking; assign overwrites present keys. Each loop iteration adds ~5
// instructions of its own (opcost.sh reports them as the "empty" row).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "bench_maps.h"

namespace tophash_bench {
namespace {

enum class Op { kEmpty, kFindHit, kFindMiss, kInsert, kAssign, kErase };

constexpr uint32_t kKeySpace = 1 << 20;
constexpr uint32_t kPrefill = kKeySpace / 2;

// One measured loop per operation kind, each its own function, so the map's
// operation can be inlined into a small loop as it would be in user code.
template <class M, class V>
[[gnu::noinline]] uint64_t opcost_measured_empty(
    M&, const std::vector<uint32_t>& keys) {
  uint64_t hits = 0;
  for (uint32_t key : keys) {
    hits += key;
    asm volatile("" : : "r"(&hits) : "memory");
  }
  return hits;
}
template <class M, class V>
[[gnu::noinline]] uint64_t opcost_measured_find(
    M& map, const std::vector<uint32_t>& keys) {
  uint64_t hits = 0;
  V value{};
  for (uint32_t key : keys) {
    hits += map.Find(key, &value);
    asm volatile("" : : "r"(&value) : "memory");
  }
  return hits;
}
template <class M, class V>
[[gnu::noinline]] uint64_t opcost_measured_insert(
    M& map, const std::vector<uint32_t>& keys) {
  uint64_t hits = 0;
  for (uint32_t key : keys) hits += map.Insert(key, ValueFor<V>(key));
  return hits;
}
template <class M, class V>
[[gnu::noinline]] uint64_t opcost_measured_assign(
    M& map, const std::vector<uint32_t>& keys) {
  for (uint32_t key : keys) map.Assign(key, ValueFor<V>(key + 1));
  return 0;
}
template <class M, class V>
[[gnu::noinline]] uint64_t opcost_measured_erase(
    M& map, const std::vector<uint32_t>& keys) {
  uint64_t hits = 0;
  for (uint32_t key : keys) hits += map.Erase(key);
  return hits;
}

template <class M, class V>
uint64_t Measure(M& map, Op op, const std::vector<uint32_t>& keys) {
  switch (op) {
    case Op::kEmpty:
      return opcost_measured_empty<M, V>(map, keys);
    case Op::kFindHit:
    case Op::kFindMiss:
      return opcost_measured_find<M, V>(map, keys);
    case Op::kInsert:
      return opcost_measured_insert<M, V>(map, keys);
    case Op::kAssign:
      return opcost_measured_assign<M, V>(map, keys);
    case Op::kErase:
      return opcost_measured_erase<M, V>(map, keys);
  }
  return 0;
}

template <template <class, bool> class Adapter, class V>
int Run(Op op, size_t n) {
  std::vector<uint32_t> all(kKeySpace);
  std::iota(all.begin(), all.end(), 0);
  std::shuffle(all.begin(), all.end(), std::mt19937_64(42));
  auto map = std::make_unique<Adapter<V, false>>();
  for (uint32_t i = 0; i < kPrefill; ++i) map->Insert(all[i], ValueFor<V>(i));
  bool present = op == Op::kFindHit || op == Op::kAssign || op == Op::kErase;
  std::vector<uint32_t> keys(present ? all.begin() : all.begin() + kPrefill,
                             present ? all.begin() + kPrefill : all.end());
  std::shuffle(keys.begin(), keys.end(), std::mt19937_64(7));
  keys.resize(std::min(n, keys.size()));
  uint64_t hits = Measure<Adapter<V, false>, V>(*map, op, keys);
  uint64_t expected = op == Op::kFindMiss || op == Op::kAssign ? 0 : n;
  if (op != Op::kEmpty && hits != expected) {
    std::fprintf(stderr, "map_opcost: %llu hits, expected %llu\n",
                 static_cast<unsigned long long>(hits),
                 static_cast<unsigned long long>(expected));
    return 1;
  }
  return 0;
}

template <class V>
int RunMap(const std::string& map, Op op, size_t n) {
  if (map == "tophash") return Run<Tophash, V>(op, n);
  if (map == "absl") return Run<AbslUnlocked, V>(op, n);
  if (map == "absl_mutex") return Run<AbslMutex, V>(op, n);
  if (map == "sharded") return Run<ShardedSharedMutex, V>(op, n);
  if (map == "tbb") return Run<TbbMap, V>(op, n);
  if (map == "cuckoo") return Run<CuckooMap, V>(op, n);
  std::fprintf(stderr, "map_opcost: unknown map %s\n", map.c_str());
  return 2;
}

}  // namespace
}  // namespace tophash_bench

int main(int argc, char** argv) {
  using tophash_bench::Op;
  if (argc < 4) {
    std::fprintf(stderr, "usage: map_opcost MAP v8|v32 OP [N]\n");
    return 2;
  }
  std::string map = argv[1], value = argv[2], op_name = argv[3];
  size_t n = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 100000;
  Op op;
  if (op_name == "empty") {
    op = Op::kEmpty;
  } else if (op_name == "find_hit") {
    op = Op::kFindHit;
  } else if (op_name == "find_miss") {
    op = Op::kFindMiss;
  } else if (op_name == "insert") {
    op = Op::kInsert;
  } else if (op_name == "assign") {
    op = Op::kAssign;
  } else if (op_name == "erase") {
    op = Op::kErase;
  } else {
    std::fprintf(stderr, "map_opcost: unknown op %s\n", op_name.c_str());
    return 2;
  }
  if (value == "v8") {
    return tophash_bench::RunMap<tophash_bench::Value8>(map, op, n);
  }
  if (value == "v32") {
    return tophash_bench::RunMap<tophash_bench::Value32>(map, op, n);
  }
  std::fprintf(stderr, "map_opcost: unknown value %s\n", value.c_str());
  return 2;
}
