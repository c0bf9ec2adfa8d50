// ParseLibFuzzerLog(): the progress of one libFuzzer process, read back from
// its log (stderr), as series for the campaign page (campaign_plot.h).
//
// libFuzzer prints a status line whenever its corpus grows and at powers
// of two executions:
//   #18114	NEW    cov: 2690 ft: 12241 corp: 935/148Kb lim: 321 exec/s: 3622
//   rss: 41Mb ...
// and, in fork mode (-fork=N), the parent prints one per finished job:
//   #29382: cov: 2662 ft: 11949 corp: 607 exec/s: 2511 oom/timeout/crash: 0/0/0
//   time: 7s job: 3 dft_time: 0
// Once a log says "INFO: -fork=", only the parent's lines count (a crashed
// child's log, which the parent copies in, holds the child's own lines).
//
// Executions and findings start at (0 s, 0). Time, in seconds since the
// process started: fork-mode lines carry it (time:); ordinary lines do not,
// so their time is executions / exec/s (libFuzzer computes exec/s as
// executions over whole seconds since start: good to about a second), made
// non-decreasing; "Done N runs in T second(s)" gives the exact end.
//
// Findings: one per "artifact_prefix='...'; Test unit written to PATH" line
// whose file is a crash-, timeout-, oom- or leak- artifact, plus the
// parent's oom/timeout/crash counts in fork mode (it prints no such line
// for the crashes it ignores).
//
// Malformed lines are skipped and counted, not fatal: a log cut off by a
// kill ends in half a line, and one bad line should not cost the picture of
// a long campaign. A status-like line (#<digits> ...) is malformed when a
// number does not parse (cov: x, #99999999999999999999) or the event word
// is missing; the first such line is kept as FILE:LINE: problem. Every
// other line (the target's own output, reports, dictionaries) is not a
// status line and is ignored. A log with no status line at all is an error.

#ifndef THFUZZ_HARNESS_REPORT_LIBFUZZER_LOG_H_
#define THFUZZ_HARNESS_REPORT_LIBFUZZER_LOG_H_

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "harness/report/campaign_plot.h"

namespace thfuzz {

struct LibFuzzerLog {
  bool fork_mode = false;
  // Bounded (AppendBounded). cov and ft stay empty when the log has none
  // (a target built without coverage instrumentation).
  std::vector<PlotPoint> executions, cov, ft, findings;
  uint64_t status_lines = 0;
  uint64_t skipped_lines = 0;  // malformed status lines
  std::string first_skipped;   // "FILE:LINE: problem"
  double seconds = 0;          // the last time known
};

// `name` is the file name used in messages. nullopt (and `error`, with the
// name) when the log holds no status line.
std::optional<LibFuzzerLog> ParseLibFuzzerLog(std::istream& in,
                                              const std::string& name,
                                              std::string* error);

// The same from a file; also fails on a file that cannot be read.
std::optional<LibFuzzerLog> ReadLibFuzzerLog(const std::string& path,
                                             std::string* error);

// Appends the log's series to `plot`, labelled "LABEL executions", "LABEL
// cov", "LABEL ft", "LABEL findings".
void AddLibFuzzerSeries(const LibFuzzerLog& log, const std::string& label,
                        CampaignPlot* plot);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_REPORT_LIBFUZZER_LOG_H_
