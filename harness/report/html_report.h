// RenderHtmlReport(): a violation as one self-contained HTML page.
//
// The text report (report.h) fits a terminal; this page is for a browser or
// a bug tracker attachment. It holds the same header and explanation, and an
// inline SVG timeline of the whole history: one lane per thread, each
// operation a box from its invocation to its response on a compressed time
// axis (each distinct instant is one step, so overlap on the page is overlap
// in time), the operations the checker named in red, operations that never
// returned fading out to the right. No scripts, no external files.

#ifndef THFUZZ_HARNESS_REPORT_HTML_REPORT_H_
#define THFUZZ_HARNESS_REPORT_HTML_REPORT_H_

#include <string>

#include "harness/history.h"
#include "harness/report/report.h"
#include "harness/violation.h"

namespace thfuzz {

std::string RenderHtmlReport(const History& history, const Violation& violation,
                             const ReportContext& context);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_HTML_REPORT_H_
