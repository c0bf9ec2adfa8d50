// Key space: how a schedule's key indices become keys and hashes.
//
// Key index i is the 64-bit key i, so `k3` means the same key in a .sched
// file, a history and a report. The hash depends on the schedule's
// KeyShape. kSpread mixes every bit (the production situation). kCollide
// gives every key the same top byte and the same shard and varies only the
// low four bits: lookups must compare full keys (tophash matches everywhere),
// buckets overflow after eight keys, and a shard grows at its ninth key, so
// overflow chains, evacuation and same-size growth are reached by schedules
// of a dozen operations.

#ifndef THFUZZ_HARNESS_KEY_SPACE_H_
#define THFUZZ_HARNESS_KEY_SPACE_H_

#include <cstdint>

#include "harness/random.h"
#include "harness/schedule.h"

namespace thfuzz {

inline uint64_t KeyFor(uint8_t index) { return index; }

struct HarnessHash {
  KeyShape shape = KeyShape::kSpread;

  uint64_t operator()(uint64_t key) const {
    // FrozenMix64(0) is 0; the offset keeps key 0 from hashing to all zero
    // bits.
    uint64_t mixed = FrozenMix64(key + 1);
    if (shape == KeyShape::kSpread) return mixed;
    return (uint64_t{0xAB} << 56) | (mixed & 0xF);
  }
};

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_KEY_SPACE_H_
