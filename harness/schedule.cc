// Validation of schedules against their caps, and questions about them.

#include "harness/schedule.h"

#include <string>

namespace thfuzz {

std::string ValidateSchedule(const Schedule& schedule) {
  if (schedule.threads.empty() ||
      schedule.threads.size() > Schedule::kMaxThreads) {
    return "thread count " + std::to_string(schedule.threads.size()) +
           " is outside 1.." + std::to_string(Schedule::kMaxThreads);
  }
  if (schedule.key_count < 1 || schedule.key_count > Schedule::kMaxKeys) {
    return "key count " + std::to_string(schedule.key_count) +
           " is outside 1.." + std::to_string(Schedule::kMaxKeys);
  }
  if (schedule.key_shape != KeyShape::kSpread &&
      schedule.key_shape != KeyShape::kCollide) {
    return "unknown key shape";
  }
  if (schedule.shards_log2 > Schedule::kMaxShardsLog2) {
    return "shard count 2^" + std::to_string(schedule.shards_log2) +
           " is above 2^" + std::to_string(Schedule::kMaxShardsLog2);
  }
  if (schedule.initial_capacity > Schedule::kMaxInitialCapacity) {
    return "initial capacity " + std::to_string(schedule.initial_capacity) +
           " is above " + std::to_string(Schedule::kMaxInitialCapacity);
  }
  if (schedule.decisions.size() > Schedule::kMaxDecisions) {
    return "more than " + std::to_string(Schedule::kMaxDecisions) +
           " scheduling decisions";
  }
  if (schedule.TotalOps() > Schedule::kMaxTotalOps) {
    return "more than " + std::to_string(Schedule::kMaxTotalOps) +
           " operations in all";
  }
  for (size_t t = 0; t < schedule.threads.size(); ++t) {
    const auto& ops = schedule.threads[t];
    if (ops.size() > Schedule::kMaxOpsPerThread) {
      return "thread " + std::to_string(t) + " has more than " +
             std::to_string(Schedule::kMaxOpsPerThread) + " operations";
    }
    for (size_t i = 0; i < ops.size(); ++i) {
      const Operation& op = ops[i];
      std::string where =
          "thread " + std::to_string(t) + " operation " + std::to_string(i);
      if (static_cast<int>(op.kind) >= kOpKindCount) {
        return where + ": unknown operation kind";
      }
      if (IsSingleKey(op.kind) ? op.key >= schedule.key_count : op.key != 0) {
        return where + ": key index " + std::to_string(op.key) +
               " is out of range";
      }
      if (op.kind == OpKind::kReserve ? op.amount > Schedule::kMaxReserve
                                      : op.amount != 0) {
        return where + ": amount " + std::to_string(op.amount) +
               " is out of range";
      }
    }
  }
  return "";
}

std::bitset<Schedule::kMaxKeys> KeysUsed(const Schedule& schedule) {
  std::bitset<Schedule::kMaxKeys> used;
  for (const auto& ops : schedule.threads) {
    for (const Operation& op : ops) {
      if (IsSingleKey(op.kind)) used.set(op.key);
    }
  }
  return used;
}

}  // namespace thfuzz
