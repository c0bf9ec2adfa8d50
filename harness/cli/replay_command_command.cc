// `tophash-fuzz replay-command`: print how to replay a saved finding.
//
// Scripts that report findings (ci/fuzz.sh) should not format replay
// commands themselves: this command prints them with the one formatter the
// whole harness uses (harness/pipeline/replay_command.h), so a finding is
// described the same way by the fuzz target, the CLI and the scripts.
// Nothing is run.

#include <cstdio>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/pipeline/replay_command.h"

namespace thfuzz::cli {
namespace {

const Usage kUsage = {
    "tophash-fuzz replay-command FILE [--fuzzer PATH] [--executor E] "
    "[--fault F] [--map M]",
    "Prints the commands that reproduce the finding saved in FILE, one per\n"
    "line, without running anything: with --fuzzer, the fuzz target binary\n"
    "PATH re-running FILE with the same map and fault; with --executor,\n"
    "`tophash-fuzz replay` running FILE with that executor (leave it out for\n"
    "inputs that are not schedules, such as codec_fuzzer's).",
    "  tophash-fuzz replay-command crash-1a2b --fuzzer ./controlled_fuzzer "
    "--executor controlled --fault publish_tophash_before_key\n"};

struct ReplayCommandFlags {
  std::string fuzzer;
  std::string executor;  // "": no `tophash-fuzz replay` line
  std::string fault = "none";
  std::string map = "tophash";

  void Register(Flags& flags) {
    flags.String("fuzzer", &fuzzer, "path of the fuzz target that found FILE");
    flags.String(
        "executor", &executor,
        NameList(kExecutors, " or ") + " (none: FILE is not a schedule)");
    flags.String("fault", &fault, "the fault the finding was made with");
    flags.String("map", &map, NameList(kMapKinds, " or "));
  }

  // Fills `options`; returns "" or an error naming the bad value.
  std::string Resolve(RunOptions* options) const {
    RunFlags run;
    if (!executor.empty()) run.executor = executor;
    run.fault = fault;
    run.map = map;
    return run.Resolve(options);
  }
};

}  // namespace

int ReplayCommandMain(std::span<const std::string> args) {
  ReplayCommandFlags values;
  Flags flags;
  values.Register(flags);
  std::vector<std::string> files;
  if (int status = ParseOrExplain(kUsage, flags, args, &files); status >= 0) {
    return status;
  }
  if (files.size() != 1) return UsageError(kUsage, "expected one FILE");
  if (values.fuzzer.empty() && values.executor.empty()) {
    return UsageError(kUsage, "nothing to print: give --fuzzer or --executor");
  }
  RunOptions options;
  if (std::string error = values.Resolve(&options); !error.empty()) {
    return UsageError(kUsage, error);
  }
  if (!values.fuzzer.empty()) {
    std::printf("%s\n",
                FuzzerReplayCommand(values.fuzzer, files[0], options).c_str());
  }
  if (!values.executor.empty()) {
    std::printf("%s\n", ReplayCommand(files[0], options).c_str());
  }
  return kExitOk;
}

}  // namespace thfuzz::cli
