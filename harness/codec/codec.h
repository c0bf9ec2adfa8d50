// Binary codec: the byte form of a Schedule that fuzzers mutate.
//
// DecodeSchedule() is total: every byte string, including the empty one,
// decodes to a schedule that passes ValidateSchedule(), and the work and
// memory it takes are bounded by the caps in Schedule however long the input
// is. EncodeSchedule() is its inverse: decode(encode(s)) == s for every valid
// schedule s, so every valid schedule is canonical and no Canonicalize() step
// is needed.
//
// The layout (FORMAT.md, "Binary form") is a fixed-size header, then
// fixed-size operation records that each name their own thread, then the
// scheduling decisions as the trailing bytes. Every field sits at a fixed
// offset and out-of-range values are reduced, never rejected, so one mutated
// byte changes one header field, one operation or one decision instead of
// reinterpreting the rest of the input.

#ifndef THFUZZ_HARNESS_CODEC_CODEC_H_
#define THFUZZ_HARNESS_CODEC_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/schedule.h"

namespace thfuzz {

// Version 2 is version 1 with one more header byte, the granularity.
// EncodeSchedule() writes version 1 for coarse schedules (so every input
// stored before version 2 existed encodes as it always did) and version 2
// for fine and weak ones. A version byte of 2 selects version 2; every other
// value decodes as version 1, whose schedules are coarse.
inline constexpr uint8_t kCodecVersion = 1;
inline constexpr uint8_t kCodecVersionWithGranularity = 2;
inline constexpr size_t kCodecHeaderSize = 17;    // version 1
inline constexpr size_t kCodecHeaderSizeV2 = 18;  // version 2
inline constexpr size_t kCodecOpRecordSize = 4;

// Offsets of the header fields, in bytes from the start of the input.
enum CodecHeaderOffset : size_t {
  kCodecVersionAt = 0,
  kCodecThreadCountAt = 1,      // threads - 1, modulo 8
  kCodecKeyCountAt = 2,         // key_count - 1, modulo 64
  kCodecKeyShapeAt = 3,         // modulo 2
  kCodecShardsLog2At = 4,       // modulo 5
  kCodecInitialCapacityAt = 5,  // u16 little-endian, modulo 513
  kCodecOpCountAt = 7,          // u16 little-endian, modulo 257
  kCodecSeedAt = 9,             // u64 little-endian
  kCodecGranularityAt = 17,     // version 2 only: modulo 3
};

// Total: never fails, never reads past `bytes`, never exceeds a cap.
Schedule DecodeSchedule(std::span<const uint8_t> bytes);

// Requires ValidateSchedule(schedule) == "". For an invalid schedule the
// result is still well defined bytes, but decoding them gives some other
// (valid) schedule.
std::vector<uint8_t> EncodeSchedule(const Schedule& schedule);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CODEC_CODEC_H_
