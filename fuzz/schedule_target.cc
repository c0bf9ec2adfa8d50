// Start-up configuration and per-input body shared by the schedule fuzz
// targets; see schedule_target.h.

#include "fuzz/schedule_target.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fuzz/concurrency_counters.h"
#include "harness/codec/codec.h"
#include "harness/exec/feedback_counters.h"
#include "harness/name_table.h"
#include "harness/pipeline/outcome_report.h"
#include "harness/pipeline/pipeline.h"
#include "harness/pipeline/replay_command.h"
#include "tophash/policy.h"

namespace thfuzz::fuzz {
namespace {

// Chosen once in InitScheduleTarget(), read by every input.
RunOptions g_run_options;
const char* g_target_name = "fuzzer";
uint64_t g_unknown_verdicts = 0;

// -concurrency_feedback= / THFUZZ_CONCURRENCY_FEEDBACK (controlled only).
enum class Feedback { kOff, kOn, kStats, kReadsFrom };
constexpr NameRow<Feedback> kFeedbackModes[] = {
    {Feedback::kOff, "off", "code coverage only"},
    {Feedback::kOn, "on", "code coverage and concurrency events"},
    {Feedback::kStats, "stats", "on, and print the counters hit at exit"},
    {Feedback::kReadsFrom, "reads_from",
     "code coverage and reads-from pairs only (an experiment)"},
};
static_assert(InEnumOrder(kFeedbackModes));
Feedback g_feedback = Feedback::kOff;

// For the violation report: inputs run and time since start-up, an
// engine-independent measure of how fast the fault was found.
uint64_t g_inputs = 0;
std::chrono::steady_clock::time_point g_start;

// libFuzzer names the crash file only after we abort, so the replay
// commands name it with a placeholder, one a shell leaves alone.
constexpr std::string_view kCrashFile = "CRASH_FILE";

[[noreturn]] void ExitWithNames(std::string_view what, std::string_view got,
                                std::string_view valid_names) {
  std::fprintf(stderr, "%s: unknown %.*s '%.*s'; valid names: %.*s\n",
               g_target_name, int(what.size()), what.data(), int(got.size()),
               got.data(), int(valid_names.size()), valid_names.data());
  std::exit(2);
}

// Removes "-<name>=VALUE" from argv and returns VALUE (the last one wins).
std::optional<std::string> TakeFlag(int* argc, char*** argv,
                                    std::string_view name) {
  const std::string prefix = "-" + std::string(name) + "=";
  std::optional<std::string> value;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = (*argv)[i];
    if (arg.starts_with(prefix)) {
      value = std::string(arg.substr(prefix.size()));
    } else {
      (*argv)[kept++] = (*argv)[i];
    }
  }
  (*argv)[kept] = nullptr;  // argv stays NULL-terminated
  *argc = kept;
  return value;
}

// The flag wins over the environment; the choice is written back to the
// environment so child processes (-fork, -jobs) inherit it.
std::optional<std::string> FlagOrEnvironment(int* argc, char*** argv,
                                             std::string_view flag,
                                             const char* env) {
  std::optional<std::string> value = TakeFlag(argc, argv, flag);
  if (!value) {
    const char* from_env = std::getenv(env);
    if (from_env == nullptr || *from_env == '\0') return std::nullopt;
    value = from_env;
  }
  setenv(env, value->c_str(), /*overwrite=*/1);
  return value;
}

std::string RunDescription() {
  std::string text =
      "executor " + std::string(ExecutorName(g_run_options.executor)) +
      ", map " + std::string(MapKindName(g_run_options.map)) + ", fault " +
      std::string(tophash::FaultName(g_run_options.fault));
  if (g_run_options.executor == ExecutorKind::kControlled) {
    text += ", granularity " +
            (g_run_options.granularity
                 ? std::string(GranularityName(*g_run_options.granularity))
                 : std::string("each input's own (coarse, fine or weak)"));
    text += ", concurrency feedback " +
            std::string(NameIn(kFeedbackModes, g_feedback));
  }
  return text;
}

void PrintReplayHint() {
  const std::string replay = ReplayCommand(kCrashFile, g_run_options);
  const std::string fuzzer_replay = FuzzerReplayCommand(
      "./" + std::string(g_target_name), kCrashFile, g_run_options);
  std::fprintf(stderr,
               "==thfuzz== The engine saves this input as a crash file "
               "(libFuzzer: 'Test unit written to ./crash-...' below).\n"
               "==thfuzz== Replay it with (CRASH_FILE: the file named "
               "there):\n"
               "==thfuzz==   %s\n"
               "==thfuzz==   %s\n",
               replay.c_str(), fuzzer_replay.c_str());
}

// The watchdog found a thread trapped without a scheduling point: say so;
// the watchdog then aborts, and the engine saves the input.
void ReportHang(const HangReport& report) {
  std::fprintf(stderr, "\n==thfuzz== VIOLATION liveness (%s)\n==thfuzz== %s\n",
               RunDescription().c_str(), report.violation.summary.c_str());
  PrintReplayHint();
  std::fflush(stderr);
}

[[noreturn]] void ReportAndAbort(const Schedule& schedule, Outcome outcome) {
  if (g_run_options.executor == ExecutorKind::kControlled) {
    // Again, traced, for the report: the run is deterministic.
    PipelineOptions traced;
    traced.run = g_run_options;
    traced.run.trace = true;
    traced.run.concurrency_counters = {};
    Outcome again = RunAndCheck(schedule, traced);
    if (again.verdict == Verdict::kViolation) outcome = std::move(again);
  }
  const std::string replay = ReplayCommand(kCrashFile, g_run_options);
  std::fprintf(stderr, "\n==thfuzz== VIOLATION %.*s (%s)\n",
               int(ViolationKindName(outcome.violation.kind).size()),
               ViolationKindName(outcome.violation.kind).data(),
               RunDescription().c_str());
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - g_start;
  std::fprintf(stderr, "==thfuzz== first violation after %llu inputs, %.3f s\n",
               static_cast<unsigned long long>(g_inputs), elapsed.count());
  std::fprintf(stderr, "%s\n",
               ReportFor(outcome, g_run_options, replay).c_str());
  PrintReplayHint();
  if (g_run_options.executor == ExecutorKind::kStress) {
    std::fprintf(stderr,
                 "==thfuzz== (stress runs are not deterministic: a replay "
                 "may need many tries, e.g. -runs=1000)\n");
  }
  std::fflush(stderr);
  std::abort();
}

// Printed on the 1st, 2nd, 4th, 8th, ... unknown verdict only.
void CountUnknown(const Outcome& outcome) {
  ++g_unknown_verdicts;
  if ((g_unknown_verdicts & (g_unknown_verdicts - 1)) != 0) return;
  std::fprintf(stderr,
               "==thfuzz== checker gave up on %llu input(s) so far (not a "
               "crash); latest: %s\n",
               static_cast<unsigned long long>(g_unknown_verdicts),
               outcome.unknown_reason.c_str());
}

void PrintStatsAtExit() { PrintCounterStats(g_target_name); }

// Only the controlled executor records concurrency events. Off by default:
// measured, it made libFuzzer slower to find faults, not faster
// (fuzz/README.md, "Concurrency feedback").
void ChooseFeedback(int* argc, char*** argv, ExecutorKind executor) {
  std::optional<std::string> name = FlagOrEnvironment(
      argc, argv, "concurrency_feedback", "THFUZZ_CONCURRENCY_FEEDBACK");
  if (executor != ExecutorKind::kControlled) return;
  if (name) {
    std::optional<Feedback> mode = ParseIn(kFeedbackModes, *name);
    if (!mode) {
      ExitWithNames("concurrency feedback mode", *name,
                    NameList(kFeedbackModes));
    }
    g_feedback = *mode;
  }
  if (g_feedback != Feedback::kOff) {
    g_run_options.concurrency_counters = ConcurrencyCounters();
  }
  if (g_feedback == Feedback::kStats) std::atexit(PrintStatsAtExit);
}

}  // namespace

void InitScheduleTarget(int* argc, char*** argv, ExecutorKind executor,
                        const char* target_name) {
  g_target_name = target_name;
  g_run_options.executor = executor;
  if (auto name = FlagOrEnvironment(argc, argv, "fault", kFaultEnvironment)) {
    std::optional<tophash::Fault> fault = tophash::ParseFault(*name);
    if (!fault) ExitWithNames("fault", *name, NameList(tophash::kFaults));
    g_run_options.fault = *fault;
  }
  if (auto name = FlagOrEnvironment(argc, argv, "map", kMapEnvironment)) {
    std::optional<MapKind> map = ParseMapKind(*name);
    if (!map) ExitWithNames("map", *name, NameList(kMapKinds));
    g_run_options.map = *map;
  }
  if (auto name =
          FlagOrEnvironment(argc, argv, "granularity", kGranularityEnvironment);
      name && *name != "all") {
    std::optional<Granularity> granularity = ParseGranularity(*name);
    if (!granularity) {
      ExitWithNames("granularity", *name, NameList(kGranularities) + ", all");
    }
    g_run_options.granularity = *granularity;
  }
  if (g_run_options.fault != tophash::Fault::kNone &&
      g_run_options.map != MapKind::kTophash) {
    std::fprintf(stderr, "%s: faults exist only in the tophash map, not %s\n",
                 target_name,
                 std::string(MapKindName(g_run_options.map)).c_str());
    std::exit(2);
  }
  ChooseFeedback(argc, argv, executor);
  SetHangHandler(ReportHang);
  g_start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "==thfuzz== %s: %s\n", target_name,
               RunDescription().c_str());
}

int RunScheduleInput(const uint8_t* data, size_t size) {
  const Schedule schedule = DecodeSchedule(std::span(data, size));
  PipelineOptions options;
  options.run = g_run_options;
  ++g_inputs;
  bool feedback = g_feedback != Feedback::kOff;
  if (feedback) BeforeInput();
  const Outcome outcome = RunAndCheck(schedule, options);
  if (outcome.verdict == Verdict::kViolation) ReportAndAbort(schedule, outcome);
  if (outcome.verdict == Verdict::kUnknown) CountUnknown(outcome);
  if (g_feedback == Feedback::kReadsFrom) KeepOnly(kReadsFromRange);
  if (feedback) AfterInput(g_feedback == Feedback::kStats);
  return 0;
}

}  // namespace thfuzz::fuzz
