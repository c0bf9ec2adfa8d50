// GenerateSchedule: random schedules for campaigns and tests.
//
// The fuzz targets get their schedules from the codec; the CLI's `run`
// campaign and the unit tests need schedules without a fuzzing engine. The
// generator draws from a SeededRandom stream (random.h), so a (seed, options) pair
// names a schedule exactly. Its defaults favour what finds bugs in maps:
// few keys (so threads collide), both key shapes, 2-4 threads, and an
// operation mix weighted toward finds, inserts and erases.

#ifndef THFUZZ_HARNESS_GENERATOR_H_
#define THFUZZ_HARNESS_GENERATOR_H_

#include <cstddef>
#include <cstdint>

#include "harness/schedule.h"

namespace thfuzz {

struct GeneratorOptions {
  size_t min_threads = 2;
  size_t max_threads = 4;
  size_t min_ops_per_thread = 1;
  size_t max_ops_per_thread = 12;
  size_t max_keys = 8;
  // Probability (percent) that a schedule carries random decision bytes
  // instead of leaving every choice to PCT.
  unsigned decisions_percent = 30;
  bool whole_map_ops = true;  // size, clear, reserve
  // Probability (percent) that thread 0 starts by inserting 16-40 distinct
  // keys: enough for a shard to grow twice and keep old buckets around
  // while the other threads run (incremental evacuation, overflow chains).
  unsigned fill_percent = 25;
};

Schedule GenerateSchedule(uint64_t seed, const GeneratorOptions& options = {});

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_GENERATOR_H_
