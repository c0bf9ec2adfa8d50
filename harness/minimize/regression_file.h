// Regression files: a minimized failure saved as a readable `.sched` case.
//
// The file is `DIR/<kind>-<short-hash>.sched`, where the hash covers the
// schedule, fault and executor. Its notes say what it shows, on which
// fault and executor, that the production map must pass it, how to replay
// it, and the text report of the failure; its header carries `expect:` (the
// violation kind seen with the fault), `fault:` and `executor:`, which the
// corpus replay test reads back. An existing file of the same name is never
// overwritten: the same case (schedule, fault, executor and kind; notes may
// differ) counts as already saved, anything else gets the next free name
// (`<kind>-<hash>-2.sched`, ...).

#ifndef THFUZZ_HARNESS_MINIMIZE_REGRESSION_FILE_H_
#define THFUZZ_HARNESS_MINIMIZE_REGRESSION_FILE_H_

#include <filesystem>
#include <string>
#include <vector>

#include "harness/pipeline/pipeline.h"
#include "harness/schedule.h"

namespace thfuzz {

struct RegressionCase {
  Schedule schedule;
  RunOptions run;   // executor and fault it fails with
  Outcome outcome;  // a failing run of `schedule` (for the report)
  std::vector<std::string> notes;  // extra lines: how it was found, etc.
};

// "ghost_read-1a2b3c4d".
std::string RegressionBaseName(const RegressionCase& regression);

// The whole `.sched` text of the case saved at `path`.
std::string RegressionText(const RegressionCase& regression,
                           const std::filesystem::path& path);

struct SavedRegression {
  std::filesystem::path path;
  bool already_present = false;  // the same case was there
  std::string error;             // "" on success
  std::string text;              // what was (or would have been) written
};

SavedRegression SaveRegression(const std::filesystem::path& dir,
                               const RegressionCase& regression);

}  // namespace thfuzz

#endif  // THFUZZ_HARNESS_MINIMIZE_REGRESSION_FILE_H_
