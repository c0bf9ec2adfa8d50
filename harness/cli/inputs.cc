// Loading schedules from files and resolving the shared run flags.

#include "harness/cli/inputs.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "harness/codec/codec.h"

namespace thfuzz::cli {
namespace {

// A .sched file is text: no NUL bytes and mostly printable characters.
bool LooksLikeText(const std::string& bytes) {
  if (bytes.empty()) return false;
  size_t printable = 0;
  for (unsigned char c : bytes) {
    if (c == 0) return false;
    if (c == '\n' || c == '\t' || c == '\r' || (c >= 0x20 && c < 0x7f)) {
      ++printable;
    }
  }
  return printable == bytes.size();
}

}  // namespace

LoadedSchedule LoadSchedule(const std::string& path) {
  LoadedSchedule loaded;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    loaded.error = path + ": cannot open file";
    return loaded;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad()) {
    loaded.error = path + ": cannot read file";
    return loaded;
  }
  if (LooksLikeText(bytes)) {
    ParseResult parsed = ParseSchedule(bytes, path);
    if (!parsed.ok()) {
      loaded.error = parsed.error;
      return loaded;
    }
    loaded.schedule = std::move(parsed.schedule);
    loaded.meta = std::move(parsed.meta);
    loaded.is_text = true;
    return loaded;
  }
  std::vector<uint8_t> raw(bytes.begin(), bytes.end());
  loaded.schedule = DecodeSchedule(raw);
  return loaded;
}

void RunFlags::Register(Flags& flags) {
  flags.String("executor", &executor, "serial, controlled or stress");
  flags.String("fault", &fault,
               "injected fault in the tophash map, or none (see "
               "`tophash-fuzz mutants` for the list)");
  flags.String("map", &map, "tophash, oracle, tbb or cuckoo");
  flags.Uint("budget", &step_budget,
             "scheduling steps before an execution counts as hung");
}

std::string FaultNames() {
  std::string names;
  for (int i = 0; i < tophash::kFaultCount; ++i) {
    names += (i ? ", " : "") +
             std::string(tophash::FaultName(static_cast<tophash::Fault>(i)));
  }
  return names;
}

std::string RunFlags::Resolve(RunOptions* options) const {
  std::optional<ExecutorKind> executor_kind = ParseExecutor(executor);
  if (!executor_kind) {
    return "unknown executor '" + executor +
           "' (expected serial, controlled or stress)";
  }
  std::optional<tophash::Fault> fault_kind = tophash::ParseFault(fault);
  if (!fault_kind) {
    return "unknown fault '" + fault + "' (expected one of: " + FaultNames() +
           ")";
  }
  std::optional<MapKind> map_kind = ParseMapKind(map);
  if (!map_kind) {
    return "unknown map '" + map +
           "' (expected tophash, oracle, tbb or cuckoo)";
  }
  if (*fault_kind != tophash::Fault::kNone && *map_kind != MapKind::kTophash) {
    return "--fault applies only to --map tophash";
  }
  options->executor = *executor_kind;
  options->fault = *fault_kind;
  options->map = *map_kind;
  options->step_budget = step_budget;
  return "";
}

}  // namespace thfuzz::cli
