// The minimizer's cost order and size summary of schedules.

#include "harness/minimize/schedule_cost.h"

#include <bitset>
#include <cstdint>
#include <string>

namespace thfuzz {

ScheduleCost CostOf(const Schedule& schedule) {
  uint64_t outside_thread0 = 0;
  uint64_t complex_ops = 0;
  uint64_t key_sum = 0;
  uint64_t reserve_sum = 0;
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    for (const Operation& op : schedule.threads[t]) {
      if (t > 0) ++outside_thread0;
      if (op.kind == OpKind::kInsertOrAssign) ++complex_ops;
      if (IsSingleKey(op.kind)) key_sum += op.key;
      reserve_sum += op.amount;
    }
  }
  uint64_t decision_sum = 0;
  for (uint8_t decision : schedule.decisions) decision_sum += decision;

  ScheduleCost cost;
  cost.parts = {static_cast<uint64_t>(schedule.granularity),
                schedule.threads.size(),
                schedule.TotalOps(),
                outside_thread0,
                complex_ops,
                schedule.decisions.size(),
                decision_sum,
                KeysUsed(schedule).count(),
                key_sum,
                schedule.key_count,
                schedule.shards_log2,
                schedule.initial_capacity,
                reserve_sum,
                static_cast<uint64_t>(schedule.key_shape),
                schedule.seed != 0 ? 1u : 0u};
  return cost;
}

ScheduleSize SizeOf(const Schedule& schedule) {
  return {schedule.threads.size(), schedule.TotalOps(),
          schedule.decisions.size(), KeysUsed(schedule).count()};
}

std::string DescribeSize(const ScheduleSize& size) {
  auto plural = [](size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  return plural(size.threads, "thread") + ", " + plural(size.operations, "op") +
         ", " + plural(size.decisions, "decision") + ", " +
         plural(size.keys, "key");
}

}  // namespace thfuzz
