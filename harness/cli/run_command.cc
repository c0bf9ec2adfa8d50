// `tophash-fuzz run`: a time-boxed fuzz campaign (campaign.h) against one
// map, one executor and optionally one injected fault. Afterwards the saved
// findings are grouped into bugs (finding_groups.h): the first of each group
// is minimized into OUT/minimized/ (--no-minimize: not), and the first
// bug's minimized case is printed in full before the list of groups. The
// summary ends with the path of OUT/campaign.html, the campaign's progress
// drawn over time (report/campaign_plot.h).

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/cli/campaign.h"
#include "harness/cli/commands.h"
#include "harness/cli/finding_groups.h"
#include "harness/cli/inputs.h"
#include "harness/cli/usage.h"
#include "harness/minimize/schedule_cost.h"
#include "harness/pipeline/outcome_report.h"
#include "harness/pipeline/replay_command.h"
#include "harness/printable.h"
#include "harness/report/campaign_plot.h"

namespace thfuzz::cli {
namespace {

constexpr uint64_t kMaxJobs = 32;
constexpr uint64_t kMaxSeconds = 30 * 24 * 3600;

void OnInterrupt(int) { campaign_interrupted.store(true); }

// Loads every regular file under `dir` (recursively) as a schedule. A bad
// .sched file is an error (named with line and column), not a skipped seed.
std::string LoadCorpus(const std::string& dir, std::vector<Schedule>* corpus) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return dir + ": not a directory";
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (error) return dir + ": " + error.message();
  std::sort(files.begin(), files.end());  // a reproducible order
  for (const auto& file : files) {
    // libFuzzer corpora may hold the empty input; it adds nothing to mutate.
    if (std::filesystem::file_size(file, error) == 0) continue;
    LoadedSchedule loaded = LoadSchedule(file.string());
    if (!loaded.schedule) return loaded.error;
    corpus->push_back(std::move(*loaded.schedule));
  }
  return "";
}

// Creates `dir` if needed and proves a file can be written in it, so a
// campaign never runs for a minute and then fails to save what it found.
std::string PrepareOutputDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return dir + ": cannot create directory: " + error.message();
  std::filesystem::path probe =
      std::filesystem::path(dir) / ".tophash-fuzz-write-test";
  std::ofstream(probe) << "";
  if (!std::filesystem::exists(probe))
    return dir + ": directory is not writable";
  std::filesystem::remove(probe, error);
  return "";
}

// printf into a string.
[[gnu::format(printf, 2, 3)]] void Appendf(std::string& out, const char* format,
                                           ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  int length = std::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  if (length < 0) return;
  if (static_cast<size_t>(length) < sizeof(buffer)) {
    out.append(buffer, length);
    return;
  }
  std::string large(length + 1, '\0');
  va_start(args, format);
  std::vsnprintf(large.data(), large.size(), format, args);
  va_end(args);
  out.append(large.data(), length);
}

std::string TargetName(const RunOptions& run) {
  std::string target = std::string(MapKindName(run.map));
  if (run.map == MapKind::kTophash) {
    target += run.fault == tophash::Fault::kNone
                  ? " (production)"
                  : " with fault " + std::string(tophash::FaultName(run.fault));
  }
  return target;
}

std::string SummaryText(const CampaignOptions& options,
                        const CampaignResult& result) {
  const RunOptions& run = options.pipeline.run;
  std::string text;
  Appendf(text, "campaign summary%s\n",
          result.interrupted ? " (interrupted)" : "");
  Appendf(text, "  map          %s\n", TargetName(run).c_str());
  Appendf(text, "  executor     %s\n",
          std::string(ExecutorName(run.executor)).c_str());
  Appendf(text, "  seed         %llu\n",
          static_cast<unsigned long long>(options.seed));
  Appendf(text, "  duration     %.1f s\n", result.elapsed_seconds);
  Appendf(text, "  executions   %llu (%.0f/s)\n",
          static_cast<unsigned long long>(result.executions),
          result.elapsed_seconds > 0
              ? result.executions / result.elapsed_seconds
              : 0.0);
  if (run.executor == ExecutorKind::kControlled) {
    for (const auto& row : kGranularities) {
      auto g = static_cast<size_t>(row.value);
      if (result.executions_at[g] == 0) continue;
      Appendf(text, "    %-8s     %llu executions, %llu violations\n",
              std::string(row.name).c_str(),
              static_cast<unsigned long long>(result.executions_at[g]),
              static_cast<unsigned long long>(result.violations_at[g]));
    }
  }
  Appendf(text, "  violations   %llu\n",
          static_cast<unsigned long long>(result.violations));
  for (const auto& [kind, count] : result.violations_by_kind) {
    Appendf(text, "    %-18s %llu\n", kind.c_str(),
            static_cast<unsigned long long>(count));
  }
  Appendf(text, "  unknown      %llu (checker budget ran out; not passes)\n",
          static_cast<unsigned long long>(result.unknowns));
  if (result.saved.empty()) {
    Appendf(text, "  saved        nothing\n");
  } else {
    Appendf(text,
            "  saved        %zu in %s (replay with: tophash-fuzz replay "
            "FILE)\n",
            result.saved.size(), Printable(options.out_dir).c_str());
    for (const std::string& path : result.saved) {
      Appendf(text, "    %s\n", Printable(path).c_str());
    }
  }
  return text;
}

// The campaign page (report/campaign_plot.h) of this run, from the
// progress lines' counters. `run` tracks no code coverage, so the page has
// no coverage panel until a coverage-like series (concurrency features) is
// recorded.
CampaignPlot PlotOf(const CampaignOptions& options,
                    const CampaignResult& result, const std::string& summary) {
  const RunOptions& run = options.pipeline.run;
  const CampaignProgress& progress = result.progress;
  CampaignPlot plot;
  plot.title = "tophash-fuzz run";
  plot.source = TargetName(run);
  plot.facts = {{"executor", std::string(ExecutorName(run.executor))},
                {"seed", std::to_string(options.seed)},
                {"jobs", std::to_string(options.jobs)},
                {"findings in", options.out_dir}};
  plot.series = {
      {PlotPanel::kExecutions, "executions", progress.executions},
      {PlotPanel::kFindings, "violations", progress.violations},
      {PlotPanel::kFindings, "saved findings", progress.saved},
      {PlotPanel::kFindings, "unknown (checker budget)", progress.unknowns},
  };
  plot.notes = {
      "One point per progress line (every second). tophash-fuzz run "
      "measures no code coverage; libFuzzer campaigns (ci/fuzz.sh) plot "
      "cov and ft."};
  plot.summary = summary;
  return plot;
}

// Prints the summary and writes the campaign page next to the findings.
void PrintSummary(const CampaignOptions& options,
                  const CampaignResult& result) {
  std::string summary = SummaryText(options, result);
  std::printf("\n%s", summary.c_str());
  std::string path =
      (std::filesystem::path(options.out_dir) / "campaign.html").string();
  if (std::string error =
          WriteCampaignPlot(PlotOf(options, result, summary), path);
      !error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", Printable(error).c_str());
    return;
  }
  std::printf("  plot         %s\n", Printable(path).c_str());
}

// The first bug's minimized case in full, then one entry per bug.
void PrintGroups(const CampaignResult& result,
                 const std::vector<FindingGroup>& groups) {
  if (groups.empty()) return;
  for (const FindingGroup& group : groups) {
    if (!group.minimized) continue;
    const FindingResult& first = *group.minimized;
    std::string path = first.saved->path.string();
    std::printf("\nThe first bug, minimized (%s):\n%s\n",
                Printable(path).c_str(),
                ReportFor(first.regression.outcome, first.run,
                          ReplayCommand(path, first.run))
                    .c_str());
    break;
  }
  std::printf(
      "\n%zu finding%s, %zu bug%s (same violation kind and minimized "
      "shape = one bug):\n",
      result.findings.size(), result.findings.size() == 1 ? "" : "s",
      groups.size(), groups.size() == 1 ? "" : "s");
  for (size_t g = 0; g < groups.size(); ++g) {
    const FindingGroup& group = groups[g];
    std::printf("  bug %zu: %s, %zu finding%s (%s)\n", g + 1,
                std::string(ViolationKindName(group.kind)).c_str(),
                group.findings.size(), group.findings.size() == 1 ? "" : "s",
                group.signature.c_str());
    if (group.minimized) {
      const FindingResult& min = *group.minimized;
      std::string path = min.saved->path.string();
      std::printf("    minimized  %s: %s (%s)\n", Printable(path).c_str(),
                  DescribeSize(SizeOf(min.minimized.schedule)).c_str(),
                  std::string(MinimizeStopName(min.minimized.stop)).c_str());
      std::printf("    shape      %s\n", group.shape.c_str());
      std::printf("    replay     %s\n", ReplayCommand(path, min.run).c_str());
    }
    const std::string& found = result.findings[group.findings.front()].path;
    std::printf("    found as   %s", Printable(found).c_str());
    if (group.findings.size() > 1) {
      std::printf(" (+%zu more)", group.findings.size() - 1);
    }
    std::printf("\n");
  }
}

}  // namespace

int RunMain(std::span<const std::string> args) {
  Usage usage;
  usage.synopsis = "tophash-fuzz run [flags]";
  usage.about =
      "Runs a time-boxed fuzz campaign: generated schedules (PCT scheduling\n"
      "or random decisions) and mutations of a corpus, each executed and\n"
      "checked for linearizability. Prints a progress line every second and\n"
      "a summary; saves every violating input as a .sched file. Controlled\n"
      "campaigns mix coarse, fine and weak granularity unless one is given.\n"
      "Findings are then grouped into bugs (violation kind and minimized\n"
      "shape); the first of each group is minimized into OUT/minimized/ and\n"
      "the first bug's minimized case is printed in full. The summary is\n"
      "followed by OUT/campaign.html: executions and findings over time.\n"
      "Exit status 1 if any violation was found.";
  usage.examples =
      "  tophash-fuzz run --seconds 60\n"
      "  tophash-fuzz run --granularity weak --fault relaxed_tophash_publish\n"
      "  tophash-fuzz run --executor serial --fault evacuate_drops_overflow\n"
      "  tophash-fuzz run --executor stress --seconds 30 --corpus corpus/\n"
      "  tophash-fuzz run --fault publish_tophash_before_key --no-minimize\n";
  CampaignOptions options;
  RunFlags run_flags;
  uint64_t seconds = 60, max_execs = 0, seed = 1, max_findings = 10;
  uint64_t jobs =
      std::clamp<uint64_t>(std::thread::hardware_concurrency(), 1, kMaxJobs);
  uint64_t threads = 4;
  std::string corpus_dir, out_dir = "fuzz-findings";
  Flags flags;
  run_flags.Register(flags, /*header_applies=*/false, "all",
                     /*allow_all=*/true);
  flags.Uint("seconds", &seconds, "how long to run");
  flags.Uint("max-execs", &max_execs,
             "stop after this many executions (0: no limit)");
  flags.Uint("seed", &seed, "seed of the input stream");
  flags.Uint("jobs", &jobs, "parallel workers (stress always uses 1)");
  flags.Uint("threads", &threads, "maximum logical threads per schedule (1-8)");
  flags.String("corpus", &corpus_dir, "directory of inputs to mutate");
  flags.String("out", &out_dir, "directory for violating inputs");
  flags.Uint("max-findings", &max_findings, "stop after saving this many");
  bool no_minimize = false;
  uint64_t minimize_seconds = 20;
  flags.Bool("no-minimize", &no_minimize,
             "do not minimize the first finding of each group (by default "
             "it is, into OUT/minimized/, and printed first)");
  flags.Uint("minimize-seconds", &minimize_seconds,
             "time to minimize each group's first finding");
  if (int status = ParseOrExplainNoArguments(usage, flags, args); status >= 0) {
    return status;
  }
  if (std::string error = run_flags.Resolve(&options.pipeline.run);
      !error.empty()) {
    return UsageError(usage, error);
  }
  if (threads < 1 || threads > Schedule::kMaxThreads) {
    return UsageError(usage, "--threads must be between 1 and 8");
  }
  // Each worker is an OS thread with its own reader slot in the map's epoch
  // domain (64 slots); past that, runs would take a different reclamation
  // path than a one-worker replay, and controlled findings might not
  // reproduce.
  if (jobs < 1 || jobs > kMaxJobs) {
    return UsageError(
        usage, "--jobs must be between 1 and " + std::to_string(kMaxJobs));
  }
  if (seconds < 1 || seconds > kMaxSeconds) {
    return UsageError(usage, "--seconds must be between 1 and " +
                                 std::to_string(kMaxSeconds));
  }
  if (max_findings < 1 || max_findings > 10'000) {
    return UsageError(usage, "--max-findings must be between 1 and 10000");
  }
  if (minimize_seconds < 1 || minimize_seconds > 3600) {
    return UsageError(usage, "--minimize-seconds must be between 1 and 3600");
  }
  if (run_flags.step_budget < 1'000) {
    return UsageError(usage,
                      "--budget below 1000 steps would call every "
                      "execution hung");
  }
  if (!corpus_dir.empty()) {
    if (std::string error = LoadCorpus(corpus_dir, &options.corpus);
        !error.empty()) {
      std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
      return kExitUsage;
    }
  }
  if (std::string error = PrepareOutputDir(out_dir); !error.empty()) {
    std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
    return kExitUsage;
  }
  options.seconds = static_cast<double>(seconds);
  options.max_execs = max_execs;
  options.seed = seed;
  options.jobs = static_cast<unsigned>(jobs);
  options.max_threads = static_cast<unsigned>(threads);
  options.out_dir = out_dir;
  options.max_findings = static_cast<unsigned>(max_findings);
  options.print_first_report = no_minimize;
  options.print_summary = [&options](const CampaignResult& result) {
    PrintSummary(options, result);
  };
  std::signal(SIGINT, OnInterrupt);
  std::printf(
      "tophash-fuzz run: %s executor%s, %llu s, %u jobs, seed %llu, "
      "corpus %zu inputs\n",
      std::string(ExecutorName(options.pipeline.run.executor)).c_str(),
      options.pipeline.run.executor != ExecutorKind::kControlled
          ? ""
          : (", granularity " + run_flags.granularity).c_str(),
      static_cast<unsigned long long>(seconds), options.jobs,
      static_cast<unsigned long long>(seed), options.corpus.size());
  CampaignResult result = RunCampaign(options);
  GroupingOptions grouping;
  grouping.minimize = !no_minimize && !result.findings.empty();
  grouping.minimize_time = std::chrono::seconds(minimize_seconds);
  grouping.out_dir = out_dir;
  if (grouping.minimize) {
    std::printf(
        "\nminimizing the first finding of each group (up to %llu s "
        "each; --no-minimize to skip)\n",
        static_cast<unsigned long long>(minimize_seconds));
    std::fflush(stdout);
  }
  std::vector<FindingGroup> groups =
      GroupFindings(result.findings, options.pipeline, grouping);
  PrintGroups(result, groups);
  PrintSummary(options, result);
  return result.violations == 0 ? kExitOk : kExitViolation;
}

}  // namespace thfuzz::cli
