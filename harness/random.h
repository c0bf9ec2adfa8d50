// The harness's own randomness: a frozen 64-bit mixer and the one seeded
// stream everything random in the harness draws from.
//
// Stored cases depend on these functions bit for bit: a generated schedule
// is named by its seed, the controlled executor's PCT priorities come from
// the schedule's seed, stamps (and so the torn labels in .history files)
// carry FrozenMix64 outputs, and keys hash through it. So the harness does
// not borrow the map's hash (tophash::Mix64, which the map may change for
// speed at any time): FrozenMix64 is a copy of MurmurHash3's 64-bit
// finalizer whose constants must never change, and random_test.cc pins
// known outputs of everything built on it.

#ifndef THFUZZ_HARNESS_RANDOM_H_
#define THFUZZ_HARNESS_RANDOM_H_

#include <cstddef>
#include <cstdint>

namespace thfuzz {

// 2^64 / golden ratio, odd: SplitMix64's increment, and a multiplier that
// spreads consecutive integers over all 64 bits.
inline constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

// MurmurHash3's fmix64. A bijection on 64-bit words that maps 0 to 0.
// Frozen: see the file comment.
constexpr uint64_t FrozenMix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// A SplitMix64-style stream: a Weyl sequence in steps of kGoldenGamma,
// each state mixed by FrozenMix64. Small, fast, well mixed, and the same
// from a given seed on every platform.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += kGoldenGamma;
    return FrozenMix64(state_);
  }
  // Uniform in [0, n); 0 when n <= 1.
  size_t Below(size_t n) { return n <= 1 ? 0 : Next() % n; }
  // Uniform in [low, high]; low when high <= low.
  size_t Between(size_t low, size_t high) {
    return high <= low ? low : low + Next() % (high - low + 1);
  }

 private:
  uint64_t state_;
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_RANDOM_H_
