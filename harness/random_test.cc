// Pins the outputs that stored cases depend on: the frozen mixer, the
// seeded stream, stamps and key hashes (random.h, stamp.h, key_space.h);
// core_test.cc pins the history hash. A change to any expected number here
// means every generated schedule, PCT priority, stamp or .history file would
// read differently, so these numbers must never be updated to make a test pass.

#include "harness/random.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "harness/key_space.h"
#include "harness/stamp.h"

namespace thfuzz {
namespace {

TEST(FrozenRandomTest, MixerOutputsArePinned) {
  static_assert(FrozenMix64(0) == 0);
  EXPECT_EQ(FrozenMix64(1), 12994781566227106604ULL);
  EXPECT_EQ(FrozenMix64(2), 4233148493373801447ULL);
  EXPECT_EQ(FrozenMix64(kGoldenGamma), 11286133854226296554ULL);
  EXPECT_EQ(FrozenMix64(~uint64_t{0}), 7256831767414464289ULL);
}

TEST(FrozenRandomTest, SeededStreamIsPinned) {
  SeededRandom zero(0);
  EXPECT_EQ(zero.Next(), 11286133854226296554ULL);
  EXPECT_EQ(zero.Next(), 15207254349468351959ULL);
  EXPECT_EQ(zero.Next(), 15560307615617956227ULL);
  SeededRandom answer(42);
  EXPECT_EQ(answer.Next(), 3250621881602310087ULL);
  EXPECT_EQ(answer.Next(), 540350159304224772ULL);
  EXPECT_EQ(answer.Next(), 8614243093142228113ULL);
  SeededRandom seven(7);
  EXPECT_EQ(seven.Below(1000), 461u);
  EXPECT_EQ(seven.Between(10, 20), 18u);
}

TEST(FrozenRandomTest, StampWordsArePinned) {
  EXPECT_EQ(StampSalt(0, 3, 7), 12928267170863700251ULL);
  EXPECT_EQ(StampChecksum(0, 0x300000007ULL, 99), 17482947794104571037ULL);
  Stamp zero_key = MakeStamp(0, 2, 5);
  EXPECT_EQ(zero_key.salt, 16019475257560732880ULL);
  EXPECT_EQ(zero_key.checksum, 8630676160645011698ULL);
  Stamp key42 = MakeStamp(42, 2, 5);
  EXPECT_EQ(key42.salt, 11682621491160918188ULL);
  EXPECT_EQ(key42.checksum, 3622211186332943764ULL);
}

TEST(FrozenRandomTest, KeyHashesArePinned) {
  HarnessHash spread{KeyShape::kSpread};
  EXPECT_EQ(spread(0), 12994781566227106604ULL);
  EXPECT_EQ(spread(1), 4233148493373801447ULL);
  EXPECT_EQ(spread(42), 2323475623862523413ULL);
  HarnessHash collide{KeyShape::kCollide};
  EXPECT_EQ(collide(0), 12321848580485677068ULL);
  EXPECT_EQ(collide(1), 12321848580485677063ULL);
  EXPECT_EQ(collide(42), 12321848580485677061ULL);
}

}  // namespace
}  // namespace thfuzz
