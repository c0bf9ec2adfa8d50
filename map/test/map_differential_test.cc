// Sequential differential tests of tophash::Map against absl::flat_hash_map:
// seeded random operation mixes under hashers that force tophash collisions
// and long overflow chains, growth in the middle of a sequence, same-size
// growth, initial capacity, reserve and for_each. The map's structure is
// checked after every step.

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "map/test/test_support.h"
#include "tophash/map.h"

namespace tophash::testing {
namespace {

struct MixConfig {
  uint64_t seed = 1;
  int steps = 3000;
  uint64_t key_range = 600;
  size_t shards = 1;
  size_t initial_capacity = 0;
};

std::string Describe(const MixConfig& config) {
  return "seed=" + std::to_string(config.seed) +
         " shards=" + std::to_string(config.shards) +
         " initial_capacity=" + std::to_string(config.initial_capacity) +
         " key_range=" + std::to_string(config.key_range);
}

// Runs a seeded random mix; returns "" or the first disagreement. The key
// range widens over the first half of the run, so the map keeps growing in
// the middle of the sequence instead of only at its start.
template <class V, class Hash>
std::string RunRandomMix(const MixConfig& config, Fault fault = Fault::kNone) {
  FaultPolicyFor<V> policy;
  policy.fault = fault;
  Differential<V, Hash> run(
      {.shards = config.shards, .initial_capacity = config.initial_capacity},
      policy, /*check_invariants=*/true);
  std::mt19937_64 rng(config.seed);
  for (int step = 0; step < config.steps; ++step) {
    uint64_t range =
        8 + config.key_range * std::min(2 * step, config.steps) / config.steps;
    uint64_t key = rng() % range;
    int dice = static_cast<int>(rng() % 1000);
    Mismatch mismatch;
    if (dice < 300) {
      mismatch = run.Find(key);
    } else if (dice < 550) {
      mismatch = run.Insert(key);
    } else if (dice < 700) {
      mismatch = run.InsertOrAssign(key);
    } else if (dice < 930) {
      mismatch = run.Erase(key);
    } else if (dice < 960) {
      mismatch = run.Size();
    } else if (dice < 995) {
      mismatch = run.ForEach();
    } else if (dice < 998) {
      // Small: a large reserve would end growth for the rest of the run.
      mismatch = run.Reserve(rng() % (config.key_range / 4));
    } else {
      mismatch = run.Clear();
    }
    if (mismatch != Mismatch::kNone) {
      return "step " + std::to_string(step) + ": " + run.detail();
    }
  }
  if (run.ForEach() != Mismatch::kNone) return "final: " + run.detail();
  return "";
}

std::vector<MixConfig> StandardConfigs(int steps, uint64_t key_range) {
  std::vector<MixConfig> configs;
  for (uint64_t seed : {1, 2, 3}) {
    for (size_t shards : {1, 4}) {
      configs.push_back({seed, steps, key_range, shards, 0});
    }
  }
  configs.push_back({4, steps, key_range, 16, key_range / 2});
  return configs;
}

template <class V, class Hash>
void ExpectMatchesAbsl(int steps, uint64_t key_range) {
  for (const MixConfig& config : StandardConfigs(steps, key_range)) {
    EXPECT_EQ((RunRandomMix<V, Hash>(config)), "") << Describe(config);
  }
}

TEST(MapDifferentialTest, DefaultHashU64MatchesAbsl) {
  ExpectMatchesAbsl<uint64_t, DefaultHash<uint64_t>>(3000, 600);
}

TEST(MapDifferentialTest, DefaultHashValue32MatchesAbsl) {
  ExpectMatchesAbsl<Value32, DefaultHash<uint64_t>>(3000, 600);
}

TEST(MapDifferentialTest, SameTopHashU64MatchesAbsl) {
  ExpectMatchesAbsl<uint64_t, SameTopHash>(2000, 300);
}

TEST(MapDifferentialTest, SameTopHashValue32MatchesAbsl) {
  ExpectMatchesAbsl<Value32, SameTopHash>(2000, 300);
}

// All keys of a shard share bucket 0: one long overflow chain per shard.
TEST(MapDifferentialTest, SameBucketHashU64MatchesAbsl) {
  ExpectMatchesAbsl<uint64_t, SameBucketHash>(1500, 80);
}

TEST(MapDifferentialTest, SameBucketHashValue32MatchesAbsl) {
  ExpectMatchesAbsl<Value32, SameBucketHash>(1500, 80);
}

// The random mix must be able to fail: it catches every sequential fault.
// (erase_miss_leaves_write_open is caught by check_invariants() right after
// the erase, before any find() could spin on the odd version.)
TEST(MapDifferentialTest, RandomMixCatchesEverySequentialFault) {
  for (int i = 0; i < kFaultCount; ++i) {
    auto fault = static_cast<Fault>(i);
    if (!IsSequentialFault(fault)) continue;
    MixConfig config{.seed = 1, .steps = 3000, .key_range = 600, .shards = 4};
    EXPECT_NE((RunRandomMix<Value32, SameTopHash>(config, fault)), "")
        << FaultName(fault);
  }
}

// ----- Growth ----------------------------------------------------------------

// The first growth of an empty single-shard map starts at log2 0; a growth
// whose new array is no larger than the previous one is same-size growth.
bool HadSameSizeGrowth(const std::vector<unsigned>& grown_to) {
  unsigned previous = 0;
  for (unsigned log2 : grown_to) {
    if (log2 == previous) return true;
    previous = log2;
  }
  return false;
}

TEST(MapGrowthTest, DoublesInTheMiddleOfASequence) {
  Differential<uint64_t, DefaultHash<uint64_t>> run({.shards = 1}, {}, true);
  for (uint64_t key = 0; key < 2000; ++key) {
    ASSERT_EQ(run.Insert(key), Mismatch::kNone) << run.detail();
    // Growth is incremental: every key must stay findable while it runs.
    ASSERT_EQ(run.Find(key / 2), Mismatch::kNone) << run.detail();
    if (key % 3 == 0) {
      ASSERT_EQ(run.Erase(key / 3), Mismatch::kNone) << run.detail();
    }
  }
  const std::vector<unsigned>& grown_to = run.map().policy().grown_to;
  ASSERT_GE(grown_to.size(), 5u);
  for (size_t i = 1; i < grown_to.size(); ++i) {
    EXPECT_EQ(grown_to[i], grown_to[i - 1] + 1) << "growth " << i;
  }
  EXPECT_EQ(run.ForEach(), Mismatch::kNone) << run.detail();
}

// Churn at a steady size just under the load factor: each bucket's chain
// overflows now and then, overflow buckets are never freed, and once there
// are as many as buckets the map must rebuild at the same size and lose
// nothing.
TEST(MapGrowthTest, SameSizeGrowthAfterChurnKeepsEveryKey) {
  Differential<Value32, DefaultHash<uint64_t>> run({.shards = 1}, {}, true);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> live;
  constexpr size_t kSteadySize = 100;  // 16 buckets hold 104
  for (int step = 0; step < 4000; ++step) {
    Mismatch mismatch;
    if (live.size() < kSteadySize) {
      live.push_back(rng() % 1'000'000);
      mismatch = run.InsertOrAssign(live.back());
    } else {
      size_t victim = rng() % live.size();
      mismatch = run.Erase(live[victim]);
      live[victim] = live.back();
      live.pop_back();
    }
    ASSERT_EQ(mismatch, Mismatch::kNone) << "step " << step << run.detail();
    ASSERT_EQ(run.Find(live[rng() % live.size()]), Mismatch::kNone)
        << run.detail();
  }
  EXPECT_TRUE(HadSameSizeGrowth(run.map().policy().grown_to));
  EXPECT_EQ(run.ForEach(), Mismatch::kNone) << run.detail();
}

// ----- Options and reserve ---------------------------------------------------

template <class V>
size_t GrowthsWhileInserting(MapOptions options, uint64_t count,
                             size_t reserve = 0) {
  Differential<V, DefaultHash<uint64_t>> run(options, {}, false);
  if (reserve != 0) run.Reserve(reserve);
  size_t growths_before = run.map().policy().grown_to.size();
  for (uint64_t key = 0; key < count; ++key) {
    if (run.Insert(key) != Mismatch::kNone) return SIZE_MAX;
  }
  if (run.ForEach() != Mismatch::kNone) return SIZE_MAX;
  return run.map().policy().grown_to.size() - growths_before;
}

TEST(MapOptionsTest, InitialCapacityAvoidsGrowth) {
  EXPECT_EQ(GrowthsWhileInserting<uint64_t>(
                {.shards = 1, .initial_capacity = 5000}, 5000),
            0u);
  EXPECT_EQ(GrowthsWhileInserting<Value32>(
                {.shards = 4, .initial_capacity = 4000}, 4000),
            0u);
  // The control: without it the same inserts grow the map many times.
  EXPECT_GE(GrowthsWhileInserting<uint64_t>({.shards = 1}, 5000), 9u);
}

TEST(MapOptionsTest, ReserveAvoidsGrowthAndKeepsEntries) {
  EXPECT_EQ(GrowthsWhileInserting<uint64_t>({.shards = 1}, 5000, 5000), 0u);
  // Reserving a full map mid-growth must keep every entry.
  Differential<uint64_t, DefaultHash<uint64_t>> run({.shards = 2}, {}, true);
  for (uint64_t key = 0; key < 300; ++key) {
    ASSERT_EQ(run.Insert(key), Mismatch::kNone) << run.detail();
  }
  ASSERT_EQ(run.Reserve(20000), Mismatch::kNone) << run.detail();
  EXPECT_EQ(run.ForEach(), Mismatch::kNone) << run.detail();
  EXPECT_EQ(run.Size(), Mismatch::kNone) << run.detail();
}

TEST(MapOptionsTest, ShardCountIsAPowerOfTwoUpTo256) {
  EXPECT_EQ((Map<uint64_t, uint64_t>({.shards = 0}).shard_count()), 1u);
  EXPECT_EQ((Map<uint64_t, uint64_t>({.shards = 3}).shard_count()), 4u);
  EXPECT_EQ((Map<uint64_t, uint64_t>({.shards = 1000}).shard_count()), 256u);
}

// ----- for_each and the basic contract ---------------------------------------

TEST(MapForEachTest, VisitsEachEntryOnceWhileGrowing) {
  Differential<Value32, DefaultHash<uint64_t>> run(
      {.shards = 1, .initial_capacity = 1500}, {}, true);
  uint64_t key = 0;
  while (run.map().policy().grown_to.empty()) {
    ASSERT_EQ(run.Insert(key++), Mismatch::kNone) << run.detail();
  }
  // One write evacuates at most two of the 256 old buckets, so the shard is
  // mid-growth now: entries sit in both arrays.
  EXPECT_EQ(run.ForEach(), Mismatch::kNone) << run.detail();
  ASSERT_EQ(run.Erase(3), Mismatch::kNone);
  EXPECT_EQ(run.ForEach(), Mismatch::kNone) << run.detail();
}

TEST(MapForEachTest, CallbackMayUseTheMap) {
  Map<uint64_t, uint64_t> map({.shards = 4});
  for (uint64_t key = 0; key < 100; ++key) map.insert(key, key);
  size_t visited = 0;
  map.for_each([&](uint64_t key, uint64_t value) {
    uint64_t found = 0;
    EXPECT_TRUE(map.find(key, &found));
    EXPECT_EQ(found, value);
    map.insert_or_assign(key, value + 1000);
    ++visited;
  });
  EXPECT_EQ(visited, 100u);
  uint64_t value = 0;
  ASSERT_TRUE(map.find(42, &value));
  EXPECT_EQ(value, 1042u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(MapTest, BasicContract) {
  Map<uint64_t, Value32> map({.shards = 2});
  Value32 first = MakeValue<Value32>(5, 1);
  Value32 second = MakeValue<Value32>(5, 2);
  EXPECT_FALSE(map.find(5, nullptr));
  EXPECT_TRUE(map.insert(5, first));
  EXPECT_FALSE(map.insert(5, second));  // insert never overwrites
  Value32 got;
  ASSERT_TRUE(map.find(5, &got));
  EXPECT_EQ(got, first);
  map.insert_or_assign(5, second);
  ASSERT_TRUE(map.find(5, &got));
  EXPECT_EQ(got, second);
  EXPECT_TRUE(map.find(5, nullptr));
  EXPECT_EQ(map.size(), 1u);
  EXPECT_TRUE(map.erase(5));
  EXPECT_FALSE(map.erase(5));
  EXPECT_EQ(map.size(), 0u);
  map.insert(6, first);
  map.clear();
  EXPECT_FALSE(map.find(6, nullptr));
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace tophash::testing
