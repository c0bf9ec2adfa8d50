// Inputs of the CLI: schedule files in either form, and the flags every
// command that runs schedules shares.

#ifndef THFUZZ_HARNESS_CLI_INPUTS_H_
#define THFUZZ_HARNESS_CLI_INPUTS_H_

#include <optional>
#include <string>
#include <vector>

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
// always decodes (the decoder is total). Directories, other non-files,
// unreadable and empty files are errors that say why (read_file.h).
LoadedSchedule LoadSchedule(const std::string& path);

// --executor, --fault, --map, --budget, --granularity and --watchdog-ms, as
// strings until resolved. An empty string is a flag that was not given.
struct RunFlags {
  std::string executor;
  std::string fault;
  std::string map;
  uint64_t step_budget = RunOptions{}.step_budget;
  uint64_t watchdog_ms = RunOptions{}.watchdog.count();
  // "" keeps each input's own granularity; `run` also takes "all".
  std::string granularity;

  // `header_applies`: the command reads .sched headers, whose values stand
  // in for flags that are not given (the help texts say so).
  // `granularity_default` is what --help shows ("as the input says" when
  // empty); `allow_all` admits --granularity all.
  void Register(Flags& flags, bool header_applies = false,
                std::string granularity_default = "", bool allow_all = false);
  // Fills `options`, defaults for flags not given; returns "" or an error
  // naming the bad value and the valid ones. --granularity "all" (and "")
  // leave options->granularity unset: each input keeps its own.
  std::string Resolve(RunOptions* options) const;
  // The same over a .sched header: a flag that is given wins, and when it
  // differs from the header a note says so ("--fault none overrides the
  // file's fault: publish_tophash_before_key"); a flag not given takes the
  // header's value, then the default.
  std::string ResolveOver(const SchedMeta& header, RunOptions* options,
                          std::vector<std::string>* notes) const;

 private:
  bool allow_all_ = false;
};

// Whether the header's `expect:` speaks about a run of `schedule` with
// `options`: it holds for the header's fault (none when unstated), its
// executor (any when unstated) and, for the controlled executor, the
// schedule's own granularity. When it does not, `why` says so, for a note.
bool ExpectationApplies(const SchedMeta& header, const Schedule& schedule,
                        const RunOptions& options, std::string* why);

// Writes an HTML report to `path` and says so on stdout; a history with
// no operations (`operations` 0) gets a note that the page has nothing to
// draw. Returns "" or an error naming the file and errno's reason.
std::string WriteHtmlReport(const std::string& path, const std::string& html,
                            size_t operations);

}  // namespace thfuzz::cli

#endif  // THFUZZ_HARNESS_CLI_INPUTS_H_
