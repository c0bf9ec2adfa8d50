// `tophash-fuzz minimize`: shrink a failing input into a regression case.
//
// The input is a `.sched` file or fuzzer bytes (a libFuzzer or AFL++ crash
// file). The command resolves the fault and executor (flags, else the file's
// header), checks that the output directory is writable, and runs the
// finding workflow (harness/minimize/finding.h): confirm that the input
// fails (else there is nothing to minimize: exit 1), convert a stress
// finding into a controlled schedule when one can be found, minimize within
// the budget, and save `DIR/<kind>-<hash>.sched` with a header that says
// what it shows and how to replay it. SIGINT stops minimizing early and
// saves the smallest failing case so far. Exit: 0 saved, 1 the input does
// not fail, 2 bad usage, unreadable input or unwritable output (the case is
// then printed to stdout, so nothing is lost).

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/minimize/finding.h"
#include "harness/minimize/schedule_cost.h"

namespace thfuzz::cli {
namespace {

std::atomic<bool> minimize_interrupted{false};
void OnInterrupt(int) { minimize_interrupted.store(true); }

const Usage kUsage = {
    "tophash-fuzz minimize FILE [--fault F] [--executor E] [--out DIR] "
    "[--trials N] [--seconds S] [--max-execs N]",
    "Shrinks a failing input (a .sched file, or a libFuzzer/AFL++ crash "
    "file) to a 1-minimal case that shows the same violation kind with the "
    "same fault and executor, and saves it as DIR/<kind>-<hash>.sched. The "
    "fault and executor default to the file's `fault:` and `executor:` "
    "header, else none and controlled. A stress finding is first converted "
    "into a controlled schedule when one can be found. Ctrl-C stops early "
    "and saves the smallest failing case so far.\n"
    "exit status: 0 saved, 1 the input does not fail (nothing to "
    "minimize), 2 bad usage or input, or an output that cannot be written.",
    "  tophash-fuzz minimize crash-3f2a --fault publish_tophash_before_key\n"
    "  tophash-fuzz minimize found.sched --executor stress --trials 50\n"};

struct MinimizeFlags {
  std::string fault;
  std::string executor;
  std::string out = "corpus/regressions";
  uint64_t trials = 20;
  uint64_t seconds = 60;
  uint64_t max_execs = 100'000;
  uint64_t reseeds = 64;

  void Register(Flags& flags) {
    flags.String("fault", &fault,
                 "the fault the input fails with (default: the file's "
                 "header, else none)");
    flags.String("executor", &executor,
                 NameList(kExecutors, " or ") +
                     " (default: the file's header, else controlled)");
    flags.String("out", &out, "directory of the regression case");
    flags.Uint("trials", &trials,
               "stress: runs per candidate; it fails if any run fails");
    flags.Uint("seconds", &seconds, "wall-time budget");
    flags.Uint("max-execs", &max_execs, "budget of candidate executions");
    flags.Uint("reseeds", &reseeds,
               "serial/controlled: other seeds to retry a passing candidate "
               "with");
  }
};

std::string Describe(const RunOptions& run) {
  return "fault " + std::string(tophash::FaultName(run.fault)) + ", " +
         std::string(ExecutorName(run.executor)) + " executor";
}

void PrintProgress(const MinimizeProgress& progress) {
  std::fprintf(stderr, "minimize: %s | %llu executions | %.1f s\n",
               DescribeSize(SizeOf(*progress.best)).c_str(),
               static_cast<unsigned long long>(progress.executions),
               progress.elapsed.count() / 1000.0);
}

// Resolves the run flags: a flag wins over the file's header, which wins
// over the defaults. Returns "" or the error.
std::string ResolveRun(const MinimizeFlags& options,
                       const LoadedSchedule& loaded, RunOptions* run) {
  RunFlags run_flags;
  if (!options.fault.empty()) run_flags.fault = options.fault;
  if (!options.executor.empty()) run_flags.executor = options.executor;
  if (std::string error = run_flags.Resolve(run); !error.empty()) {
    return error;
  }
  if (options.fault.empty())
    run->fault = loaded.meta.fault.value_or(run->fault);
  if (options.executor.empty()) {
    run->executor = loaded.meta.executor.value_or(run->executor);
  }
  return "";
}

// Creates `dir` and checks it is writable, before any long run.
std::string CheckOutputDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!error && access(dir.c_str(), W_OK) == 0) return "";
  return dir + ": output directory is not writable" +
         (error ? ": " + error.message() : "");
}

FindingOptions WorkflowOptions(const MinimizeFlags& options,
                               const std::string& path,
                               const PipelineOptions& pipeline) {
  FindingOptions finding;
  finding.pipeline = pipeline;
  finding.trials = options.trials;
  finding.conversion_time = std::chrono::seconds(
      std::max<uint64_t>(1, std::min<uint64_t>(10, options.seconds / 3)));
  finding.minimize.max_executions = options.max_execs;
  finding.minimize.max_wall_time = std::chrono::seconds(options.seconds);
  finding.minimize.on_progress = PrintProgress;
  finding.minimize.interrupt = &minimize_interrupted;
  finding.reseed_tries = static_cast<unsigned>(options.reseeds);
  finding.out_dir = options.out;
  finding.input_name = path;
  finding.log = [](const std::string& line) {
    std::fprintf(stderr, "minimize: %s\n", line.c_str());
  };
  return finding;
}

// The last line: where the case went and what minimizing achieved.
void PrintSaved(const FindingResult& result) {
  const SavedRegression& saved = *result.saved;
  const MinimizeResult& minimized = result.minimized;
  std::printf("%s %s: %s, %s (%s, %llu candidates, %.1f s)\n",
              saved.already_present ? "already saved" : "saved",
              saved.path.string().c_str(),
              std::string(ViolationKindName(result.kind)).c_str(),
              DescribeSize(SizeOf(minimized.schedule)).c_str(),
              std::string(MinimizeStopName(minimized.stop)).c_str(),
              static_cast<unsigned long long>(minimized.executions),
              minimized.elapsed.count() / 1000.0);
}

}  // namespace

int MinimizeMain(std::span<const std::string> args) {
  Flags flags;
  MinimizeFlags options;
  options.Register(flags);
  std::vector<std::string> positional;
  if (int status = ParseOrExplain(kUsage, flags, args, &positional);
      status >= 0) {
    return status;
  }
  if (positional.size() != 1) return UsageError(kUsage, "expected one FILE");
  const std::string& path = positional[0];
  LoadedSchedule loaded = LoadSchedule(path);
  if (!loaded.schedule) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", loaded.error.c_str());
    return kExitUsage;
  }
  PipelineOptions pipeline;
  if (std::string error = ResolveRun(options, loaded, &pipeline.run);
      !error.empty()) {
    return UsageError(kUsage, error);
  }
  if (options.trials == 0) return UsageError(kUsage, "--trials must be >= 1");
  if (std::string error = CheckOutputDir(options.out); !error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
    return kExitUsage;
  }

  minimize_interrupted.store(false);
  auto previous_handler = std::signal(SIGINT, OnInterrupt);
  FindingResult result = ProcessFinding(
      *loaded.schedule, WorkflowOptions(options, path, pipeline));
  std::signal(SIGINT, previous_handler);
  if (!result.fails()) {
    std::fprintf(stderr,
                 "tophash-fuzz: nothing to minimize: %s shows no violation "
                 "with %s (%s)\n",
                 path.c_str(), Describe(pipeline.run).c_str(),
                 std::string(VerdictName(result.confirmed.verdict)).c_str());
    return kExitViolation;
  }
  const SavedRegression& saved = *result.saved;
  if (!saved.error.empty()) {
    std::fputs(saved.text.c_str(), stdout);
    std::fprintf(stderr, "tophash-fuzz: %s (the case is printed above)\n",
                 saved.error.c_str());
    return kExitUsage;
  }
  PrintSaved(result);
  return kExitOk;
}

}  // namespace thfuzz::cli
