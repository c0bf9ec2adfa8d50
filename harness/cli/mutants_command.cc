// `tophash-fuzz mutants`: the fault kill table (harness/minimize/
// kill_table.h). Runs every fault with every chosen executor over K
// generated-schedule streams, minimizes each cell's first finding, runs the
// production map alongside, prints the table and writes it as Markdown.
// Exit: 0 every fault caught and the production map clean, 1 otherwise,
// 2 bad usage or an output file that cannot be written.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/cli/usage.h"
#include "harness/codec/sched_text.h"
#include "harness/evaluate/kill_table.h"
#include "harness/faults.h"

namespace thfuzz::cli {
namespace {

std::atomic<bool> mutants_interrupted{false};
void OnInterrupt(int) { mutants_interrupted.store(true); }

// The faults the table measures, with their one-line help, come from the
// map's fault table.
const Usage kUsage = {
    "tophash-fuzz mutants [--seconds-per-fault S] [--executors LIST] "
    "[--seeds K] [--out FILE]",
    "Builds the fault kill table: for every injected fault and executor, K "
    "searches over different generated-schedule streams, each stopping at "
    "its first violation or after S seconds; the median time and executions "
    "to the first violation; and the size of the first finding after "
    "minimization. Schedules from the same generator run against the "
    "production map in the same run, which must show no violation. Prints "
    "the table and writes it as Markdown.\n"
    "exit status: 0 every fault caught and the production map clean, 1 "
    "otherwise, 2 bad usage or an unwritable output.\n\n"
    "faults (--faults):\n" +
        HelpLines(kInjectedFaults),
    "  tophash-fuzz mutants --seconds-per-fault 2 --seeds 3\n"
    "  tophash-fuzz mutants --executors controlled --out /tmp/kill.md\n"};

struct MutantsFlags {
  uint64_t seconds_per_fault = 2;
  std::string executors = "serial,controlled,stress";
  uint64_t seeds = 3;
  std::string out = "docs/kill-table.md";
  uint64_t minimize_seconds = 3;
  std::string faults;
  std::string findings;

  void Register(Flags& flags) {
    flags.Uint("seconds-per-fault", &seconds_per_fault,
               "limit of one search (one fault, executor and seed)");
    flags.String("executors", &executors, "comma-separated executors");
    flags.Uint("seeds", &seeds, "searches (generated streams) per cell");
    flags.String("out", &out, "Markdown file to write ('' for none)");
    flags.Uint("minimize-seconds", &minimize_seconds,
               "budget to minimize each cell's first finding");
    flags.String("faults", &faults,
                 "comma-separated faults (default: all of them)");
    flags.String("findings", &findings,
                 "directory to save each cell's first finding in, as found "
                 "(input for `tophash-fuzz minimize`)");
  }
};

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::string CommandLine(std::span<const std::string> args) {
  std::string line = "tophash-fuzz mutants";
  for (const std::string& arg : args) line += " " + arg;
  return line;
}

// Fills `options` from the flags; returns "" or the error.
std::string Resolve(const MutantsFlags& flags, KillTableOptions* options) {
  options->executors.clear();
  for (const std::string& name : SplitCommas(flags.executors)) {
    std::optional<ExecutorKind> executor = ParseExecutor(name);
    if (!executor) return "unknown executor '" + name + "'";
    options->executors.push_back(*executor);
  }
  if (options->executors.empty()) return "--executors names no executor";
  for (const std::string& name : SplitCommas(flags.faults)) {
    std::optional<tophash::Fault> fault = tophash::ParseFault(name);
    if (!fault || *fault == tophash::Fault::kNone) {
      return "unknown fault '" + name + "'";
    }
    options->faults.push_back(*fault);
  }
  if (flags.seeds == 0 || flags.seconds_per_fault == 0) {
    return "--seeds and --seconds-per-fault must be >= 1";
  }
  options->seeds = flags.seeds;
  options->search_time = std::chrono::seconds(flags.seconds_per_fault);
  options->minimize_time = std::chrono::seconds(flags.minimize_seconds);
  options->production_time = options->search_time * flags.seeds;
  return "";
}

// Saves FAULT-EXECUTOR.sched per caught cell; returns "" or an error.
std::string SaveFindings(const KillTable& table, const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return dir + ": " + error.message();
  for (const KillCell& cell : table.cells) {
    if (!cell.finding) continue;
    SchedMeta meta;
    meta.expect = cell.kind;
    meta.fault = cell.fault;
    meta.executor = cell.executor;
    meta.notes = {
        "First finding of `tophash-fuzz mutants` for this fault "
        "and executor, not minimized."};
    std::filesystem::path path =
        std::filesystem::path(dir) /
        (std::string(tophash::FaultName(cell.fault)) + "-" +
         std::string(ExecutorName(cell.executor)) + ".sched");
    std::ofstream out(path, std::ios::trunc);
    out << PrintSchedule(*cell.finding, meta);
    if (!out) return path.string() + ": cannot write file";
  }
  return "";
}

bool AllCaughtAndClean(const KillTable& table) {
  for (tophash::Fault fault : table.options.faults) {
    bool caught = false;
    for (const KillCell& cell : table.cells) {
      caught |= cell.fault == fault && cell.caught() > 0;
    }
    if (!caught) return false;
  }
  for (const ProductionRow& row : table.production) {
    if (row.violations > 0) return false;
  }
  return true;
}

}  // namespace

int MutantsMain(std::span<const std::string> args) {
  Flags flags;
  MutantsFlags values;
  values.Register(flags);
  if (int status = ParseOrExplainNoArguments(kUsage, flags, args);
      status >= 0) {
    return status;
  }
  KillTableOptions options;
  if (std::string error = Resolve(values, &options); !error.empty()) {
    return UsageError(kUsage, error);
  }
  // Fail before a long run, not after it.
  if (!values.out.empty() && !std::ofstream(values.out, std::ios::app)) {
    std::fprintf(stderr, "tophash-fuzz: %s: cannot write file\n",
                 values.out.c_str());
    return kExitUsage;
  }
  options.log = [](const std::string& line) {
    std::fprintf(stderr, "mutants: %s\n", line.c_str());
  };
  mutants_interrupted.store(false);
  options.interrupt = &mutants_interrupted;
  auto previous_handler = std::signal(SIGINT, OnInterrupt);
  KillTable table = BuildKillTable(options);
  std::signal(SIGINT, previous_handler);

  std::fputs(RenderKillTableText(table).c_str(), stdout);
  if (!values.findings.empty()) {
    if (std::string error = SaveFindings(table, values.findings);
        !error.empty()) {
      std::fprintf(stderr, "tophash-fuzz: %s\n", error.c_str());
      return kExitUsage;
    }
  }
  if (!values.out.empty()) {
    std::ofstream out(values.out, std::ios::trunc);
    out << RenderKillTableMarkdown(table, CommandLine(args));
    if (!out) {
      std::fprintf(stderr, "tophash-fuzz: %s: cannot write file\n",
                   values.out.c_str());
      return kExitUsage;
    }
    std::printf("\nwrote %s\n", values.out.c_str());
  }
  return AllCaughtAndClean(table) ? kExitOk : kExitViolation;
}

}  // namespace thfuzz::cli
