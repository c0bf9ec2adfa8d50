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
#include <string>

#include "harness/history.h"
#include "harness/violation.h"

namespace thfuzz {

inline constexpr size_t kReportWidth = 100;

struct ReportContext {
  std::string fault;           // injected fault name; "" if none
  std::string executor;        // "serial", "controlled", ...; "" if unknown
  std::string replay_command;  // "" if none
};

std::string RenderReport(const History& history, const Violation& violation,
                         const ReportContext& context);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_REPORT_H_
