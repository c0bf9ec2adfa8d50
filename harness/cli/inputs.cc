// Loading schedules from files and resolving the shared run flags.

#include "harness/cli/inputs.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "harness/codec/codec.h"

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
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    loaded.error = path + (std::filesystem::exists(path, error)
                               ? ": not a regular file"
                               : ": cannot open file: no such file");
    return loaded;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    loaded.error = path + ": cannot open file";
    return loaded;
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string bytes = contents.str();
  if (in.bad()) {
    loaded.error = path + ": cannot read file";
    return loaded;
  }
  // An empty input is a valid fuzz input, but as a file to replay it is far
  // more likely a truncated regression case than a deliberate choice.
  if (bytes.empty()) {
    loaded.error = path + ": empty file (nothing to run)";
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

void RunFlags::Register(Flags& flags, std::string granularity_default,
                        bool allow_all) {
  allow_all_ = allow_all;
  granularity = std::move(granularity_default);
  flags.String("executor", &executor, NameList(kExecutors, " or "));
  flags.String("fault", &fault,
               "injected fault in the tophash map, or none (see "
               "`tophash-fuzz mutants --help` for the list)");
  flags.String("map", &map, NameList(kMapKinds, " or "));
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
  std::optional<ExecutorKind> executor_kind = ParseExecutor(executor);
  if (!executor_kind) {
    return "unknown executor '" + executor + "' (expected " +
           NameList(kExecutors, " or ") + ")";
  }
  std::optional<tophash::Fault> fault_kind = tophash::ParseFault(fault);
  if (!fault_kind) {
    return "unknown fault '" + fault +
           "' (expected one of: " + NameList(tophash::kFaults) + ")";
  }
  std::optional<MapKind> map_kind = ParseMapKind(map);
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

}  // namespace thfuzz::cli
