// Loading schedules from files and resolving the shared run flags.

#include "harness/cli/inputs.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "harness/codec/codec.h"
#include "harness/printable.h"
#include "harness/read_file.h"

namespace thfuzz::cli {
namespace {

// Text has no NUL and no control characters but line breaks and tabs;
// bytes >= 0x80 are allowed (UTF-8 in comments).
bool LooksLikeText(const std::string& bytes) {
  for (unsigned char c : bytes) {
    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

bool HasSchedExtension(const std::string& path) {
  return std::filesystem::path(path).extension() == ".sched";
}

}  // namespace

LoadedSchedule LoadSchedule(const std::string& path) {
  LoadedSchedule loaded;
  std::string reason;
  std::optional<std::string> contents = ReadWholeFile(path, &reason);
  if (!contents) {
    loaded.error = Printable(path) + ": cannot read file: " + reason;
    return loaded;
  }
  std::string bytes = std::move(*contents);
  // An empty input is a valid fuzz input, but as a file to replay it is far
  // more likely a truncated regression case than a deliberate choice.
  if (bytes.empty()) {
    loaded.error = Printable(path) + ": empty file (nothing to run)";
    return loaded;
  }
  // .sched files are always parsed as text, so a typo is reported with its
  // line and column instead of being decoded as fuzzer bytes; other files
  // are text if they parse as such, else binary fuzz inputs.
  bool sched = HasSchedExtension(path);
  if (sched || LooksLikeText(bytes)) {
    ParseResult parsed = ParseSchedule(bytes, path);
    if (parsed.ok()) {
      loaded.schedule = std::move(parsed.schedule);
      loaded.meta = std::move(parsed.meta);
      loaded.is_text = true;
      return loaded;
    }
    if (sched) {
      loaded.error = parsed.error;
      return loaded;
    }
    loaded.note = "not a valid .sched file (" + parsed.error +
                  "); read as a binary fuzz input";
  }
  std::vector<uint8_t> raw(bytes.begin(), bytes.end());
  loaded.schedule = DecodeSchedule(raw);
  return loaded;
}

void RunFlags::Register(Flags& flags, bool header_applies,
                        std::string granularity_default, bool allow_all) {
  allow_all_ = allow_all;
  granularity = std::move(granularity_default);
  std::string from_header = header_applies ? "the file's header, else " : "";
  flags.String("executor", &executor,
               NameList(kExecutors, " or ") + " (default: " + from_header +
                   "controlled)");
  flags.String("fault", &fault,
               "injected fault in the tophash map, or none (see "
               "`tophash-fuzz mutants --help` for the list; default: " +
                   from_header + "none)");
  flags.String("map", &map,
               NameList(kMapKinds, " or ") + " (default: tophash)");
  flags.Uint("budget", &step_budget,
             "scheduling steps before an execution counts as hung");
  flags.String("granularity", &granularity,
               "controlled executor: " + NameList(kGranularities, ", ") +
                   (allow_all_ ? " or all (a mix)" : "") +
                   (granularity.empty() ? " (default: the input's own)" : ""));
  flags.Uint("watchdog-ms", &watchdog_ms,
             "milliseconds a thread may run without reaching a scheduling "
             "point before the run is declared hung (0: off)");
}

std::string RunFlags::Resolve(RunOptions* options) const {
  RunOptions defaults;
  std::optional<ExecutorKind> executor_kind =
      executor.empty() ? defaults.executor : ParseExecutor(executor);
  if (!executor_kind) {
    return "unknown executor '" + executor + "' (expected " +
           NameList(kExecutors, " or ") + ")";
  }
  std::optional<tophash::Fault> fault_kind =
      fault.empty() ? defaults.fault : tophash::ParseFault(fault);
  if (!fault_kind) {
    return "unknown fault '" + fault +
           "' (expected one of: " + NameList(tophash::kFaults) + ")";
  }
  std::optional<MapKind> map_kind =
      map.empty() ? defaults.map : ParseMapKind(map);
  if (!map_kind) {
    return "unknown map '" + map + "' (expected " +
           NameList(kMapKinds, " or ") + ")";
  }
  if (*fault_kind != tophash::Fault::kNone && *map_kind != MapKind::kTophash) {
    return "--fault applies only to --map tophash";
  }
  options->granularity.reset();
  if (!granularity.empty() && !(allow_all_ && granularity == "all")) {
    options->granularity = ParseGranularity(granularity);
    if (!options->granularity) {
      return "unknown granularity '" + granularity + "' (expected " +
             NameList(kGranularities, ", ") + (allow_all_ ? ", all" : "") + ")";
    }
  }
  if (watchdog_ms > 3'600'000) {
    return "--watchdog-ms must be at most 3600000 (one hour)";
  }
  options->watchdog = std::chrono::milliseconds(watchdog_ms);
  options->executor = *executor_kind;
  options->fault = *fault_kind;
  options->map = *map_kind;
  options->step_budget = step_budget;
  return "";
}

std::string RunFlags::ResolveOver(const SchedMeta& header, RunOptions* options,
                                  std::vector<std::string>* notes) const {
  if (std::string error = Resolve(options); !error.empty()) return error;
  if (header.executor) {
    if (executor.empty()) {
      options->executor = *header.executor;
    } else if (options->executor != *header.executor) {
      notes->push_back("--executor " + executor +
                       " overrides the file's executor: " +
                       std::string(ExecutorName(*header.executor)));
    }
  }
  if (header.fault) {
    if (fault.empty()) {
      options->fault = *header.fault;
    } else if (options->fault != *header.fault) {
      notes->push_back("--fault " + fault + " overrides the file's fault: " +
                       std::string(tophash::FaultName(*header.fault)));
    }
  }
  if (options->fault != tophash::Fault::kNone &&
      options->map != MapKind::kTophash) {
    return "the file's fault applies only to --map tophash";
  }
  return "";
}

bool ExpectationApplies(const SchedMeta& header, const Schedule& schedule,
                        const RunOptions& options, std::string* why) {
  tophash::Fault fault = header.fault.value_or(tophash::Fault::kNone);
  bool executor_matches =
      !header.executor || *header.executor == options.executor;
  // The schedule's own granularity is the one its expectation is about.
  bool granularity_matches =
      options.executor != ExecutorKind::kControlled ||
      EffectiveGranularity(schedule, options) == schedule.granularity;
  if (fault == options.fault && executor_matches && granularity_matches) {
    return true;
  }
  if (header.expect) {
    *why = "the file's expect: " +
           std::string(*header.expect == ViolationKind::kNone
                           ? "pass"
                           : ViolationKindName(*header.expect)) +
           " is for fault " + std::string(tophash::FaultName(fault)) +
           (header.executor
                ? " with the " + std::string(ExecutorName(*header.executor)) +
                      " executor"
                : "") +
           (granularity_matches
                ? ""
                : " at " + std::string(GranularityName(schedule.granularity)) +
                      " granularity") +
           ", so this run is not compared with it";
  }
  return false;
}

std::string WriteHtmlReport(const std::string& path, const std::string& html,
                            size_t operations) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << html;
  out.flush();
  if (!out) {
    return Printable(path) + ": cannot write the HTML report" +
           (errno ? std::string(": ") + std::strerror(errno) : "");
  }
  std::printf("HTML report written to %s\n", Printable(path).c_str());
  if (operations == 0) {
    std::printf(
        "note: the history has no operations, so the report's timeline has "
        "nothing to draw\n");
  }
  return "";
}

}  // namespace thfuzz::cli
