// `tophash-fuzz check`: linearizability verdicts for history files.
//
// History files (harness/HISTORY.md) can come from anywhere: another map,
// another language, a production trace. Each file gets a verdict line; a
// violation prints the full report, an unknown says which budget ran out.
// An empty history is linearizable with a warning; directories and other
// non-files are exit 2 with the reason. --html writes one file's report
// page: the violation, or the linearization the checker found.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "harness/check/checker.h"
#include "harness/check/history_file.h"
#include "harness/cli/commands.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/pipeline/replay_command.h"
#include "harness/printable.h"
#include "harness/report/html_report.h"
#include "harness/report/report.h"

namespace thfuzz::cli {
namespace {

// The command that checks `path` again, pasteable.
std::string CheckCommand(const std::string& path) {
  return "tophash-fuzz check " + ShellQuote(path);
}

// The report page of a checked history: the violation, or for a
// linearizable history the checker's linearization.
std::string HtmlFor(const std::string& path, const History& history,
                    const CheckResult& result) {
  ReportContext context;
  context.source = path;
  context.replay_command = CheckCommand(path);
  if (result.verdict == Verdict::kLinearizable) {
    context.order = result.linearization;
  } else if (result.verdict == Verdict::kViolation) {
    context.order = result.linearizable_prefix;
    context.order_is_prefix = true;
  }
  return RenderHtmlReport(
      history,
      result.verdict == Verdict::kViolation ? result.violation : Violation{},
      context);
}

int CheckFile(const std::string& path, const CheckOptions& options,
              const std::string& html) {
  std::string name = Printable(path);
  HistoryParseResult parsed = ReadHistoryFile(path);
  if (!parsed.history) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return kExitUsage;
  }
  if (parsed.history->events.empty()) {
    std::fprintf(stderr,
                 "%s: warning: the history has no operations; it is "
                 "trivially linearizable\n",
                 name.c_str());
  }
  CheckResult result = CheckHistory(*parsed.history, options);
  // The details say which path decided (the fast path or the search).
  std::printf(
      "%s: %s%s\n", name.c_str(),
      std::string(VerdictName(result.verdict)).c_str(),
      result.details.empty() ? "" : (" (" + result.details + ")").c_str());
  int status = kExitUsage;
  switch (result.verdict) {
    case Verdict::kLinearizable:
      status = kExitOk;
      break;
    case Verdict::kUnknown:
      std::printf("  the %s ran out before the search could decide\n",
                  result.unknown_reason.c_str());
      status = kExitViolation;
      break;
    case Verdict::kViolation: {
      ReportContext context;
      context.replay_command = CheckCommand(path);
      std::printf(
          "%s",
          RenderReport(*parsed.history, result.violation, context).c_str());
      status = kExitViolation;
      break;
    }
  }
  if (html.empty()) return status;
  std::string error =
      WriteHtmlReport(html, HtmlFor(path, *parsed.history, result),
                      parsed.history->events.size());
  if (!error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
    return kExitUsage;
  }
  return status;
}

}  // namespace

int CheckMain(std::span<const std::string> args) {
  Usage usage;
  usage.synopsis = "tophash-fuzz check FILE... [flags]";
  usage.about =
      "Checks history files (format: harness/HISTORY.md) for\n"
      "linearizability against the sequential map specification and prints\n"
      "linearizable, violation (with a report) or unknown (budget ran out).";
  usage.examples =
      "  tophash-fuzz check run.history\n"
      "  tophash-fuzz check run.history --html run.html\n"
      "  tophash-fuzz check --seconds 60 --max-steps 1000000000 big.history\n";
  CheckOptions options;
  uint64_t seconds = options.budget.max_wall_time.count() / 1000;
  uint64_t max_steps = options.budget.max_steps;
  uint64_t max_cache_mb = options.budget.max_cache_bytes >> 20;
  Flags flags;
  flags.Uint("seconds", &seconds, "wall-time budget per file");
  flags.Uint("max-steps", &max_steps, "search-step budget per file");
  flags.Uint("max-cache-mb", &max_cache_mb, "memo-table budget per search");
  std::string html;
  flags.String("html", &html,
               "write the file's report as one self-contained HTML page, "
               "linearizable or not (one input file only)");
  std::vector<std::string> files;
  if (int status = ParseOrExplain(usage, flags, args, &files); status >= 0) {
    return status;
  }
  if (files.empty()) return UsageError(usage, "no history files");
  if (!html.empty() && files.size() != 1) {
    return UsageError(usage, "--html takes exactly one history file");
  }
  options.budget.max_wall_time = std::chrono::seconds(seconds);
  options.budget.max_steps = max_steps;
  options.budget.max_cache_bytes = size_t{max_cache_mb} << 20;
  int status = kExitOk;
  for (const std::string& file : files) {
    status = std::max(status, CheckFile(file, options, html));
  }
  return status;
}

}  // namespace thfuzz::cli
