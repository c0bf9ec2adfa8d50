// Inputs of the CLI: schedule files in either form, and the flags every
// command that runs schedules shares.

#ifndef THFUZZ_HARNESS_CLI_INPUTS_H_
#define THFUZZ_HARNESS_CLI_INPUTS_H_

#include <optional>
#include <string>

#include "harness/cli/flags.h"
#include "harness/codec/sched_text.h"
#include "harness/exec/executor.h"
#include "harness/schedule.h"

namespace thfuzz::cli {

struct LoadedSchedule {
  std::optional<Schedule> schedule;  // nullopt: `error` says why
  SchedMeta meta;                    // from a .sched header; empty otherwise
  bool is_text = false;              // .sched, as opposed to fuzzer bytes
  std::string error;
  std::string note;  // how an ambiguous file was read, worth telling the user
};

// Reads `path` as a .sched file if its name ends in .sched (a parse error
// names file, line and column) or if it is text that parses; anything else
// is a binary fuzz input (libFuzzer or AFL++ crash file, corpus entry), which
// always decodes (the decoder is total). Directories, unreadable and empty
// files are errors.
LoadedSchedule LoadSchedule(const std::string& path);

// --executor, --fault, --map, --budget, --granularity and --watchdog-ms, as
// strings until resolved.
struct RunFlags {
  std::string executor = "controlled";
  std::string fault = "none";
  std::string map = "tophash";
  uint64_t step_budget = RunOptions{}.step_budget;
  uint64_t watchdog_ms = RunOptions{}.watchdog.count();
  // "" keeps each input's own granularity; `run` also takes "all".
  std::string granularity;

  // `granularity_default` is what --help shows ("as the input says" when
  // empty); `allow_all` admits --granularity all.
  void Register(Flags& flags, std::string granularity_default = "",
                bool allow_all = false);
  // Fills `options`; returns "" or an error naming the bad value and the
  // valid ones. "all" (and "") leave options->granularity unset.
  std::string Resolve(RunOptions* options) const;

 private:
  bool allow_all_ = false;
};

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_INPUTS_H_
