// map_ab: paired A/B throughput of the tophash map against an earlier version
// of itself (and the peers), for deciding whether a change pays on a noisy
// shared machine. Built and run by ab.sh, which snapshots the earlier
// version's headers into namespace `tophash_base`.
//
//   map_ab WORKLOAD VALUE THREADS SECONDS [MAPS]
//     WORKLOAD  PureFind | ReadMostly | Mixed | WriteHeavy (map_bench's mixes)
//     VALUE     v8 | v32
//     MAPS      comma-separated subset of base,new,tbb,cuckoo,absl
//               (absl is unlocked: only for PureFind or one thread)
//   environment: BATCH=operations per batch (default 2048)
//
// Every map gets the same prefilled keys and the same per-thread operation
// streams as map_bench. The maps take turns in batches of BATCH operations
// (all threads on the same map at once, a barrier between batches), and each
// map's throughput is its operations over the time spent in its own batches.
// Whatever else the machine does then hits every map alike, which makes the
// ratios stable where map_bench's medians scatter by 20-50% under load.
// Small batches (the default) see colder caches than map_bench, whose maps
// run alone; BATCH=65536 (one whole stream) comes closer to it.

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_maps.h"
#include "tophash_base/map.h"

namespace tophash_bench {
namespace {

template <class V, bool = false>
class Base {
 public:
  using Value = V;
  bool Find(uint64_t key, V* out) const { return map_.find(key, out); }
  bool Insert(uint64_t key, const V& v) { return map_.insert(key, v); }
  bool Erase(uint64_t key) { return map_.erase(key); }

 private:
  tophash_base::Map<uint64_t, V> map_;
};

constexpr uint32_t kKeySpace = 1 << 20;
constexpr uint32_t kPrefill = kKeySpace / 2;
constexpr size_t kStreamLength = 1 << 16;

struct Step {
  uint32_t key;
  uint8_t op;  // 0 find, 1 insert, 2 erase
};

template <class V>
class Runner {
 public:
  virtual ~Runner() = default;
  virtual void Run(const Step* steps, size_t n) = 0;
};

template <class M, class V>
class RunnerOf final : public Runner<V> {
 public:
  explicit RunnerOf(const std::vector<uint32_t>& prefill) {
    for (uint32_t key : prefill) map_.Insert(key, ValueFor<V>(key));
  }
  [[gnu::noinline]] void Run(const Step* steps, size_t n) override {
    uint64_t hits = 0;
    V value{};
    for (size_t i = 0; i < n; ++i) {
      const Step& step = steps[i];
      if (step.op == 0) {
        hits += map_.Find(step.key, &value);
        asm volatile("" : : "r"(&value) : "memory");
      } else if (step.op == 1) {
        hits += map_.Insert(step.key, ValueFor<V>(step.key));
      } else {
        hits += map_.Erase(step.key);
      }
    }
    asm volatile("" : : "r"(hits));
  }

 private:
  M map_;
};

template <class V>
int Main(int find_percent, int threads, double seconds, const char* maps) {
  size_t batch = 2048;
  if (const char* env = std::getenv("BATCH")) batch = std::atoi(env);
  batch = std::clamp<size_t>(batch, 1, kStreamLength);
  std::vector<uint32_t> all(kKeySpace);
  std::iota(all.begin(), all.end(), 0);
  std::shuffle(all.begin(), all.end(), std::mt19937_64(42));
  std::vector<uint32_t> prefill(all.begin(), all.begin() + kPrefill);

  std::vector<std::unique_ptr<Runner<V>>> runners;
  std::vector<std::string> names;
  auto add = [&](const char* name, auto make) {
    if (maps == nullptr || std::strstr(maps, name) != nullptr) {
      runners.push_back(make());
      names.push_back(name);
    }
  };
  add("base", [&] {
    return std::unique_ptr<Runner<V>>(new RunnerOf<Base<V>, V>(prefill));
  });
  add("new", [&] {
    return std::unique_ptr<Runner<V>>(new RunnerOf<Tophash<V>, V>(prefill));
  });
  add("tbb", [&] {
    return std::unique_ptr<Runner<V>>(new RunnerOf<TbbMap<V>, V>(prefill));
  });
  add("cuckoo", [&] {
    return std::unique_ptr<Runner<V>>(new RunnerOf<CuckooMap<V>, V>(prefill));
  });
  add("absl", [&] {
    return std::unique_ptr<Runner<V>>(
        new RunnerOf<AbslUnlocked<V>, V>(prefill));
  });
  size_t count = runners.size();
  std::vector<std::vector<double>> nanos(threads, std::vector<double>(count));
  std::vector<std::vector<size_t>> ops(threads, std::vector<size_t>(count));
  std::barrier sync(threads);
  std::atomic<bool> stop{false};

  auto body = [&](int thread) {
    // map_bench's streams: find_percent finds, the rest split between
    // inserts and erases, uniform keys; pure find cycles present keys.
    std::mt19937_64 random(1000 + thread);
    std::vector<uint32_t> present(prefill.begin(),
                                  prefill.begin() + kStreamLength);
    std::shuffle(present.begin(), present.end(), std::mt19937_64(7 + thread));
    std::vector<Step> steps(kStreamLength);
    for (size_t i = 0; i < kStreamLength; ++i) {
      int dice = static_cast<int>(random() % 100);
      steps[i].key = find_percent == 100
                         ? present[i]
                         : static_cast<uint32_t>(random() % kKeySpace);
      steps[i].op = dice < find_percent                              ? 0
                    : dice < find_percent + (100 - find_percent) / 2 ? 1
                                                                     : 2;
    }
    size_t position = 0;
    auto start = std::chrono::steady_clock::now();
    for (size_t round = 0;; ++round) {
      for (size_t j = 0; j < count; ++j) {
        size_t m = (j + round) % count;  // rotate who goes first
        sync.arrive_and_wait();
        auto begin = std::chrono::steady_clock::now();
        runners[m]->Run(&steps[position], batch);
        auto end = std::chrono::steady_clock::now();
        nanos[thread][m] +=
            std::chrono::duration<double, std::nano>(end - begin).count();
        ops[thread][m] += batch;
      }
      position = (position + batch) % kStreamLength;
      if (position + batch > kStreamLength) position = 0;
      if (thread == 0 && std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                                 .count() > seconds) {
        stop = true;
      }
      sync.arrive_and_wait();
      if (stop) break;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (auto& thread : pool) thread.join();

  for (size_t m = 0; m < count; ++m) {
    double mops = 0;  // summed over threads
    for (int t = 0; t < threads; ++t) mops += ops[t][m] / nanos[t][m] * 1e3;
    std::printf("%s=%.1f ", names[m].c_str(), mops);
  }
  std::printf("(Mops/s)\n");
  return 0;
}

}  // namespace
}  // namespace tophash_bench

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: map_ab WORKLOAD v8|v32 THREADS SECONDS [MAPS]\n");
    return 2;
  }
  std::string workload = argv[1];
  int find_percent = workload == "PureFind"     ? 100
                     : workload == "ReadMostly" ? 90
                     : workload == "Mixed"      ? 50
                     : workload == "WriteHeavy" ? 10
                                                : -1;
  if (find_percent < 0) {
    std::fprintf(stderr, "map_ab: unknown workload %s\n", argv[1]);
    return 2;
  }
  int threads = std::max(1, std::atoi(argv[3]));
  double seconds = std::atof(argv[4]);
  const char* maps = argc > 5 ? argv[5] : nullptr;
  if (std::strcmp(argv[2], "v8") == 0) {
    return tophash_bench::Main<tophash_bench::Value8>(find_percent, threads,
                                                      seconds, maps);
  }
  return tophash_bench::Main<tophash_bench::Value32>(find_percent, threads,
                                                     seconds, maps);
}
