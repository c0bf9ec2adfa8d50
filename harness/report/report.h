// Report: a violation as a person reads it in a terminal.
//
// RenderReport() writes a header (kind, key, fault, executor, replay
// command), a timeline with one lane per thread in which every operation
// that matters is an interval such as |---find k3 -> ok T0#2---| on a
// compressed time axis (only the instants where something is called or
// returns get a column, so real-time order is visible at a glance while
// long idle stretches vanish), the list of those operations in history-file
// form, and the checker's explanation. Everything fits in kReportWidth
// columns: when full labels would not fit, lanes fall back to shorter ones
// and the operation list carries the details.

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
// a report shows it.
struct ReportTraceLine {
  uint64_t time = 0;  // the history's logical clock
  std::string text;   // "T1 paused before acquire load of ... ; T0 runs"
};

struct ReportContext {
  std::string fault;           // injected fault name; "" if none
  std::string executor;        // "serial", "controlled", ...; "" if unknown
  std::string granularity;     // "fine", "weak"; "" for coarse or unknown
  std::string replay_command;  // "" if none
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
