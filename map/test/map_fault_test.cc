// Each sequential fault of tophash::Map (policy.h) gives a wrong, user-visible
// result on a short deterministic operation sequence, and the same sequence
// is correct with Fault::kNone. This proves the faults are real bugs and the
// differential driver sees them, so tests built on it can fail.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "map/test/test_support.h"
#include "tophash/map.h"
#include "tophash/policy.h"

namespace tophash::testing {
namespace {

enum class OpKind { kFind, kInsert, kAssign, kErase, kSize };

struct Op {
  OpKind kind;
  uint64_t key = 0;
};

struct Outcome {
  Mismatch mismatch = Mismatch::kNone;
  size_t step = 0;  // index of the operation that disagreed
  std::string detail;
};

// Runs `ops` on a single-shard map with `fault` switched on. Invariants are
// checked only on the correct map: a faulty map's broken structure is not
// what these tests are about, its wrong answers are.
template <class Hash, class V = uint64_t>
Outcome RunScript(Fault fault, const std::vector<Op>& ops) {
  FaultPolicyFor<V> policy;
  policy.fault = fault;
  Differential<V, Hash> run({.shards = 1}, policy,
                            /*check_invariants=*/fault == Fault::kNone);
  for (size_t step = 0; step < ops.size(); ++step) {
    const Op& op = ops[step];
    Mismatch mismatch = Mismatch::kNone;
    switch (op.kind) {
      case OpKind::kFind:
        mismatch = run.Find(op.key);
        break;
      case OpKind::kInsert:
        mismatch = run.Insert(op.key);
        break;
      case OpKind::kAssign:
        mismatch = run.InsertOrAssign(op.key);
        break;
      case OpKind::kErase:
        mismatch = run.Erase(op.key);
        break;
      case OpKind::kSize:
        mismatch = run.Size();
        break;
    }
    if (mismatch != Mismatch::kNone) return {mismatch, step, run.detail()};
  }
  return {Mismatch::kNone, ops.size(), ""};
}

// Inserts 0..count-1, finding every key inserted so far after each insert.
std::vector<Op> InsertThenFindAll(uint64_t count) {
  std::vector<Op> ops;
  for (uint64_t key = 0; key < count; ++key) {
    ops.push_back({OpKind::kInsert, key});
    for (uint64_t old = 0; old <= key; ++old)
      ops.push_back({OpKind::kFind, old});
  }
  return ops;
}

// Expects the fault to produce `expected` within `ops` and the correct map to
// pass the same ops with its invariants intact.
template <class Hash, class V = uint64_t>
void ExpectFaultShows(Fault fault, const std::vector<Op>& ops,
                      Mismatch expected) {
  Outcome faulty = RunScript<Hash, V>(fault, ops);
  EXPECT_EQ(MismatchName(faulty.mismatch), std::string(MismatchName(expected)))
      << FaultName(fault) << ": " << faulty.detail << " at step "
      << faulty.step;
  Outcome correct = RunScript<Hash, V>(Fault::kNone, ops);
  EXPECT_EQ(correct.mismatch, Mismatch::kNone) << correct.detail;
}

// Keys in overflow buckets vanish when their bucket is evacuated. With every
// key in bucket 0, the chain overflows after 8 keys and the next doubling
// drops keys 8 and up.
TEST(MapFaultTest, EvacuateDropsOverflowLosesKeys) {
  ExpectFaultShows<SameBucketHash>(Fault::kEvacuateDropsOverflow,
                                   InsertThenFindAll(40), Mismatch::kLostKey);
  ExpectFaultShows<SameBucketHash, Value32>(
      Fault::kEvacuateDropsOverflow, InsertThenFindAll(40), Mismatch::kLostKey);
}

// With one top byte for all keys, find() of an absent key returns the value
// of the first key in its bucket.
TEST(MapFaultTest, TophashMatchIsKeyMatchReturnsForeignValue) {
  std::vector<Op> ops;
  for (uint64_t key = 0; key < 20; key += 2) {
    ops.push_back({OpKind::kInsert, key});
    ops.push_back({OpKind::kFind, key + 1});
  }
  ExpectFaultShows<SameTopHash>(Fault::kTophashMatchIsKeyMatch, ops,
                                Mismatch::kForeignValue);
  ExpectFaultShows<SameTopHash, Value32>(Fault::kTophashMatchIsKeyMatch, ops,
                                         Mismatch::kForeignValue);
}

// Erasing slot 0 of a full bucket marks it "nothing after this", so lookups
// stop there and miss the seven keys behind it.
TEST(MapFaultTest, EraseMarksEmptyRestEarlyLosesKeys) {
  std::vector<Op> ops;
  for (uint64_t key = 0; key < 8; ++key) ops.push_back({OpKind::kInsert, key});
  ops.push_back({OpKind::kErase, 0});
  for (uint64_t key = 0; key < 8; ++key) ops.push_back({OpKind::kFind, key});
  ExpectFaultShows<SameBucketHash>(Fault::kEraseMarksEmptyRestEarly, ops,
                                   Mismatch::kLostKey);
}

TEST(MapFaultTest, SizeMiscountsReplaceReportsWrongSize) {
  std::vector<Op> ops = {{OpKind::kInsert, 1},
                         {OpKind::kSize},
                         {OpKind::kAssign, 1},
                         {OpKind::kSize}};
  Outcome faulty =
      RunScript<DefaultHash<uint64_t>>(Fault::kSizeMiscountsReplace, ops);
  EXPECT_EQ(faulty.mismatch, Mismatch::kWrongSize) << faulty.detail;
  EXPECT_EQ(faulty.step, 3u);  // after the replace, not before
  ExpectFaultShows<DefaultHash<uint64_t>>(Fault::kSizeMiscountsReplace, ops,
                                          Mismatch::kWrongSize);
}

// Once a doubling starts on a table of several buckets, keys still in
// unevacuated old buckets are reported absent.
TEST(MapFaultTest, IgnoreOldBucketsWhileGrowingLosesKeys) {
  ExpectFaultShows<DefaultHash<uint64_t>>(Fault::kIgnoreOldBucketsWhileGrowing,
                                          InsertThenFindAll(120),
                                          Mismatch::kLostKey);
}

// erase() of an absent key leaves the shard's version odd. A find() on that
// shard would now spin forever, so the test asks check_invariants() instead.
TEST(MapFaultTest, EraseMissLeavesWriteOpenMakesVersionOdd) {
  for (Fault fault : {Fault::kEraseMissLeavesWriteOpen, Fault::kNone}) {
    FaultPolicy policy;
    policy.fault = fault;
    Map<uint64_t, uint64_t, DefaultHash<uint64_t>, FaultPolicy> map(
        {.shards = 1}, {}, policy);
    map.insert(1, 10);
    EXPECT_TRUE(map.erase(1));  // a hit closes the section it opened
    EXPECT_EQ(map.check_invariants(), "") << FaultName(fault);
    EXPECT_FALSE(map.erase(2));
    std::string problems = map.check_invariants();
    if (fault == Fault::kNone) {
      EXPECT_EQ(problems, "");
    } else {
      EXPECT_NE(problems.find("version is odd"), std::string::npos) << problems;
    }
  }
}

// The tests above must cover every fault that one thread can trigger.
TEST(MapFaultTest, EverySequentialFaultHasATest) {
  const std::vector<Fault> tested = {
      Fault::kEvacuateDropsOverflow,        Fault::kTophashMatchIsKeyMatch,
      Fault::kEraseMarksEmptyRestEarly,     Fault::kSizeMiscountsReplace,
      Fault::kIgnoreOldBucketsWhileGrowing, Fault::kEraseMissLeavesWriteOpen};
  for (int i = 0; i < kFaultCount; ++i) {
    auto fault = static_cast<Fault>(i);
    bool has_test =
        std::find(tested.begin(), tested.end(), fault) != tested.end();
    EXPECT_EQ(IsSequentialFault(fault), has_test) << FaultName(fault);
  }
}

}  // namespace
}  // namespace tophash::testing
