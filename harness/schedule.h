// Schedule: a bounded, multithreaded test case.
//
// A schedule is what every fuzz input decodes to and what every regression
// case stores: how many logical threads run, what each one calls, which keys
// exist, how the map is configured, and the scheduling decisions that the
// controlled executor follows. Every field is bounded by the caps below, so a
// schedule's cost is bounded however it was produced. Two forms exist: the
// binary codec (codec.h, see FORMAT.md) for fuzzers and the `.sched` text
// form (sched_text.h) for people.

#ifndef THFUZZ_HARNESS_SCHEDULE_H_
#define THFUZZ_HARNESS_SCHEDULE_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/name_table.h"
#include "harness/operation.h"
#include "tophash/policy.h"

namespace thfuzz {

// How key indices map to hashes (key_space.h).
enum class KeyShape : uint8_t {
  kSpread = 0,   // well-mixed hashes: keys spread over shards and buckets
  kCollide = 1,  // one shard, one top byte, few buckets: every lookup needs
                 // a full key compare, chains overflow, growth comes early
};

inline constexpr NameRow<KeyShape> kKeyShapes[] = {
    {KeyShape::kSpread, "spread", "keys spread over shards and buckets"},
    {KeyShape::kCollide, "collide",
     "one shard and one top byte: full key compares, early overflow"},
};
static_assert(InEnumOrder(kKeyShapes));

inline std::string_view KeyShapeName(KeyShape shape) {
  return NameIn(kKeyShapes, shape);
}
inline std::optional<KeyShape> ParseKeyShape(std::string_view name) {
  return ParseIn(kKeyShapes, name);
}

// Where the controlled executor may switch threads, and what a load may
// read (harness/README.md, "Granularity").
enum class Granularity : uint8_t {
  kCoarse = 0,  // at the map's named point() sites only; every access SC
  kFine = 1,    // before every shared-memory access; every access SC
  kWeak = 2,    // as fine, and loads may read older stores (C++ model)
};

inline constexpr NameRow<Granularity> kGranularities[] = {
    {Granularity::kCoarse, "coarse",
     "switch only at the map's named scheduling points (as before fine and "
     "weak existed)"},
    {Granularity::kFine, "fine",
     "switch before every shared-memory access; sequentially consistent"},
    {Granularity::kWeak, "weak",
     "as fine, and loads may read older stores as the C++ memory model "
     "allows"},
};
static_assert(InEnumOrder(kGranularities));
inline constexpr size_t kGranularityCount = std::size(kGranularities);

inline std::string_view GranularityName(Granularity granularity) {
  return NameIn(kGranularities, granularity);
}
inline std::optional<Granularity> ParseGranularity(std::string_view name) {
  return ParseIn(kGranularities, name);
}

struct Schedule {
  static constexpr size_t kMaxThreads = 8;
  static constexpr size_t kMaxOpsPerThread = 64;
  static constexpr size_t kMaxTotalOps = 256;
  static constexpr size_t kMaxKeys = 64;
  static constexpr size_t kMaxDecisions = 4096;
  static constexpr uint32_t kMaxReserve = 512;
  static constexpr uint32_t kMaxInitialCapacity = 512;
  static constexpr unsigned kMaxShardsLog2 = 4;

  KeyShape key_shape = KeyShape::kSpread;
  uint8_t key_count = 8;          // 1..kMaxKeys
  uint8_t shards_log2 = 0;        // the map has 1 << shards_log2 shards
  uint16_t initial_capacity = 0;  // MapOptions::initial_capacity
  uint64_t seed = 0;              // PCT priorities once decisions run out
  Granularity granularity = Granularity::kCoarse;  // controlled executor only
  std::vector<std::vector<Operation>> threads;     // 1..kMaxThreads lists
  std::vector<uint8_t> decisions;  // controlled executor's choices

  size_t TotalOps() const {
    size_t total = 0;
    for (const auto& ops : threads) total += ops.size();
    return total;
  }

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// Checks every cap and range; returns "" if valid, else what is wrong.
std::string ValidateSchedule(const Schedule& schedule);

// The key indices that single-key operations of the schedule use.
std::bitset<Schedule::kMaxKeys> KeysUsed(const Schedule& schedule);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_SCHEDULE_H_
