// `tophash-fuzz soak`: real threads against one map for minutes, the
// history checked in windows while it is recorded (harness/soak/soak.h).
//
// A progress line goes to stderr about once a second and a summary to
// stdout at the end. On a violation the command prints the report, saves
// the cut-down history as DIR/soak-<kind>-<hash>.history (it fails by
// itself: `tophash-fuzz check FILE` replays the verdict), saves the last
// operations before the violation as DIR/soak-<kind>-<hash>.sched (for a
// sequential fault: serial, after inserts of the keys present before them;
// see SoakFinding) and hands that to the minimize command's workflow
// (minimize_command.cc; up to --minimize-seconds), which confirms that it
// fails by itself, converts it to a controlled schedule when it can,
// minimizes it and saves DIR/<kind>-<hash>.sched with its replay command.
// Exit status: 0 clean, 1 a violation or a window the checker could not
// decide, 2 bad usage.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/check/history_file.h"
#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/codec/sched_text.h"
#include "harness/pipeline/replay_command.h"
#include "harness/report/report.h"
#include "harness/soak/soak.h"

namespace thfuzz::cli {
namespace {

std::atomic<bool> soak_interrupted{false};
void OnInterrupt(int) { soak_interrupted.store(true); }

const Usage kUsage = {
    "tophash-fuzz soak --threads N --seconds S --keys K [--map M] "
    "[--fault F] [flags]",
    "Runs N real threads against one map for S seconds (find, insert,\n"
    "insert_or_assign, erase and reserve on K keys) and checks the history\n"
    "for linearizability while it runs, in windows cut at quiescent points;\n"
    "memory stays flat however long the run. The first violation stops the\n"
    "run: its report is printed, a cut-down history that fails by itself is\n"
    "saved (replay: tophash-fuzz check FILE), and the operations before it\n"
    "go to the minimizer, which saves a small replayable .sched case.\n"
    "Ctrl-C stops at the next cut and prints the summary.\n"
    "exit status: 0 clean, 1 a violation or an undecided window, 2 bad "
    "usage.",
    "  tophash-fuzz soak --threads 4 --seconds 600 --keys 64\n"
    "  tophash-fuzz soak --threads 2 --seconds 60 --keys 16 --fault "
    "erase_marks_empty_rest_early\n"
    "  tophash-fuzz soak --threads 8 --seconds 120 --keys 32 --map tbb\n"};

struct SoakFlags {
  uint64_t threads = 4;
  uint64_t seconds = 60;
  uint64_t keys = 64;
  RunFlags run;  // --map and --fault
  uint64_t shards_log2 = 2;
  uint64_t window_ops = 50'000;
  uint64_t op_timeout_ms = 2'000;
  uint64_t seed = 1;
  uint64_t minimize_seconds = 60;
  std::string out = "corpus/regressions";

  void Register(Flags& flags) {
    flags.Uint("threads", &threads, "worker threads (1-64)");
    flags.Uint("seconds", &seconds, "how long to run");
    flags.Uint("keys", &keys, "keys the workers use (1-64)");
    flags.String("map", &run.map, "tophash, oracle, tbb or cuckoo");
    flags.String("fault", &run.fault, "injected bug (tophash map only)");
    flags.Uint("shards-log2", &shards_log2, "tophash: 1 << this many shards");
    flags.Uint("window-ops", &window_ops,
               "operations per checked window (cut at a quiescent point)");
    flags.Uint("op-timeout-ms", &op_timeout_ms,
               "an operation running longer is a liveness failure");
    flags.Uint("seed", &seed, "seed of the workers' operation streams");
    flags.Uint("minimize-seconds", &minimize_seconds,
               "budget for minimizing a finding's schedule (0: do not)");
    flags.String("out", &out, "directory for the finding's files");
  }

  // Fills `options`; "" or what is wrong.
  std::string Resolve(SoakOptions* options) const {
    RunOptions resolved;
    if (std::string error = run.Resolve(&resolved); !error.empty()) {
      return error;
    }
    options->threads = static_cast<unsigned>(std::min<uint64_t>(threads, ~0u));
    options->keys = static_cast<unsigned>(std::min<uint64_t>(keys, ~0u));
    options->duration = std::chrono::seconds(seconds);
    options->map = resolved.map;
    options->fault = resolved.fault;
    options->shards_log2 =
        static_cast<unsigned>(std::min<uint64_t>(shards_log2, ~0u));
    options->window_ops = window_ops;
    options->op_timeout = std::chrono::milliseconds(op_timeout_ms);
    options->seed = seed;
    return ValidateSoakOptions(*options);
  }
};

// 12345678 -> "12,345,678".
std::string Grouped(uint64_t value) {
  std::string digits = std::to_string(value), text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

void PrintProgress(const SoakProgress& progress) {
  double seconds = progress.elapsed.count() / 1000.0;
  std::fprintf(stderr,
               "soak: %.0f s | %s ops (%s/s) | %s windows checked (%s "
               "unknown), last in %lld ms | RSS %zu MiB\n",
               seconds, Grouped(progress.ops).c_str(),
               Grouped(seconds > 0 ? progress.ops / seconds : 0).c_str(),
               Grouped(progress.windows_checked).c_str(),
               Grouped(progress.unknown_windows).c_str(),
               static_cast<long long>(progress.last_check.count()),
               progress.rss_kib / 1024);
}

std::string Describe(const SoakOptions& options) {
  std::string map(MapKindName(options.map));
  if (options.map == MapKind::kTophash) {
    map += " map (" + std::to_string(1u << options.shards_log2) +
           " shards), fault " + std::string(tophash::FaultName(options.fault));
  } else {
    map += " map";
  }
  return map + ", " + std::to_string(options.threads) + " threads, " +
         std::to_string(options.keys) + " keys";
}

void PrintSummary(const SoakOptions& options, const SoakResult& result) {
  const SoakProgress& totals = result.totals;
  double minutes = totals.elapsed.count() / 60'000.0;
  std::printf(
      "soak summary: %.1f s, %s%s\n"
      "  operations: %s recorded, %s checked (%s per minute)\n"
      "  windows:    %s checked in %.1f s (the longest in %lld ms), %s "
      "unknown\n"
      "  memory:     peak RSS %zu MiB\n",
      totals.elapsed.count() / 1000.0, Describe(options).c_str(),
      result.interrupted ? " (interrupted)" : "", Grouped(totals.ops).c_str(),
      Grouped(totals.ops_checked).c_str(),
      Grouped(minutes > 0 ? totals.ops_checked / minutes : 0).c_str(),
      Grouped(totals.windows_checked).c_str(),
      result.check_time.count() / 1000.0,
      static_cast<long long>(result.max_window_check.count()),
      Grouped(totals.unknown_windows).c_str(), result.peak_rss_kib / 1024);
}

// "lost_key-1a2b3c4d" for the finding's files.
std::string FindingName(const SoakFinding& finding) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%08llx",
                static_cast<unsigned long long>(HistoryHash(finding.cut) &
                                                0xffffffffULL));
  return std::string(ViolationKindName(finding.violation.kind)) + "-" + hash;
}

// Writes the cut-down history; returns its path, or "" after saying why not.
std::string SaveCut(const std::string& dir, const SoakFinding& finding,
                    const std::string& command) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  std::string path = dir + "/soak-" + FindingName(finding) + ".history";
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << "# Found by: " << command << "\n"
       << "# " << ViolationKindName(finding.violation.kind) << ": "
       << finding.violation.summary << "\n"
       << "# Replay: tophash-fuzz check " << ShellQuote(path) << "\n"
       << FormatHistoryFile(finding.cut);
  file.close();
  if (!file) {
    std::fprintf(stderr, "tophash-fuzz: %s: cannot write the history\n",
                 path.c_str());
    return "";
  }
  return path;
}

// The schedule the finding was cut down to, for the minimizer.
std::string SaveSchedule(const std::string& dir, const SoakOptions& options,
                         const SoakFinding& finding) {
  SchedMeta meta;
  meta.expect = finding.violation.kind;
  meta.fault = options.fault;
  meta.executor = finding.executor;
  meta.notes = {
      "The last operations before a violation that tophash-fuzz "
      "soak found (" +
      Describe(options) + ")."};
  std::string path = dir + "/soak-" + FindingName(finding) + ".sched";
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << PrintSchedule(finding.schedule, meta);
  file.close();
  if (!file) return "";
  return path;
}

std::string CommandLine(std::span<const std::string> args) {
  std::string command = "tophash-fuzz soak";
  for (const std::string& arg : args) command += " " + arg;
  return command;
}

int ReportFinding(const SoakOptions& options, const SoakFlags& flags,
                  const SoakFinding& finding, const std::string& command) {
  std::string cut = SaveCut(flags.out, finding, command);
  ReportContext context;
  context.fault = options.fault == tophash::Fault::kNone
                      ? ""
                      : std::string(tophash::FaultName(options.fault));
  context.executor = "soak (" + std::to_string(options.threads) +
                     " real threads, " + std::string(MapKindName(options.map)) +
                     " map)";
  if (!cut.empty()) {
    context.replay_command = "tophash-fuzz check " + ShellQuote(cut);
  }
  std::printf("%s",
              RenderReport(finding.window, finding.violation, context).c_str());
  std::string schedule = SaveSchedule(flags.out, options, finding);
  if (schedule.empty()) return kExitViolation;
  // Pasteable: the file's header says how to run it.
  std::printf(
      "\nThe %zu operations before it, as a schedule: %s\n"
      "  replay:   tophash-fuzz replay %s --trials 100\n"
      "  minimize: tophash-fuzz minimize %s --out %s\n",
      finding.schedule.TotalOps(), schedule.c_str(),
      ShellQuote(schedule).c_str(), ShellQuote(schedule).c_str(),
      ShellQuote(flags.out).c_str());
  if (flags.minimize_seconds == 0) return kExitViolation;
  // The minimize command's workflow: confirm, convert to a controlled
  // schedule when one is found, minimize, save the regression case.
  std::printf("\nMinimizing it (up to %llu s):\n",
              static_cast<unsigned long long>(flags.minimize_seconds));
  std::fflush(stdout);
  const std::string minimize_args[] = {schedule, "--out", flags.out,
                                       "--seconds",
                                       std::to_string(flags.minimize_seconds)};
  if (MinimizeMain(minimize_args) != kExitOk) {
    std::printf(
        "  not minimized: replayed on its own, the schedule showed no "
        "violation (a race need not recur, and the map it starts from only "
        "approximates the run's: the same keys, not their layout); the "
        "cut-down history above is the finding\n");
  }
  return kExitViolation;
}

}  // namespace

int SoakMain(std::span<const std::string> args) {
  Flags parser;
  SoakFlags flags;
  flags.Register(parser);
  std::vector<std::string> positional;
  if (int status = ParseOrExplain(kUsage, parser, args, &positional);
      status >= 0) {
    return status;
  }
  if (!positional.empty()) {
    return UsageError(kUsage, "unexpected argument '" + positional[0] + "'");
  }
  SoakOptions options;
  if (std::string error = flags.Resolve(&options); !error.empty()) {
    return UsageError(kUsage, error);
  }
  options.on_progress = PrintProgress;
  soak_interrupted.store(false);
  options.interrupt = &soak_interrupted;
  std::fprintf(stderr, "soak: %s, %llu s, windows of %s operations\n",
               Describe(options).c_str(),
               static_cast<unsigned long long>(flags.seconds),
               Grouped(options.window_ops).c_str());
  auto previous_handler = std::signal(SIGINT, OnInterrupt);
  SoakResult result = RunSoak(options);
  std::signal(SIGINT, previous_handler);
  PrintSummary(options, result);
  if (result.finding) {
    std::printf(
        "  verdict:    VIOLATION %s\n\n",
        std::string(ViolationKindName(result.finding->violation.kind)).c_str());
    return ReportFinding(options, flags, *result.finding, CommandLine(args));
  }
  if (result.totals.unknown_windows > 0) {
    std::printf(
        "  verdict:    unknown: the checker ran out of budget on %s "
        "windows\n",
        Grouped(result.totals.unknown_windows).c_str());
    return kExitViolation;
  }
  std::printf("  verdict:    clean\n");
  return kExitOk;
}

}  // namespace thfuzz::cli
