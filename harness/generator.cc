// Seeded random schedules.

#include "harness/generator.h"

#include <algorithm>

#include "harness/random.h"

namespace thfuzz {
namespace {

// Weights, in percent, of each operation kind.
constexpr unsigned kWeights[kOpKindCount] = {
    /*find=*/34,  /*insert=*/22, /*insert_or_assign=*/14,
    /*erase=*/20,
    /*size=*/5,   /*clear=*/2,   /*reserve=*/3};

OpKind PickKind(SeededRandom& random, bool whole_map_ops) {
  for (;;) {
    unsigned roll = random.Next() % 100;
    for (int k = 0; k < kOpKindCount; ++k) {
      if (roll < kWeights[k]) {
        auto kind = static_cast<OpKind>(k);
        if (whole_map_ops || IsSingleKey(kind)) return kind;
        break;
      }
      roll -= kWeights[k];
    }
  }
}

// Prepends to thread 0 a run of inserts of distinct keys.
void AddFill(SeededRandom& random, Schedule& schedule) {
  size_t room = Schedule::kMaxTotalOps - schedule.TotalOps();
  room =
      std::min(room, Schedule::kMaxOpsPerThread - schedule.threads[0].size());
  size_t fill = std::min(room, random.Between(16, 40));
  fill = std::min(fill, Schedule::kMaxKeys);
  schedule.key_count =
      static_cast<uint8_t>(std::max<size_t>(schedule.key_count, fill));
  std::vector<Operation> inserts;
  for (size_t k = 0; k < fill; ++k) {
    inserts.push_back({OpKind::kInsert, static_cast<uint8_t>(k), 0});
  }
  for (size_t i = inserts.size(); i > 1; --i) {
    std::swap(inserts[i - 1], inserts[random.Next() % i]);
  }
  auto& ops = schedule.threads[0];
  ops.insert(ops.begin(), inserts.begin(), inserts.end());
}

}  // namespace

Schedule GenerateSchedule(uint64_t seed, const GeneratorOptions& options) {
  SeededRandom random(seed);
  Schedule schedule;
  schedule.seed = random.Next();
  bool collide = random.Next() % 3 == 0;
  schedule.key_shape = collide ? KeyShape::kCollide : KeyShape::kSpread;
  size_t max_keys = std::clamp<size_t>(options.max_keys, 1, Schedule::kMaxKeys);
  // Colliding keys are worth more of them: chains overflow after eight keys
  // and a shard grows at its ninth.
  size_t min_keys = 1;
  if (collide) {
    min_keys = std::min<size_t>(max_keys, 4);
    max_keys = std::min<size_t>(Schedule::kMaxKeys, max_keys * 3);
  }
  schedule.key_count = static_cast<uint8_t>(random.Between(min_keys, max_keys));
  schedule.shards_log2 = static_cast<uint8_t>(random.Between(0, 2));
  if (random.Next() % 4 == 0) {
    schedule.initial_capacity = static_cast<uint16_t>(random.Between(1, 64));
  }
  size_t max_threads = std::min(options.max_threads, Schedule::kMaxThreads);
  size_t threads =
      random.Between(std::max<size_t>(1, options.min_threads), max_threads);
  size_t per_thread_cap =
      std::min(options.max_ops_per_thread, Schedule::kMaxTotalOps / threads);
  schedule.threads.resize(threads);
  for (auto& ops : schedule.threads) {
    size_t count = random.Between(options.min_ops_per_thread, per_thread_cap);
    for (size_t i = 0; i < count; ++i) {
      Operation op;
      op.kind = PickKind(random, options.whole_map_ops);
      if (IsSingleKey(op.kind)) {
        op.key = static_cast<uint8_t>(random.Next() % schedule.key_count);
      }
      if (op.kind == OpKind::kReserve) {
        op.amount = static_cast<uint32_t>(random.Between(1, 256));
      }
      ops.push_back(op);
    }
  }
  if (random.Next() % 100 < options.fill_percent) AddFill(random, schedule);
  if (random.Next() % 100 < options.decisions_percent) {
    size_t count = random.Between(1, 64);
    for (size_t i = 0; i < count; ++i) {
      schedule.decisions.push_back(static_cast<uint8_t>(random.Next()));
    }
  }
  return schedule;
}

}  // namespace thfuzz
