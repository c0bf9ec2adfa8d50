// Report: a violation as a person reads it in a terminal.
//
// RenderReport() writes a header (kind, key, fault, executor, the replay
// command on one unwrapped line so that it pastes, what went wrong and, for
// a bad value, where its words came from), a timeline with one lane per
// thread in which every operation that matters is an interval such as
// |---find k3 -> ok T0#2---| on a compressed time axis (only the instants
// where something is called or returns get a column, so real-time order is
// visible at a glance while long idle stretches vanish) and the offending
// one is drawn |===like this===|, then the list of those operations in
// history-file form whenever the timeline had to abbreviate them (or the
// final snapshot is at fault), and the checker's explanation: the minimal
// sub-history and its longest linearizable prefix, and for a traced
// controlled run the scheduler's trace (context switches, stale reads) up to
// the violation. Everything but the replay command fits in kReportWidth
// columns.

#ifndef THFUZZ_HARNESS_REPORT_REPORT_H_
#define THFUZZ_HARNESS_REPORT_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/history.h"
#include "harness/violation.h"

namespace thfuzz {

inline constexpr size_t kReportWidth = 100;

// One thing the controlled scheduler did (exec/executor.h, TraceEntry), as
// a report shows it: the context switches of fine and weak runs and the
// stale reads of weak ones, each on its thread's lane.
struct ReportTraceLine {
  enum class Kind : uint8_t { kSwitch, kStaleRead };
  Kind kind = Kind::kSwitch;
  // The history's logical clock: after the event whose invoke or response
  // has this time, before the next.
  uint64_t time = 0;
  uint8_t thread = 0;  // the thread that paused, or that read
  std::string text;    // "T1 paused before acquire load of ...; T0 runs"
};

struct ReportContext {
  std::string fault;           // injected fault name; "" if none
  std::string executor;        // "serial", "controlled", ...; "" if unknown
  std::string granularity;     // "fine", "weak"; "" for coarse or unknown
  std::string replay_command;  // "" if none
  std::string source;          // the file run or checked; "" if none
  // The checker's order of operations (event indices): a linearization of
  // the whole history, or, with order_is_prefix, the longest linearizable
  // prefix of a violation's minimal sub-history. Empty when not known.
  std::vector<size_t> order;
  bool order_is_prefix = false;
  // Context switches and stale reads of a traced controlled run, in order.
  std::vector<ReportTraceLine> trace;
};

// At most this many trace lines are printed: those up to the last response
// of the operations the report draws, the latest ones first kept.
inline constexpr size_t kReportTraceLines = 40;

std::string RenderReport(const History& history, const Violation& violation,
                         const ReportContext& context);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_REPORT_H_
