// `tophash-fuzz replay` and `tophash-fuzz explain`: re-run saved inputs.
//
// Inputs are .sched files or raw fuzzer inputs (libFuzzer/AFL++ crash files,
// corpus entries). A .sched file's header says how to run it: its
// `executor:` and `fault:` stand in for flags that are not given, and a flag
// that is given wins with a note; its `granularity:` is the controlled
// run's unless --granularity forces another. When the run is the one the
// header's `expect:` speaks about (its fault, executor and granularity), the
// verdict is compared with it: "reproduced X as expected" (exit 0) or
// "expected X, got Y" (exit 1). Without an expectation a violation exits 1,
// as everywhere; a hang the watchdog finds is a liveness violation, reported
// the same way before the process ends. Serial and controlled runs
// reproduce bit for bit; stress runs do not, so they repeat (--trials) until
// one fails. `replay` judges any number of files; `explain` runs one and
// prints its whole history before the verdict. --html writes the report
// page of the run, violation or not.

#include "harness/pipeline/replay_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/pipeline/outcome_report.h"
#include "harness/pipeline/pipeline.h"
#include "harness/printable.h"

namespace thfuzz::cli {
namespace {

constexpr char kAbout[] =
    "Re-runs saved inputs (.sched text or raw fuzzer bytes) against a map\n"
    "and reports each verdict; a violation prints the full report with a\n"
    "timeline. A .sched file runs as its header says (executor, fault,\n"
    "granularity); flags override it, with a note. When the header's\n"
    "`expect:` is about this run, the verdict is compared with it: exit 0\n"
    "when it matches (\"reproduced X as expected\"), 1 when not. Without an\n"
    "expectation a violation exits 1. By default the production tophash\n"
    "map is used.";

constexpr char kExamples[] =
    "  tophash-fuzz replay corpus/seeds/controlled_fuzzer/*.sched\n"
    "  tophash-fuzz replay corpus/regressions/ghost_read-1234abcd.sched\n"
    "  tophash-fuzz replay corpus/regressions/ghost_read-1234abcd.sched "
    "--fault none   # the production map\n"
    "  tophash-fuzz replay crash-1a2b --executor controlled --fault "
    "publish_tophash_before_key\n"
    "  tophash-fuzz explain corpus/regressions/ghost_read-1234abcd.sched "
    "--html report.html\n";

struct ReplayFlags {
  RunFlags run;
  uint64_t trials = kStressReplayTrials;
  bool from_file = false;  // the old opt-in to the header; now the default
  std::string html;        // where to write the HTML report

  void Register(Flags& flags) {
    run.Register(flags, /*header_applies=*/true);
    flags.Uint("trials", &trials,
               "stress executor: runs per input, stopping at the first that "
               "fails (serial and controlled runs are exact and run once)");
    flags.Bool("from-file", &from_file,
               "no effect: the header is always read (kept so that older "
               "printed commands still work)");
    flags.String("html", &html,
                 "write the report of the run as one self-contained HTML "
                 "page, violation or not (one input file only)");
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
  if (!flags->html.empty() && files->size() != 1) {
    return UsageError(usage, "--html takes exactly one input file");
  }
  if (flags->trials == 0) return UsageError(usage, "--trials must be >= 1");
  // Bad flag values are usage errors before any file is read.
  RunOptions ignored;
  if (std::string error = flags->run.Resolve(&ignored); !error.empty()) {
    return UsageError(usage, error);
  }
  return -1;
}

std::string Describe(const Schedule& schedule, const RunOptions& options,
                     uint64_t trials) {
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
         std::to_string(schedule.TotalOps()) + " ops" +
         (trials > 1 ? ", " + std::to_string(trials) + " trials" : "");
}

// One input, run as its header and the flags say.
struct Replayed {
  Outcome outcome;
  RunOptions run;
  std::string what;  // Describe() of the run
  // The header's `expect:`, when it speaks about this run.
  std::optional<ViolationKind> expected;
};

[[noreturn]] void EndOnHang(const std::string& path, const HangReport& report,
                            std::optional<ViolationKind> expected,
                            const ReplayFlags& flags);

// Loads and runs `path`; nullopt (after saying why) if it cannot be read.
std::optional<Replayed> RunInput(const std::string& path,
                                 const ReplayFlags& flags) {
  std::string name = Printable(path);
  LoadedSchedule input = LoadSchedule(path);
  if (!input.schedule) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", input.error.c_str());
    return std::nullopt;
  }
  if (!input.note.empty()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), input.note.c_str());
  }
  PipelineOptions pipeline;
  std::vector<std::string> notes;
  std::string error =
      input.is_text ? flags.run.ResolveOver(input.meta, &pipeline.run, &notes)
                    : flags.run.Resolve(&pipeline.run);
  if (!error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s: %s\n", name.c_str(), error.c_str());
    return std::nullopt;
  }
  // Controlled runs are deterministic and a replay runs once: trace it, so
  // a report can show where the threads switched.
  pipeline.run.trace = pipeline.run.executor == ExecutorKind::kControlled;
  Replayed replayed;
  std::string why;
  if (input.is_text &&
      ExpectationApplies(input.meta, *input.schedule, pipeline.run, &why)) {
    replayed.expected = input.meta.expect;
  }
  if (!why.empty()) notes.push_back(why);
  for (const std::string& note : notes) {
    std::fprintf(stderr, "%s: note: %s\n", name.c_str(), note.c_str());
  }
  uint64_t trials = IsDeterministic(pipeline.run.executor)
                        ? 1
                        : std::max<uint64_t>(1, flags.trials);
  // A hang ends the process from the watchdog's thread: report it like any
  // violation, compared with the expectation as usual.
  HangHandler previous = SetHangHandler(
      [path, expected = replayed.expected, &flags](const HangReport& report) {
        EndOnHang(path, report, expected, flags);
      });
  uint64_t ran = 0;
  while (ran < trials) {
    ++ran;
    replayed.outcome = RunAndCheck(*input.schedule, pipeline);
    if (replayed.outcome.verdict != Verdict::kLinearizable) break;
  }
  SetHangHandler(std::move(previous));
  replayed.run = pipeline.run;
  replayed.what = Describe(*input.schedule, pipeline.run, ran);
  return replayed;
}

// "passed" or the violation kind's name.
std::string VerdictWord(const Outcome& outcome) {
  switch (outcome.verdict) {
    case Verdict::kLinearizable:
      return "pass";
    case Verdict::kUnknown:
      return "unknown (the checker's " + outcome.unknown_reason + " ran out)";
    case Verdict::kViolation:
      break;
  }
  return std::string(ViolationKindName(outcome.violation.kind));
}

// The last line when the header's expectation applies; the exit status.
int CompareWithExpectation(const std::string& name, const Replayed& replayed) {
  ViolationKind expected = *replayed.expected;
  const Outcome& outcome = replayed.outcome;
  bool passed = outcome.verdict == Verdict::kLinearizable;
  bool matches = expected == ViolationKind::kNone
                     ? passed
                     : outcome.verdict == Verdict::kViolation &&
                           outcome.violation.kind == expected;
  std::string expected_word = expected == ViolationKind::kNone
                                  ? "pass"
                                  : std::string(ViolationKindName(expected));
  if (matches) {
    std::printf("%s: %s as expected (%s)\n", name.c_str(),
                passed ? "passed" : ("reproduced " + expected_word).c_str(),
                replayed.what.c_str());
    return kExitOk;
  }
  std::printf("%s: expected %s, got %s (%s)\n", name.c_str(),
              expected_word.c_str(), VerdictWord(outcome).c_str(),
              replayed.what.c_str());
  return kExitViolation;
}

// Prints the verdict (and the report of a violation), writes the HTML page
// if asked; returns the status.
int PrintVerdict(const std::string& path, const Replayed& replayed,
                 const ReplayFlags& flags) {
  const Outcome& outcome = replayed.outcome;
  std::string name = Printable(path);
  const char* what = replayed.what.c_str();
  std::string replay = ReplayCommand(path, replayed.run);
  int status = kExitViolation;
  switch (outcome.verdict) {
    case Verdict::kLinearizable:
      std::printf("%s: linearizable (%s)\n", name.c_str(), what);
      status = kExitOk;
      break;
    case Verdict::kUnknown:
      std::printf("%s: unknown: the checker's %s ran out (%s)\n", name.c_str(),
                  outcome.unknown_reason.c_str(), what);
      break;
    case Verdict::kViolation:
      std::printf(
          "%s: VIOLATION %s (%s)\n%s\n", name.c_str(),
          std::string(ViolationKindName(outcome.violation.kind)).c_str(), what,
          ReportFor(outcome, replayed.run, replay).c_str());
      break;
  }
  if (replayed.expected) status = CompareWithExpectation(name, replayed);
  if (flags.html.empty()) return status;
  std::string error = WriteHtmlReport(
      flags.html, HtmlReportFor(outcome, replayed.run, replay, path),
      outcome.execution.history.events.size());
  if (!error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
    return kExitUsage;
  }
  return status;
}

// The watchdog found the map hung while replaying `path`: print the
// liveness violation like any other (compared with `expected` if the header
// speaks about this run) and end the process with its status.
[[noreturn]] void EndOnHang(const std::string& path, const HangReport& report,
                            std::optional<ViolationKind> expected,
                            const ReplayFlags& flags) {
  Replayed replayed;
  replayed.outcome.verdict = Verdict::kViolation;
  replayed.outcome.violation = report.violation;
  replayed.outcome.execution.violation = report.violation;
  replayed.outcome.granularity =
      EffectiveGranularity(report.schedule, report.options);
  replayed.run = report.options;
  replayed.what = Describe(report.schedule, report.options, 1);
  replayed.expected = expected;
  int status = PrintVerdict(path, replayed, flags);
  std::fflush(nullptr);
  std::_Exit(status);
}

}  // namespace

[[noreturn]] void EndReplayOnHang(const std::string& path,
                                  const HangReport& report) {
  EndOnHang(path, report, std::nullopt, ReplayFlags{});
}

int ReplayMain(std::span<const std::string> args) {
  const Usage usage = {"tophash-fuzz replay FILE... [flags]", kAbout,
                       kExamples};
  ReplayFlags flags;
  std::vector<std::string> files;
  if (int status = ParseReplayFlags(usage, args, &flags, &files); status >= 0) {
    return status;
  }
  int status = kExitOk;
  for (const std::string& file : files) {
    std::optional<Replayed> replayed = RunInput(file, flags);
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
  const std::string& file = files[0];
  std::optional<Replayed> replayed = RunInput(file, flags);
  if (!replayed) return kExitUsage;
  std::printf("%s (%s)\n%s", Printable(file).c_str(), replayed->what.c_str(),
              PrintHistory(replayed->outcome.execution.history).c_str());
  return PrintVerdict(file, *replayed, flags);
}

}  // namespace thfuzz::cli
