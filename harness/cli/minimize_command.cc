// `tophash-fuzz minimize`: shrink a failing input into a regression case.
//
// The input is a `.sched` file or fuzzer bytes (a libFuzzer or AFL++ crash
// file). The command first confirms that the input fails with the given
// fault and executor (else there is nothing to minimize: exit 1), then, for
// a stress finding, searches for a controlled schedule that fails the same
// way (so the regression is deterministic), minimizes (harness/minimize)
// within the budget, and saves `DIR/<kind>-<hash>.sched` with a header that
// says what it shows and how to replay it. SIGINT stops minimizing early and
// saves the smallest failing case so far. Exit: 0 saved, 1 the input does
// not fail, 2 bad usage, unreadable input or unwritable output (the case is
// then printed to stdout, so nothing is lost).

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/minimize/controlled_conversion.h"
#include "harness/minimize/failure_predicate.h"
#include "harness/minimize/minimizer.h"
#include "harness/minimize/regression_file.h"
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
                 "serial, controlled or stress (default: the file's header, "
                 "else controlled)");
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

// A stress finding becomes a controlled one when the search succeeds.
void TryConvertToControlled(Schedule& schedule, PipelineOptions& pipeline,
                            ViolationKind kind, uint64_t seconds,
                            std::vector<std::string>& notes) {
  PipelineOptions controlled = pipeline;
  controlled.run.executor = ExecutorKind::kControlled;
  ConversionOptions conversion;
  conversion.max_wall_time = std::chrono::seconds(
      std::max<uint64_t>(1, std::min<uint64_t>(10, seconds / 3)));
  conversion.interrupt = &minimize_interrupted;
  ConversionResult result = FindControlledReproduction(
      schedule, ShowsViolation(kind, controlled, nullptr), conversion);
  if (!result.controlled) {
    std::fprintf(stderr,
                 "minimize: no controlled schedule reproduces it (%llu "
                 "tries); minimizing with the stress executor\n",
                 static_cast<unsigned long long>(result.attempts));
    notes.push_back(
        "Found with the stress executor; no controlled schedule "
        "reproduced it in " +
        std::to_string(result.attempts) + " tries.");
    return;
  }
  std::fprintf(stderr,
               "minimize: converted to a controlled schedule after %llu "
               "tries\n",
               static_cast<unsigned long long>(result.attempts));
  notes.push_back(
      "Found with the stress executor, converted to this "
      "controlled schedule after " +
      std::to_string(result.attempts) + " tries.");
  schedule = *result.controlled;
  pipeline = controlled;
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
  // A flag wins over the file's header, which wins over the defaults.
  RunFlags run_flags;
  if (!options.fault.empty()) run_flags.fault = options.fault;
  if (!options.executor.empty()) run_flags.executor = options.executor;
  PipelineOptions pipeline;
  if (std::string error = run_flags.Resolve(&pipeline.run); !error.empty()) {
    return UsageError(kUsage, error);
  }
  if (options.fault.empty()) {
    pipeline.run.fault = loaded.meta.fault.value_or(pipeline.run.fault);
  }
  if (options.executor.empty()) {
    pipeline.run.executor =
        loaded.meta.executor.value_or(pipeline.run.executor);
  }
  if (options.trials == 0) return UsageError(kUsage, "--trials must be >= 1");
  std::error_code dir_error;
  std::filesystem::create_directories(options.out, dir_error);
  if (dir_error || access(options.out.c_str(), W_OK) != 0) {
    std::fprintf(stderr,
                 "tophash-fuzz: %s: output directory is not writable%s%s\n",
                 options.out.c_str(), dir_error ? ": " : "",
                 dir_error ? dir_error.message().c_str() : "");
    return kExitUsage;
  }

  Schedule schedule = *loaded.schedule;
  Outcome first = RunUntilViolation(schedule, pipeline, options.trials);
  if (first.verdict != Verdict::kViolation) {
    std::fprintf(stderr,
                 "tophash-fuzz: nothing to minimize: %s shows no violation "
                 "with %s (%s)\n",
                 path.c_str(), Describe(pipeline.run).c_str(),
                 std::string(VerdictName(first.verdict)).c_str());
    return kExitViolation;
  }
  ViolationKind kind = first.violation.kind;
  std::fprintf(stderr, "minimize: %s fails with %s: %s\n", path.c_str(),
               std::string(ViolationKindName(kind)).c_str(),
               first.violation.summary.c_str());

  minimize_interrupted.store(false);
  auto previous_handler = std::signal(SIGINT, OnInterrupt);
  std::vector<std::string> notes;
  if (pipeline.run.executor == ExecutorKind::kStress) {
    TryConvertToControlled(schedule, pipeline, kind, options.seconds, notes);
  }
  auto counter = std::make_shared<ExecutionCounter>();
  MinimizeOptions minimize;
  minimize.max_executions = options.max_execs;
  minimize.max_wall_time = std::chrono::seconds(options.seconds);
  minimize.on_progress = PrintProgress;
  minimize.interrupt = &minimize_interrupted;
  if (IsDeterministic(pipeline.run.executor)) {
    minimize.reseed_tries = options.reseeds;
  }
  MinimizeResult result = Minimize(
      schedule, ReproducesViolation(kind, pipeline, options.trials, counter),
      minimize);
  std::signal(SIGINT, previous_handler);

  std::string how = "Minimized by tophash-fuzz minimize: " +
                    std::string(MinimizeStopName(result.stop)) + " after " +
                    std::to_string(result.executions) + " candidates (" +
                    std::to_string(counter->runs) + " runs)";
  if (pipeline.run.executor == ExecutorKind::kStress) {
    how += ", a candidate failing if any of " + std::to_string(options.trials) +
           " runs failed";
  }
  notes.insert(notes.begin(), how + ".");
  RegressionCase regression{result.schedule, pipeline.run, {}, notes};
  regression.outcome =
      RunUntilViolation(result.schedule, pipeline, options.trials * 10);
  if (regression.outcome.verdict != Verdict::kViolation)
    regression.outcome = first;

  SavedRegression saved = SaveRegression(options.out, regression);
  if (!saved.error.empty()) {
    std::fputs(saved.text.c_str(), stdout);
    std::fprintf(stderr, "tophash-fuzz: %s (the case is printed above)\n",
                 saved.error.c_str());
    return kExitUsage;
  }
  std::printf("%s %s: %s, %s (%s, %llu candidates, %.1f s)\n",
              saved.already_present ? "already saved" : "saved",
              saved.path.string().c_str(),
              std::string(ViolationKindName(kind)).c_str(),
              DescribeSize(SizeOf(result.schedule)).c_str(),
              std::string(MinimizeStopName(result.stop)).c_str(),
              static_cast<unsigned long long>(result.executions),
              result.elapsed.count() / 1000.0);
  return kExitOk;
}

}  // namespace thfuzz::cli
