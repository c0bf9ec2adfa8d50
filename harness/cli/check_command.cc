// `tophash-fuzz check`: linearizability verdicts for history files.
//
// History files (harness/HISTORY.md) can come from anywhere: another map,
// another language, a production trace. Each file gets a verdict line; a
// violation prints the full report, an unknown says which budget ran out.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "harness/check/checker.h"
#include "harness/check/history_file.h"
#include "harness/cli/commands.h"
#include "harness/cli/usage.h"
#include "harness/report/report.h"

namespace thfuzz::cli {
namespace {

int CheckFile(const std::string& path, const CheckOptions& options) {
  HistoryParseResult parsed = ReadHistoryFile(path);
  if (!parsed.history) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return kExitUsage;
  }
  CheckResult result = CheckHistory(*parsed.history, options);
  // The details say which path decided (the fast path or the search).
  std::printf(
      "%s: %s%s\n", path.c_str(),
      std::string(VerdictName(result.verdict)).c_str(),
      result.details.empty() ? "" : (" (" + result.details + ")").c_str());
  switch (result.verdict) {
    case Verdict::kLinearizable:
      return kExitOk;
    case Verdict::kUnknown:
      std::printf("  the %s ran out before the search could decide\n",
                  result.unknown_reason.c_str());
      return kExitViolation;
    case Verdict::kViolation: {
      ReportContext context;
      context.replay_command = "tophash-fuzz check " + path;
      std::printf(
          "%s",
          RenderReport(*parsed.history, result.violation, context).c_str());
      return kExitViolation;
    }
  }
  return kExitUsage;
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
      "  tophash-fuzz check --seconds 60 --max-steps 1000000000 big.history\n";
  CheckOptions options;
  uint64_t seconds = options.budget.max_wall_time.count() / 1000;
  uint64_t max_steps = options.budget.max_steps;
  uint64_t max_cache_mb = options.budget.max_cache_bytes >> 20;
  Flags flags;
  flags.Uint("seconds", &seconds, "wall-time budget per file");
  flags.Uint("max-steps", &max_steps, "search-step budget per file");
  flags.Uint("max-cache-mb", &max_cache_mb, "memo-table budget per search");
  std::vector<std::string> files;
  if (int status = ParseOrExplain(usage, flags, args, &files); status >= 0) {
    return status;
  }
  if (files.empty()) return UsageError(usage, "no history files");
  options.budget.max_wall_time = std::chrono::seconds(seconds);
  options.budget.max_steps = max_steps;
  options.budget.max_cache_bytes = size_t{max_cache_mb} << 20;
  int status = kExitOk;
  for (const std::string& file : files) {
    status = std::max(status, CheckFile(file, options));
  }
  return status;
}

}  // namespace thfuzz::cli
