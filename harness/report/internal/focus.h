// Focus: what a report of a violation points at, for the text and the HTML
// form alike.
//
// A Violation names the operations that matter and, usually, the one that
// went wrong. The focus adds what a reader needs next to them: for a torn,
// foreign or phantom value, where its words came from (value_origin.h) and
// the writes that stored them; the events to draw (the named ones, else the
// start of the history, always with the offending one); and, for invariant
// failures and values in the final snapshot, that the snapshot itself is
// what went wrong.

#ifndef THFUZZ_HARNESS_REPORT_INTERNAL_FOCUS_H_
#define THFUZZ_HARNESS_REPORT_INTERNAL_FOCUS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/history.h"
#include "harness/violation.h"

namespace thfuzz::report_internal {

// At most this many events are drawn when the violation names none.
inline constexpr size_t kDefaultDrawnEvents = 16;

struct Focus {
  std::optional<size_t> offending;  // Violation::offending, checked
  bool final_snapshot = false;      // the snapshot holds the bad value
  // The bad value's origin ("words 0-1 from T0#1 ..."), "" if none.
  std::string value_origin;
  std::vector<size_t> value_writers;  // the writes the bad value came from
  std::vector<size_t> named;  // violation.events, the writers, the offender
  std::vector<size_t> drawn;  // what a timeline shows, ascending
};

Focus FocusOf(const History& history, const Violation& violation);

}  // namespace thfuzz::report_internal

#endif  // THFUZZ_HARNESS_REPORT_INTERNAL_FOCUS_H_
