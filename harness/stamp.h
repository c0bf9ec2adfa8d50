// Stamp: the 32-byte value every write in the harness stores.
//
// A stamp names its own origin: the key it was written for, the writing
// logical thread, and that thread's operation index; a fourth word is a
// checksum of the other three. Reading a value back therefore tells, before
// any linearizability search, whether it is
//   * torn: words of two different writes (checksum fails),
//   * foreign: a whole value written for another key,
//   * phantom: well formed, but no operation of this schedule wrote it
//     (including all-zero memory that nobody wrote).
// Because a schedule's writes are known in advance, the set of stamps that
// can legitimately exist for a key is known too (see IsWrittenBy).

#ifndef THFUZZ_HARNESS_STAMP_H_
#define THFUZZ_HARNESS_STAMP_H_

#include <cstdint>
#include <string>

#include "harness/random.h"
#include "harness/violation.h"

namespace thfuzz {

struct Stamp {
  // The salt comes first: a writer stores words in order, so a value caught
  // after its first store must already differ from untouched (zero) memory,
  // even for key 0.
  uint64_t salt = 0;  // FrozenMix64 of the fields below: a second witness
  uint64_t key = 0;
  uint32_t writer = 0;    // logical thread index + 1; 0 means "no writer"
  uint32_t sequence = 0;  // the writer's operation index + 1
  uint64_t checksum = 0;

  friend bool operator==(const Stamp&, const Stamp&) = default;
};
static_assert(sizeof(Stamp) == 32, "stamps are 32 bytes, four words");

// The salt and checksum formulas are format constants: history files
// (HISTORY.md, "Stamps") name a valid stamp by its key, writer and sequence
// alone and rebuild these two words from them, so changing either formula
// would make every stored history read differently. Both use the harness's
// frozen mixer (random.h), never the map's hash.
inline uint64_t StampSalt(uint64_t key, uint32_t writer, uint32_t sequence) {
  return FrozenMix64(key ^ (uint64_t{writer} << 40) ^ sequence ^
                     0x5bd1e9955bd1e995ULL);
}

inline uint64_t StampChecksum(uint64_t key, uint64_t writer_sequence,
                              uint64_t salt) {
  return FrozenMix64(key * kGoldenGamma ^ FrozenMix64(writer_sequence) ^
                     (salt >> 7));
}

// The value logical thread `thread` stores for `key` at operation `index`.
inline Stamp MakeStamp(uint64_t key, uint32_t thread, uint32_t index) {
  Stamp stamp;
  stamp.key = key;
  stamp.writer = thread + 1;
  stamp.sequence = index + 1;
  stamp.salt = StampSalt(key, stamp.writer, stamp.sequence);
  stamp.checksum = StampChecksum(
      key, (uint64_t{stamp.writer} << 32) | stamp.sequence, stamp.salt);
  return stamp;
}

enum class StampCheck {
  kValid,    // well formed and written for the expected key
  kTorn,     // not well formed: parts of different writes, or garbage
  kForeign,  // well formed but written for another key
  kZero,     // all zero: memory no write ever filled
};

inline StampCheck CheckStamp(const Stamp& stamp, uint64_t expected_key) {
  if (stamp == Stamp{}) return StampCheck::kZero;
  bool well_formed =
      stamp.writer != 0 && stamp.sequence != 0 &&
      stamp.salt == StampSalt(stamp.key, stamp.writer, stamp.sequence) &&
      stamp.checksum ==
          StampChecksum(stamp.key,
                        (uint64_t{stamp.writer} << 32) | stamp.sequence,
                        stamp.salt);
  if (!well_formed) return StampCheck::kTorn;
  if (stamp.key != expected_key) return StampCheck::kForeign;
  return StampCheck::kValid;
}

// The violation a value of `key` shows when no write of that key stored it:
// torn, foreign, or phantom (zeros, or a well-formed stamp nobody wrote).
// Executors (as values are read) and the checker's stamp screen (over a
// whole history) both classify with it.
ViolationKind UnwrittenValueKind(const Stamp& stamp, uint64_t key);

// "T1#3" (thread 1's operation 3, zero-based as in the schedule) for a valid
// stamp; "torn", "zero" or "foreign(k5)" otherwise.
std::string StampLabel(const Stamp& stamp, uint64_t expected_key);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_STAMP_H_
