// Real-thread stress test of tophash::Map: 2 to 8 threads run mixed
// operations on a shared map that grows, with the default hasher and with
// hashers that force tophash collisions and long chains. Every key is owned
// by one writer thread, so each thread knows its own keys' exact state, and
// every value is stamped (key, writer, sequence, checksum) so any value read
// can be validated: it must belong to the key, be untorn and have been
// written. Meant to run under ThreadSanitizer and AddressSanitizer too.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "map/test/test_support.h"
#include "tophash/hash.h"
#include "tophash/map.h"

namespace tophash::testing {
namespace {

struct Stamp {
  uint64_t key = 0;
  uint32_t writer = 0;  // thread index + 1; 0 never written
  uint32_t sequence = 0;
  uint64_t salt = 0;
  uint64_t checksum = 0;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};
static_assert(sizeof(Stamp) == 32);

uint64_t StampChecksum(uint64_t key, uint32_t writer, uint32_t sequence,
                       uint64_t salt) {
  return Mix64(key ^ Mix64((uint64_t{writer} << 32) | sequence) ^ salt);
}

Stamp MakeStamp(uint64_t key, uint32_t writer, uint32_t sequence) {
  uint64_t salt = Mix64(key * 0x9e37'79b9'7f4a'7c15ULL + sequence);
  return {key, writer, sequence, salt,
          StampChecksum(key, writer, sequence, salt)};
}

struct StressConfig {
  int threads = 2;
  int writers = 0;  // threads 0..writers-1 write; 0 means all of them
  uint64_t keys = 256;
  size_t shards = 4;
  int ops_per_thread = 200'000;
  std::chrono::milliseconds time_limit{150};
};

// What every thread shares: the map, the highest sequence each writer has
// announced, and the first problem seen.
template <class Hash, class Policy = ProductionPolicy>
class StressRun {
 public:
  explicit StressRun(const StressConfig& config, Policy policy = Policy())
      : config_(config),
        map_({.shards = config.shards}, Hash(), std::move(policy)),
        announced_(config.threads) {}

  void Run() {
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int t = 0; t < config_.threads; ++t) {
      threads.emplace_back([this, t, &ready] {
        ready.fetch_add(1);
        while (ready.load() < config_.threads) std::this_thread::yield();
        RunThread(t);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }

  // Quiescent checks after every thread has joined.
  void CheckFinalState() {
    EXPECT_EQ(problem(), "");
    EXPECT_EQ(map_.check_invariants(), "");
    absl::flat_hash_map<uint64_t, Stamp> contents;
    size_t visits = 0;
    map_.for_each([&](uint64_t key, const Stamp& stamp) {
      ++visits;
      contents[key] = stamp;
    });
    EXPECT_EQ(visits, contents.size()) << "for_each visited a key twice";
    EXPECT_EQ(map_.size(), visits);
    absl::flat_hash_map<uint64_t, Stamp> expected;
    for (const auto& owned : final_states_) {
      for (const auto& [key, stamp] : owned) expected[key] = stamp;
    }
    EXPECT_EQ(contents.size(), expected.size());
    for (const auto& [key, stamp] : expected) {
      auto it = contents.find(key);
      if (it == contents.end()) {
        ADD_FAILURE() << "key " << key << " lost";
      } else {
        EXPECT_EQ(it->second, stamp) << "key " << key << " has a stale value";
      }
    }
  }

  std::string problem() {
    std::lock_guard<std::mutex> lock(problem_mu_);
    return problem_;
  }

 private:
  using MapType = Map<uint64_t, Stamp, Hash, Policy>;

  struct alignas(64) Announced {
    std::atomic<uint32_t> sequence{0};
  };

  void Report(const std::string& what) {
    std::lock_guard<std::mutex> lock(problem_mu_);
    if (problem_.empty()) problem_ = what;
  }

  // A value read for `key` must be a well-formed stamp for that key from a
  // writer that had already announced it.
  void Validate(uint64_t key, const Stamp& stamp, const char* where) {
    bool well_formed =
        stamp.writer >= 1 &&
        stamp.writer <= static_cast<uint32_t>(config_.threads) &&
        stamp.checksum ==
            StampChecksum(stamp.key, stamp.writer, stamp.sequence, stamp.salt);
    if (!well_formed) {
      Report(std::string(where) + ": torn or never-written value for key " +
             std::to_string(key));
    } else if (stamp.key != key) {
      Report(std::string(where) + ": key " + std::to_string(key) +
             " returned the value of key " + std::to_string(stamp.key));
    } else if (stamp.sequence > announced_[stamp.writer - 1].sequence.load(
                                    std::memory_order_acquire)) {
      Report(std::string(where) + ": value from the future for key " +
             std::to_string(key));
    }
  }

  int Writers() const {
    return config_.writers == 0 ? config_.threads : config_.writers;
  }

  // Keys owned by writer t are those with key % Writers() == t.
  uint64_t OwnedKey(int t, std::mt19937_64& rng) const {
    uint64_t per_thread = config_.keys / Writers();
    return (rng() % per_thread) * Writers() + t;
  }

  // Each thread's exact knowledge of the keys it owns.
  using OwnState = absl::flat_hash_map<uint64_t, Stamp>;

  void RunThread(int t) {
    std::mt19937_64 rng(0x5eed + t);
    OwnState mine;
    uint32_t sequence = 0;
    auto deadline = std::chrono::steady_clock::now() + config_.time_limit;
    for (int op = 0; op < config_.ops_per_thread; ++op) {
      if (op % 256 == 0 && std::chrono::steady_clock::now() > deadline) break;
      int dice = static_cast<int>(rng() % 100);
      if (dice < 40 || t >= Writers()) {
        FindAnyKey(rng() % config_.keys);
      } else if (dice < 55) {
        CheckOwnKey(OwnedKey(t, rng), mine);
      } else if (dice < 90) {
        WriteOwnKey(t, OwnedKey(t, rng), ++sequence, /*assign=*/dice >= 72,
                    mine);
      } else if (dice < 99) {
        EraseOwnKey(OwnedKey(t, rng), mine);
      } else {
        RunWholeMapOperation(rng);
      }
    }
    std::lock_guard<std::mutex> lock(problem_mu_);
    final_states_.push_back(std::move(mine));
  }

  void FindAnyKey(uint64_t key) {
    Stamp stamp;
    if (map_.find(key, &stamp)) Validate(key, stamp, "find");
  }

  void WriteOwnKey(int t, uint64_t key, uint32_t sequence, bool assign,
                   OwnState& mine) {
    Stamp stamp = MakeStamp(key, t + 1, sequence);
    // Announce before writing, so no reader can see an unannounced value.
    announced_[t].sequence.store(sequence, std::memory_order_release);
    if (assign) {
      map_.insert_or_assign(key, stamp);
      mine[key] = stamp;
      return;
    }
    bool inserted = map_.insert(key, stamp);
    if (inserted == mine.contains(key)) Report("insert result wrong");
    if (inserted) mine[key] = stamp;
  }

  void EraseOwnKey(uint64_t key, OwnState& mine) {
    if (map_.erase(key) != (mine.erase(key) == 1)) {
      Report("erase result wrong for key " + std::to_string(key));
    }
  }

  // Only this thread writes its keys, so the map must agree with it exactly.
  void CheckOwnKey(uint64_t key, const OwnState& mine) {
    Stamp stamp;
    bool found = map_.find(key, &stamp);
    auto it = mine.find(key);
    if (found != (it != mine.end())) {
      Report(std::string(found ? "ghost" : "lost") + " own key " +
             std::to_string(key));
    } else if (found && !(stamp == it->second)) {
      Validate(key, stamp, "own find");
      Report("own key " + std::to_string(key) + " has a stale value");
    }
  }

  void RunWholeMapOperation(std::mt19937_64& rng) {
    switch (rng() % 3) {
      case 0:
        if (map_.size() > config_.keys) Report("size above the key range");
        break;
      case 1:
        map_.for_each([&](uint64_t key, const Stamp& stamp) {
          Validate(key, stamp, "for_each");
        });
        break;
      default:
        map_.reserve(rng() % (2 * config_.keys));
        break;
    }
  }

  StressConfig config_;
  MapType map_;
  std::vector<Announced> announced_;
  std::mutex problem_mu_;
  std::string problem_;
  std::vector<absl::flat_hash_map<uint64_t, Stamp>> final_states_;
};

// Several fresh maps per configuration, so growth (which happens while a map
// fills) keeps recurring during the run.
template <class Hash>
void RunRounds(StressConfig config, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    StressRun<Hash> run(config);
    run.Run();
    run.CheckFinalState();
    if (::testing::Test::HasFailure()) return;
  }
}

// Updates values in place without a write section and yields halfway through
// each value store, so concurrent readers copy half-old, half-new values.
struct TornUpdatePolicy : tophash::StdAtomics {
  using Mutex = std::mutex;

  void point(Site site, const void* = nullptr) const {
    // Spin rather than sleep: the writer holds its shard lock here, and a
    // sleeping lock holder would only park the other threads.
    if (site != Site::kBetweenValueWords) return;
    for (int spin = 0; spin < 2000; ++spin) internal::CpuRelax();
  }
  bool enabled(Fault fault) const {
    return fault == Fault::kValueUpdateWithoutVersion;
  }
  void* allocate(size_t bytes) const {
    return ::operator new (bytes, std::align_val_t{64});
  }
  void deallocate(void* block, size_t) const noexcept {
    ::operator delete (block, std::align_val_t{64});
  }
};

// The validation must be able to fail: a map that tears values is caught.
TEST(MapStressCanFailTest, CatchesTornValuesFromUnversionedUpdate) {
  StressConfig config{.threads = 2,
                      .writers = 1,
                      .keys = 16,
                      .shards = 1,
                      .time_limit = std::chrono::milliseconds(50)};
  std::string problem;
  for (int round = 0; round < 40 && problem.empty(); ++round) {
    StressRun<DefaultHash<uint64_t>, TornUpdatePolicy> run(config);
    run.Run();
    problem = run.problem();
  }
  EXPECT_NE(problem.find("torn"), std::string::npos) << problem;
}

class MapStressTest : public ::testing::TestWithParam<int> {
 protected:
  StressConfig Config(uint64_t keys, size_t shards) const {
    StressConfig config;
    config.threads = GetParam();
    config.keys = keys;
    config.shards = shards;
    config.time_limit = std::chrono::milliseconds(30);
    return config;
  }
};

TEST_P(MapStressTest, DefaultHash) {
  RunRounds<DefaultHash<uint64_t>>(Config(1024, 4), 3);
}

TEST_P(MapStressTest, DefaultHashOneShard) {
  RunRounds<DefaultHash<uint64_t>>(Config(512, 1), 3);
}

// Readers outnumber the single writer: lock-free finds under growth.
TEST_P(MapStressTest, OneWriterManyReaders) {
  StressConfig config = Config(512, 4);
  config.writers = 1;
  RunRounds<DefaultHash<uint64_t>>(config, 3);
}

TEST_P(MapStressTest, SameTopHash) {
  RunRounds<SameTopHash>(Config(256, 2), 3);
}

TEST_P(MapStressTest, SameBucketHash) {
  RunRounds<SameBucketHash>(Config(64, 2), 3);
}

INSTANTIATE_TEST_SUITE_P(Threads, MapStressTest, ::testing::Values(2, 4, 8),
                         [](const auto& info) {
                           return std::to_string(info.param) + "Threads";
                         });

}  // namespace
}  // namespace tophash::testing
