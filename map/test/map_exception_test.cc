// Exception safety of the tophash map: an allocation that fails in the
// middle of any write (growth, evacuation, a new overflow bucket, clear)
// leaves the map usable and holding exactly the writes that succeeded, with
// no write section left open (a reader would then wait forever). Under the
// asan preset the same runs also prove that nothing leaks.

#include <gtest/gtest.h>

#include <cstdint>
#include <mutex>
#include <new>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "map/test/test_support.h"
#include "tophash/map.h"

namespace tophash {
namespace {

// Fails the allocation after `*allocations_left` more have succeeded.
struct FailingAllocationPolicy : tophash::StdAtomics {
  using Mutex = std::mutex;
  int64_t* allocations_left;

  void point(Site, const void* = nullptr) {}
  bool enabled(Fault) const { return false; }
  void* allocate(size_t bytes) {
    if ((*allocations_left)-- <= 0) throw std::bad_alloc();
    return ::operator new (bytes, std::align_val_t{64});
  }
  void deallocate(void* block, size_t) noexcept {
    ::operator delete (block, std::align_val_t{64});
  }
};

using FailingMap =
    Map<uint64_t, uint64_t, testing::SameBucketHash, FailingAllocationPolicy>;

// Runs a write mix in which allocation number `fail_at` fails; afterwards
// the map must agree with an oracle that saw only the writes that returned.
void RunWithFailureAt(int64_t fail_at) {
  int64_t allocations_left = 1 << 30;
  FailingMap map(MapOptions{.shards = 2}, testing::SameBucketHash{},
                 FailingAllocationPolicy{{}, &allocations_left});
  allocations_left = fail_at;
  absl::flat_hash_map<uint64_t, uint64_t> oracle;
  std::mt19937_64 random(fail_at);
  int failures = 0;
  for (int step = 0; step < 400; ++step) {
    uint64_t key = random() % 96;
    int op = random() % 10;
    try {
      if (op < 6) {
        map.insert_or_assign(key, step);
        oracle[key] = step;
      } else if (op < 9) {
        map.erase(key);
        oracle.erase(key);
      } else if (step % 50 == 0) {
        map.clear();
        oracle.clear();
      }
    } catch (const std::bad_alloc&) {
      ++failures;
      allocations_left = 1 << 30;  // the next writes succeed
    }
  }
  ASSERT_EQ(map.check_invariants(), "") << "failure at allocation " << fail_at;
  ASSERT_EQ(map.size(), oracle.size()) << "failure at allocation " << fail_at;
  for (const auto& [key, value] : oracle) {
    uint64_t found = 0;
    ASSERT_TRUE(map.find(key, &found)) << "k" << key << ", fail at " << fail_at;
    ASSERT_EQ(found, value);
  }
  EXPECT_LE(failures, 1);
}

TEST(MapExceptionTest, FailedAllocationLeavesTheMapConsistent) {
  // The mix makes a few hundred allocations; fail each one in turn.
  for (int64_t fail_at = 0; fail_at < 400; ++fail_at) {
    RunWithFailureAt(fail_at);
    if (HasFatalFailure()) return;
  }
}

// A constructor that cannot allocate every shard's table throws and frees
// what it had (the asan preset's leak check holds it to that).
TEST(MapExceptionTest, FailedConstructionThrowsAndFreesEverything) {
  for (int64_t fail_at = 0; fail_at < 16; ++fail_at) {
    int64_t allocations_left = fail_at;
    EXPECT_THROW(FailingMap(MapOptions{.shards = 16}, testing::SameBucketHash{},
                            FailingAllocationPolicy{{}, &allocations_left}),
                 std::bad_alloc);
  }
}

TEST(MapExceptionTest, ImpossibleCapacityIsALengthError) {
  Map<uint64_t, uint64_t> map;
  EXPECT_THROW(map.reserve(SIZE_MAX), std::length_error);
  EXPECT_THROW(
      (Map<uint64_t, uint64_t>(MapOptions{.initial_capacity = SIZE_MAX})),
      std::length_error);
}

}  // namespace
}  // namespace tophash
