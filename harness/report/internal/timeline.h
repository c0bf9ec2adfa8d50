// Timeline: events drawn as intervals, one ASCII lane per thread.
//
// Time is compressed: each distinct invoke or response instant of the drawn
// events gets a column, placed as far left as the intervals that end there
// allow (an interval must be wide enough for its label). Two intervals thus
// overlap on screen exactly when they overlap in time. An event that never
// returned runs off to the right edge and ends in '>'. The offending
// operation is drawn with '=' instead of '-', |==find k3 -> ok torn==|, so
// it stands out without colour. When full labels make the drawing wider
// than allowed, shorter labels are tried ("find k3", then the operation
// number); the caller then lists the operations in full.

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_TIMELINE_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_TIMELINE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/history.h"

namespace thfuzz::report_internal {

struct Timeline {
  std::string text;  // lines ending in '\n', none longer than the width
  // Labels are the operations' full lines; when false the timeline is
  // abbreviated (or did not fit at all) and needs the list beside it.
  bool full_labels = false;
};

Timeline DrawTimeline(const History& history, const std::vector<size_t>& events,
                      std::optional<size_t> offending, size_t width);

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_TIMELINE_H_
