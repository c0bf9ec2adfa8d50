// `tophash-fuzz replay` and `tophash-fuzz explain`: re-run saved inputs.
//
// Inputs are .sched files or raw fuzzer inputs (libFuzzer/AFL++ crash files,
// corpus entries). Serial and controlled runs reproduce bit for bit; stress
// runs do not, so --trials repeats them and reports a violation seen in any
// trial. `replay` judges any number of files; `explain` runs one and prints
// its whole history before the verdict.

#include "harness/pipeline/replay_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/pipeline/pipeline.h"

namespace thfuzz::cli {
namespace {

constexpr char kAbout[] =
    "Re-runs saved inputs (.sched text or raw fuzzer bytes) against a map\n"
    "and reports each verdict; a violation prints the full report with a\n"
    "timeline. By default the production tophash map is used.";

constexpr char kExamples[] =
    "  tophash-fuzz replay corpus/seeds/controlled_fuzzer/*.sched\n"
    "  tophash-fuzz replay crash-1a2b --executor controlled --fault "
    "publish_tophash_before_key\n"
    "  tophash-fuzz replay corpus/regressions/ghost_read-1234abcd.sched "
    "--from-file\n"
    "  tophash-fuzz explain corpus/regressions/ghost_read-1234abcd.sched "
    "--from-file --html report.html\n";

struct ReplayFlags {
  RunFlags run;
  uint64_t trials = 1;
  bool use_file_settings = false;
  std::string html;  // where to write the HTML report of a violation

  void Register(Flags& flags) {
    run.Register(flags);
    flags.Uint("trials", &trials,
               "stress executor: runs per input; a violation in any counts");
    flags.Bool("from-file", &use_file_settings,
               "take executor and fault from the .sched header");
    flags.String("html", &html,
                 "write the report of a violation as an HTML page with an SVG "
                 "timeline (one input file only)");
  }
};

// Parses the flags both commands share into `flags` and `files`. Returns -1
// to go on, else the exit status (after --help or an error).
int ParseReplayFlags(const Usage& usage, std::span<const std::string> args,
                     ReplayFlags* flags, std::vector<std::string>* files) {
  Flags parser;
  flags->Register(parser);
  if (int status = ParseOrExplain(usage, parser, args, files); status >= 0) {
    return status;
  }
  if (files->empty()) return UsageError(usage, "no input files");
  return -1;
}

// The checks after the file count's: --html and the run flags.
int ResolveReplayFlags(const Usage& usage, const ReplayFlags& flags,
                       size_t file_count, RunOptions* options) {
  if (!flags.html.empty() && file_count != 1) {
    return UsageError(usage, "--html takes exactly one input file");
  }
  if (std::string error = flags.run.Resolve(options); !error.empty()) {
    return UsageError(usage, error);
  }
  return -1;
}

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
         (options.executor == ExecutorKind::kControlled
              ? ", " + std::string(GranularityName(
                           EffectiveGranularity(schedule, options)))
              : "") +
         ", " + std::to_string(schedule.threads.size()) + " threads, " +
         std::to_string(schedule.TotalOps()) + " ops";
}

// One input, run as the flags (or its header) say.
struct Replayed {
  Outcome outcome;
  RunOptions run;
  std::string what;  // Describe() of the run
};

// Loads and runs `path`; nullopt (after saying why) if it cannot be read.
std::optional<Replayed> RunInput(const std::string& path,
                                 const ReplayFlags& flags,
                                 const RunOptions& flagged) {
  LoadedSchedule input = LoadSchedule(path);
  if (!input.schedule) {
    std::fprintf(stderr, "%s\n", input.error.c_str());
    return std::nullopt;
  }
  if (!input.note.empty()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), input.note.c_str());
  }
  PipelineOptions pipeline;
  pipeline.run = OptionsFor(flagged, input, flags.use_file_settings);
  // Controlled runs are deterministic and a replay runs once: trace it, so
  // a report can show where the threads switched.
  pipeline.run.trace = pipeline.run.executor == ExecutorKind::kControlled;
  uint64_t trials = pipeline.run.executor == ExecutorKind::kStress
                        ? std::max<uint64_t>(1, flags.trials)
                        : 1;
  Replayed replayed;
  for (uint64_t trial = 0; trial < trials; ++trial) {
    replayed.outcome = RunAndCheck(*input.schedule, pipeline);
    if (replayed.outcome.verdict != Verdict::kLinearizable) break;
  }
  replayed.run = pipeline.run;
  replayed.what = Describe(*input.schedule, pipeline.run);
  return replayed;
}

// Prints the verdict (and the report of a violation); returns the status.
int PrintVerdict(const std::string& path, const Replayed& replayed,
                 const ReplayFlags& flags) {
  const Outcome& outcome = replayed.outcome;
  const char* what = replayed.what.c_str();
  switch (outcome.verdict) {
    case Verdict::kLinearizable:
      std::printf("%s: linearizable (%s)\n", path.c_str(), what);
      return kExitOk;
    case Verdict::kUnknown:
      std::printf("%s: unknown: the checker's %s ran out (%s)\n", path.c_str(),
                  outcome.unknown_reason.c_str(), what);
      return kExitViolation;
    case Verdict::kViolation:
      break;
  }
  std::string replay = ReplayCommand(path, replayed.run);
  std::printf("%s: VIOLATION %s (%s)\n%s\n", path.c_str(),
              std::string(ViolationKindName(outcome.violation.kind)).c_str(),
              what, ReportFor(outcome, replayed.run, replay).c_str());
  if (flags.html.empty()) return kExitViolation;
  std::string error =
      WriteHtml(flags.html, HtmlReportFor(outcome, replayed.run, replay));
  if (!error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
    return kExitUsage;
  }
  std::printf("HTML report written to %s\n", flags.html.c_str());
  return kExitViolation;
}

}  // namespace

[[noreturn]] void EndReplayOnHang(const std::string& path,
                                  const HangReport& report) {
  Replayed replayed;
  replayed.outcome.verdict = Verdict::kViolation;
  replayed.outcome.violation = report.violation;
  replayed.outcome.execution.violation = report.violation;
  replayed.outcome.granularity =
      EffectiveGranularity(report.schedule, report.options);
  replayed.run = report.options;
  replayed.what = Describe(report.schedule, report.options);
  PrintVerdict(path, replayed, ReplayFlags{});
  std::fflush(nullptr);
  std::_Exit(kExitViolation);
}

int ReplayMain(std::span<const std::string> args) {
  const Usage usage = {"tophash-fuzz replay FILE... [flags]", kAbout,
                       kExamples};
  ReplayFlags flags;
  std::vector<std::string> files;
  if (int status = ParseReplayFlags(usage, args, &flags, &files); status >= 0) {
    return status;
  }
  RunOptions options;
  if (int status = ResolveReplayFlags(usage, flags, files.size(), &options);
      status >= 0) {
    return status;
  }
  int status = kExitOk;
  for (const std::string& file : files) {
    SetHangHandler(
        [&file](const HangReport& report) { EndReplayOnHang(file, report); });
    std::optional<Replayed> replayed = RunInput(file, flags, options);
    int file_status =
        replayed ? PrintVerdict(file, *replayed, flags) : kExitUsage;
    status = std::max(status, file_status);
  }
  return status;
}

int ExplainMain(std::span<const std::string> args) {
  const Usage usage = {"tophash-fuzz explain FILE [flags]",
                       kAbout + std::string("\nexplain also prints the whole "
                                            "history."),
                       kExamples};
  ReplayFlags flags;
  std::vector<std::string> files;
  if (int status = ParseReplayFlags(usage, args, &flags, &files); status >= 0) {
    return status;
  }
  if (files.size() != 1) {
    return UsageError(usage, "explain takes exactly one file");
  }
  RunOptions options;
  if (int status = ResolveReplayFlags(usage, flags, files.size(), &options);
      status >= 0) {
    return status;
  }
  const std::string& file = files[0];
  SetHangHandler(
      [&file](const HangReport& report) { EndReplayOnHang(file, report); });
  std::optional<Replayed> replayed = RunInput(file, flags, options);
  if (!replayed) return kExitUsage;
  std::printf("%s (%s)\n%s", file.c_str(), replayed->what.c_str(),
              PrintHistory(replayed->outcome.execution.history).c_str());
  return PrintVerdict(file, *replayed, flags);
}

}  // namespace thfuzz::cli
