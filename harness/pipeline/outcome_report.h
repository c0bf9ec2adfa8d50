// Reports of outcomes: what RunAndCheck() found, as the text and HTML
// reports of harness/report/ show it, with what only the pipeline knows.
//
// A violation the executor saw at once (a bad value, an oracle mismatch, a
// hang) comes without the checker's words. When it is one the checker can
// explain (a ghost read, a lost key, a wrong result, size or final state),
// the report asks the checker for its minimal sub-history and longest
// linearizable prefix and shows them under "Why", keeping the executor's
// kind, summary and offending operation; a broken structure (an invariant
// failure) gets the checker's verdict on the history added, which names
// the keys it lost, if any. The HTML page also gets the
// checker's order of operations (a linearization of a clean run, the
// longest linearizable prefix of a violation), so that it can show the map
// after any operation. Reports are made once per finding, never per
// execution, so this extra checking costs nothing while fuzzing.

#ifndef THFUZZ_HARNESS_PIPELINE_OUTCOME_REPORT_H_
#define THFUZZ_HARNESS_PIPELINE_OUTCOME_REPORT_H_

#include <string>

#include "harness/pipeline/pipeline.h"
#include "harness/report/report.h"

namespace thfuzz {

// The report's context for a run with `options`: fault, executor and the
// granularity the run used (fine or weak; coarse is left unsaid), the
// replay command, the scheduler's trace of a traced controlled run and,
// with `with_order`, the checker's order of the outcome's history.
ReportContext ContextFor(const Outcome& outcome, const RunOptions& options,
                         const std::string& replay_command, bool with_order);

// The outcome's violation with the checker's explanation added when the
// executor found it and the checker can explain it (see above).
Violation ExplainedViolation(const Outcome& outcome);

// The full text report of a violation (header, timeline, explanation).
std::string ReportFor(const Outcome& outcome, const RunOptions& options,
                      const std::string& replay_command);
// The outcome as one self-contained HTML page, violation or not; `source`
// names the file that was run ("" if none).
std::string HtmlReportFor(const Outcome& outcome, const RunOptions& options,
                          const std::string& replay_command,
                          const std::string& source = "");

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_PIPELINE_OUTCOME_REPORT_H_
