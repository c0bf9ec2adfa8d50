// ScheduleCost: the order in which the minimizer calls one schedule smaller
// than another.
//
// A candidate replaces the current case only if it still fails and its cost
// is strictly lower, so every accepted step makes progress and minimization
// terminates. The cost is a tuple compared lexicographically, most important
// first: the granularity (a case that fails at a coarser one depends on
// fewer accesses, so it is the sturdier regression), threads, operations,
// operations outside thread 0 (the concurrent part), complex operations,
// decisions and their values, distinct keys and their indices, and the map
// settings. Every reduction the minimizer tries lowers one component without
// raising an earlier one.

#ifndef THFUZZ_HARNESS_MINIMIZE_SCHEDULE_COST_H_
#define THFUZZ_HARNESS_MINIMIZE_SCHEDULE_COST_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/schedule.h"

namespace thfuzz {

struct ScheduleCost {
  std::array<uint64_t, 15> parts{};

  friend auto operator<=>(const ScheduleCost&, const ScheduleCost&) = default;
};

ScheduleCost CostOf(const Schedule& schedule);

// What a person asks about a case's size.
struct ScheduleSize {
  size_t threads = 0;
  size_t operations = 0;
  size_t decisions = 0;
  size_t keys = 0;  // distinct keys the operations name
};

ScheduleSize SizeOf(const Schedule& schedule);

// "2 threads, 3 ops, 0 decisions, 1 key".
std::string DescribeSize(const ScheduleSize& size);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_MINIMIZE_SCHEDULE_COST_H_
