// Campaign: the time-boxed fuzzing loop behind `tophash-fuzz run`.
//
// Works in any build, without libFuzzer: inputs are either generated
// (GenerateSchedule; scheduling left to PCT or to random decision bytes) or
// mutated from a corpus of .sched / binary inputs (a few byte-level edits of
// the encoded form, which the total decoder turns back into a valid
// schedule). Controlled campaigns explore every granularity unless one is
// forced: each generated schedule draws coarse, fine or weak. Workers run in
// parallel (the controlled and serial executors use one OS thread each); worker
// w's i-th input is a pure function of (seed, w, i), so a one-worker campaign
// is reproducible from its seed. Every violating input is saved as a .sched
// whose header says how to replay it; a progress line is printed every second
// and a summary at the end. Each progress line is also kept as a point of
// CampaignResult::progress (bounded: AppendBounded), for the campaign page.

#ifndef THFUZZ_HARNESS_CLI_CAMPAIGN_H_
#define THFUZZ_HARNESS_CLI_CAMPAIGN_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/pipeline/pipeline.h"
#include "harness/report/campaign_plot.h"
#include "harness/schedule.h"

namespace thfuzz::cli {

struct CampaignResult;

struct CampaignOptions {
  PipelineOptions pipeline;
  double seconds = 60;
  uint64_t max_execs = 0;  // 0: no limit
  uint64_t seed = 1;
  unsigned jobs = 1;             // parallel workers (forced to 1 for stress)
  unsigned max_threads = 4;      // logical threads per generated schedule
  std::vector<Schedule> corpus;  // inputs to mutate; empty: generate only
  std::string out_dir;           // where findings are saved
  unsigned max_findings = 10;    // stop after this many saved findings
  std::FILE* progress = stdout;
  // Print the first finding's full report when it is found; off when the
  // caller prints a report of its own afterwards (the minimized case).
  bool print_first_report = true;
  // Prints the summary of a campaign cut short by a hang (see
  // SetHangHandler()): the process ends right after it.
  std::function<void(const CampaignResult&)> print_summary;
};

// A saved violating input and the run that failed.
struct CampaignFinding {
  std::string path;
  Schedule schedule;
  Outcome outcome;
};

// The counters of the progress line over time (seconds since the start).
// All four hold the same instants.
struct CampaignProgress {
  std::vector<PlotPoint> executions, violations, unknowns, saved;
};

struct CampaignResult {
  uint64_t executions = 0;
  uint64_t violations = 0;
  uint64_t unknowns = 0;
  double elapsed_seconds = 0;
  std::map<std::string, uint64_t> violations_by_kind;
  std::vector<std::string> saved;         // paths of saved findings
  std::vector<CampaignFinding> findings;  // the same, in order found
  // Controlled: executions and violations at each granularity.
  uint64_t executions_at[kGranularityCount] = {};
  uint64_t violations_at[kGranularityCount] = {};
  std::string first_report;  // full report of the first finding
  bool interrupted = false;
  CampaignProgress progress;
};

// Set from a signal handler to end the campaign early (the summary is still
// printed and findings kept).
extern std::atomic<bool> campaign_interrupted;

CampaignResult RunCampaign(const CampaignOptions& options);

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_CAMPAIGN_H_
