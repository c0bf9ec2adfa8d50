// Timeline: events drawn as intervals, one ASCII lane per thread.
//
// Time is compressed: each distinct invoke or response instant of the drawn
// events gets a column, placed as far left as the intervals that end there
// allow (an interval must be wide enough for its label). Two intervals thus
// overlap on screen exactly when they overlap in time. An event that never
// returned runs off to the right edge and ends in '>'. When full labels make
// the drawing wider than allowed, shorter labels are tried ("find k3", then
// the operation number).

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_TIMELINE_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_TIMELINE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "harness/history.h"

namespace thfuzz::report_internal {

// Lines ending in '\n', none longer than `width`.
std::string DrawTimeline(const History& history,
                         const std::vector<size_t>& events, size_t width);

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_TIMELINE_H_
