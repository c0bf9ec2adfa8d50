// Finding groups: a campaign's findings sorted into bugs.
//
// A campaign that finds one bug usually saves it many times over, each
// input a different, noisy way to the same failure. `tophash-fuzz run`
// groups the saved findings so that a person reads one case per bug:
//
//   1. Findings are first grouped by their raw signature: the violation
//      kind and the kind of the operation that went wrong
//      ("ghost_read/find"), cheap to tell from the failing run.
//   2. The first finding of each group is minimized (the finding workflow,
//      minimize/finding.h) into DIR/minimized/, unless minimizing is off.
//   3. Groups whose minimized cases have the same shape (violation kind,
//      and per thread the operation kinds in order: "T0 insert | T1 find")
//      are one bug and merge.
//
// The groups come back in the order their first finding was found.

#ifndef THFUZZ_HARNESS_CLI_FINDING_GROUPS_H_
#define THFUZZ_HARNESS_CLI_FINDING_GROUPS_H_

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "harness/cli/campaign.h"
#include "harness/minimize/finding.h"
#include "harness/schedule.h"

namespace thfuzz::cli {

struct FindingGroup {
  ViolationKind kind = ViolationKind::kNone;
  std::string signature;         // step 1: "ghost_read/find"
  std::vector<size_t> findings;  // indices into the campaign's findings
  // Step 2, when it ran and the first finding failed again.
  std::optional<FindingResult> minimized;
  std::string shape;  // step 3's shape of the minimized case, "" if none
};

struct GroupingOptions {
  bool minimize = true;
  std::chrono::seconds minimize_time{20};  // per group
  std::string out_dir;                     // minimized cases: out_dir/minimized
  std::FILE* log = stderr;                 // one line per minimized group
};

// `pipeline` is what the campaign ran with (executor, map, fault).
std::vector<FindingGroup> GroupFindings(
    const std::vector<CampaignFinding>& findings,
    const PipelineOptions& pipeline, const GroupingOptions& options);

// "T0 insert insert | T1 find": a schedule's operation kinds per thread.
std::string ShapeOf(const Schedule& schedule);

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_FINDING_GROUPS_H_
