// The finding workflow: from a failing input to a saved regression case.
//
// Every path from a violation to corpus/regressions/ takes the same steps,
// here in one function: `tophash-fuzz minimize` (and ci/fuzz.sh, which calls
// it on each fuzzer crash) and the kill table (harness/evaluate/) use it.
//
//   1. confirm    run the input (up to `trials` times for stress) and take
//                 the violation kind it shows; an input that does not fail
//                 ends the workflow here.
//   2. convert    a stress finding is searched for a controlled schedule
//                 with the same operations that fails the same way
//                 (controlled_conversion.h), so the case replays exactly;
//                 when none turns up it stays a stress case.
//   3. minimize   structured delta debugging (minimizer.h) with a predicate
//                 that asks for the same violation kind (failure_predicate.h).
//   4. re-verify  run the minimized case again, for the report; when it does
//                 not fail (stress only), step 1's outcome stands.
//   5. save       DIR/<kind>-<hash>.sched (regression_file.h), never
//                 overwriting another case; skipped without a directory.

#ifndef THFUZZ_HARNESS_MINIMIZE_FINDING_H_
#define THFUZZ_HARNESS_MINIMIZE_FINDING_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "harness/minimize/minimizer.h"
#include "harness/minimize/regression_file.h"
#include "harness/pipeline/pipeline.h"
#include "harness/schedule.h"

namespace thfuzz {

struct FindingOptions {
  PipelineOptions pipeline;  // the executor, map and fault it fails with
  // Stress: runs per candidate (it fails if any run does); step 1 tries as
  // many, step 4 ten times as many.
  size_t trials = 20;
  bool convert_stress = true;  // step 2
  std::chrono::milliseconds conversion_time{10'000};
  // Budgets, progress and interrupt of step 3; the interrupt also stops
  // step 2. reseed_tries below replaces minimize.reseed_tries.
  MinimizeOptions minimize;
  // Seeds to retry a passing candidate with, when the case (after step 2)
  // runs on a deterministic executor (MinimizeOptions::reseed_tries).
  unsigned reseed_tries = 0;
  std::filesystem::path out_dir;  // step 5; empty: do not save
  // The input's name in log lines, and where they go ("minimize: " lines
  // of the CLI). Steps 1 and 2 log one line each.
  std::string input_name = "the input";
  std::function<void(const std::string&)> log;
};

struct FindingResult {
  Outcome confirmed;  // step 1 (or the outcome the caller had seen)
  ViolationKind kind = ViolationKind::kNone;  // kNone: the input passed
  RunOptions run;  // what the case runs with (controlled after step 2)
  std::optional<uint64_t> conversion_attempts;  // set when step 2 ran
  MinimizeResult minimized;                     // step 3
  uint64_t runs = 0;          // pipeline runs of step 3, every trial
  bool reverified = false;    // step 4's run failed as expected
  RegressionCase regression;  // the case, with step 4's (or 1's) outcome
  std::optional<SavedRegression> saved;  // step 5, when it ran

  bool fails() const { return kind != ViolationKind::kNone; }
};

// All five steps for an input that may or may not fail.
FindingResult ProcessFinding(const Schedule& input,
                             const FindingOptions& options);

// Steps 2 to 5 for an input whose failing run the caller has just seen
// (`seen` must be a violation with options.pipeline).
FindingResult ProcessFinding(const Schedule& failing, const Outcome& seen,
                             const FindingOptions& options);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_MINIMIZE_FINDING_H_
