// RenderHtmlReport(): a run or a checked history as one self-contained HTML
// page, violation or not.
//
// The text report (report.h) fits a terminal; this page is for a browser or
// a bug tracker attachment, and goes where Porcupine's visualization goes,
// further. The page holds the header of the text report, then a timeline
// drawn by an inline script from a JSON data island (internal/json.h): one
// lane per thread, or per key, each operation a box from its call to its
// return on a time-scaled axis that fits the window and zooms; the
// offending operation in its own style, the writes a bad value came from
// and the rest of the counterexample in theirs; the context switches and
// stale reads of fine and weak runs as marks on the lanes. Hovering or
// clicking an operation shows the checker's linearization up to it and the
// map's contents after it (for a violation: the longest linearizable prefix
// and what the map would have answered). The "Why" text links every
// operation it names to its box. Below: the history in file form and the
// text report, which is all a browser without scripts shows.
//
// No network: the CSS and the script are inline (report/html/*, embedded
// at build time), nothing is fetched. Every value from the history reaches
// the page either HTML-escaped or inside the JSON island, and the script
// puts text on the page only as text nodes, never as markup.

#ifndef THFUZZ_HARNESS_REPORT_HTML_REPORT_H_
#define THFUZZ_HARNESS_REPORT_HTML_REPORT_H_

#include <string>

#include "harness/history.h"
#include "harness/report/report.h"
#include "harness/violation.h"

namespace thfuzz {

// `violation.kind` kNone: the history is linearizable (context.order holds
// a linearization, if known).
std::string RenderHtmlReport(const History& history, const Violation& violation,
                             const ReportContext& context);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_HTML_REPORT_H_
