// `tophash-fuzz replay` and `tophash-fuzz explain`: re-run saved inputs.
//
// Inputs are .sched files or raw fuzzer inputs (libFuzzer/AFL++ crash files,
// corpus entries). Serial and controlled runs reproduce bit for bit; stress
// runs do not, so --trials repeats them and reports a violation seen in any
// trial.

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/pipeline/pipeline.h"

namespace thfuzz::cli {
namespace {

struct ReplayFlags {
  RunFlags run;
  uint64_t trials = 1;
  bool use_file_settings = false;
  std::string html;  // where to write the HTML report of a violation
};

// Writes the HTML report; returns "" or an error naming the file.
std::string WriteHtml(const std::string& path, const std::string& html) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << html;
  out.flush();
  if (!out) return path + ": cannot write the HTML report";
  return "";
}

// With --from-file, a .sched header's executor and fault replace the flags,
// so a regression case replays the way it was found.
RunOptions OptionsFor(const RunOptions& flagged, const LoadedSchedule& input,
                      bool use_file_settings) {
  RunOptions options = flagged;
  if (!use_file_settings) return options;
  options.executor = input.meta.executor.value_or(options.executor);
  options.fault = input.meta.fault.value_or(options.fault);
  return options;
}

std::string Describe(const Schedule& schedule, const RunOptions& options) {
  return std::string(ExecutorName(options.executor)) + ", " +
         std::string(MapKindName(options.map)) +
         (options.fault == tophash::Fault::kNone
              ? ""
              : ", fault " + std::string(tophash::FaultName(options.fault))) +
         ", " + std::to_string(schedule.threads.size()) + " threads, " +
         std::to_string(schedule.TotalOps()) + " ops";
}

// Runs one file; returns its exit status.
int ReplayFile(const std::string& path, const ReplayFlags& flags,
               const RunOptions& flagged, bool explain) {
  LoadedSchedule input = LoadSchedule(path);
  if (!input.schedule) {
    std::fprintf(stderr, "%s\n", input.error.c_str());
    return kExitUsage;
  }
  if (!input.note.empty()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), input.note.c_str());
  }
  PipelineOptions pipeline;
  pipeline.run = OptionsFor(flagged, input, flags.use_file_settings);
  uint64_t trials = pipeline.run.executor == ExecutorKind::kStress
                        ? std::max<uint64_t>(1, flags.trials)
                        : 1;
  Outcome outcome;
  for (uint64_t trial = 0; trial < trials; ++trial) {
    outcome = RunAndCheck(*input.schedule, pipeline);
    if (outcome.verdict != Verdict::kLinearizable) break;
  }
  std::string what = Describe(*input.schedule, pipeline.run);
  if (explain) {
    std::printf("%s (%s)\n%s", path.c_str(), what.c_str(),
                PrintHistory(outcome.execution.history).c_str());
  }
  switch (outcome.verdict) {
    case Verdict::kLinearizable:
      std::printf("%s: linearizable (%s)\n", path.c_str(), what.c_str());
      return kExitOk;
    case Verdict::kUnknown:
      std::printf("%s: unknown: the checker's %s ran out (%s)\n", path.c_str(),
                  outcome.unknown_reason.c_str(), what.c_str());
      return kExitViolation;
    case Verdict::kViolation: {
      std::string replay = ReplayCommand(path, pipeline.run);
      std::printf(
          "%s: VIOLATION %s (%s)\n%s\n", path.c_str(),
          std::string(ViolationKindName(outcome.violation.kind)).c_str(),
          what.c_str(), ReportFor(outcome, pipeline.run, replay).c_str());
      if (flags.html.empty()) return kExitViolation;
      std::string error =
          WriteHtml(flags.html, HtmlReportFor(outcome, pipeline.run, replay));
      if (!error.empty()) {
        std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
        return kExitUsage;
      }
      std::printf("HTML report written to %s\n", flags.html.c_str());
      return kExitViolation;
    }
  }
  return kExitUsage;
}

int Replay(std::span<const std::string> args, bool explain) {
  Usage usage;
  usage.synopsis = explain ? "tophash-fuzz explain FILE [flags]"
                           : "tophash-fuzz replay FILE... [flags]";
  usage.about =
      "Re-runs saved inputs (.sched text or raw fuzzer bytes) against a map\n"
      "and reports each verdict; a violation prints the full report with a\n"
      "timeline. By default the production tophash map is used." +
      std::string(explain ? "\nexplain also prints the whole history." : "");
  usage.examples =
      "  tophash-fuzz replay corpus/seeds/controlled_fuzzer/*.sched\n"
      "  tophash-fuzz replay crash-1a2b --executor controlled --fault "
      "publish_tophash_before_key\n"
      "  tophash-fuzz replay corpus/regressions/ghost_read-1234abcd.sched "
      "--from-file\n"
      "  tophash-fuzz explain corpus/regressions/ghost_read-1234abcd.sched "
      "--from-file --html report.html\n";
  ReplayFlags values;
  Flags flags;
  values.run.Register(flags);
  flags.Uint("trials", &values.trials,
             "stress executor: runs per input; a violation in any counts");
  flags.Bool("from-file", &values.use_file_settings,
             "take executor and fault from the .sched header");
  flags.String("html", &values.html,
               "write the report of a violation as an HTML page with an SVG "
               "timeline (one input file only)");
  std::vector<std::string> files;
  if (int status = ParseOrExplain(usage, flags, args, &files); status >= 0) {
    return status;
  }
  if (files.empty()) return UsageError(usage, "no input files");
  if (explain && files.size() != 1) {
    return UsageError(usage, "explain takes exactly one file");
  }
  if (!values.html.empty() && files.size() != 1) {
    return UsageError(usage, "--html takes exactly one input file");
  }
  RunOptions options;
  if (std::string error = values.run.Resolve(&options); !error.empty()) {
    return UsageError(usage, error);
  }
  int status = kExitOk;
  for (const std::string& file : files) {
    status = std::max(status, ReplayFile(file, values, options, explain));
  }
  return status;
}

}  // namespace

int RunReplayCommand(std::span<const std::string> args) {
  return Replay(args, /*explain=*/false);
}

int RunExplainCommand(std::span<const std::string> args) {
  return Replay(args, /*explain=*/true);
}

}  // namespace thfuzz::cli
