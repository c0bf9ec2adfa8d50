// The schedule of FORMAT.md's examples, shared by the codec's tests.

#ifndef THFUZZ_HARNESS_CODEC_DOCUMENTED_SCHEDULE_H_
#define THFUZZ_HARNESS_CODEC_DOCUMENTED_SCHEDULE_H_

#include "harness/schedule.h"

namespace thfuzz {

// The example of FORMAT.md, "Binary form".
inline Schedule DocumentedSchedule() {
  Schedule s;
  s.key_shape = KeyShape::kCollide;
  s.key_count = 4;
  s.shards_log2 = 1;
  s.seed = 42;
  s.threads = {{{OpKind::kInsert, 1, 0}, {OpKind::kReserve, 0, 300}},
               {{OpKind::kFind, 1, 0}, {OpKind::kSize, 0, 0}}};
  s.decisions = {1, 0, 1};
  return s;
}

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_CODEC_DOCUMENTED_SCHEDULE_H_
